"""48 hours of beat ticks, minute by minute, with a frozen clock: every person gets one
digest per local working day at their local digest hour, and nothing in quiet hours.

Each window crosses a DST change for some of the cast. Producers add a nudge for
everyone every hour; each minute the tick claims what is due and delivers it.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from mentorship.accounts.models import User
from mentorship.notifications import services
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_user

MON_FRI = frozenset(range(5))
SUN_THU = frozenset({6, 0, 1, 2, 3})
EVERY_DAY = frozenset(range(7))
QUIET = (time(21), time(7))


@dataclass(frozen=True)
class Person:
    zone: str
    hour: time
    days: frozenset[int]
    expected_local: time  # the hour after moving out of quiet hours


CAST = [
    Person("Pacific/Auckland", time(6), EVERY_DAY, time(7)),  # 06:00 is quiet -> 07:00
    Person("Asia/Kolkata", time(9), MON_FRI, time(9)),
    Person("Asia/Ho_Chi_Minh", time(9), SUN_THU, time(9)),
    Person("Europe/Warsaw", time(9), EVERY_DAY, time(9)),
    Person("America/Chicago", time(9), EVERY_DAY, time(9)),
    Person("America/St_Johns", time(8, 30), EVERY_DAY, time(8, 30)),
]

WINDOWS = {
    # US and Canada spring forward on Sunday 2026-03-08.
    "north-america-dst": datetime(2026, 3, 7, 12, tzinfo=UTC),
    # Europe springs forward on Sunday 2026-03-29.
    "europe-dst": datetime(2026, 3, 28, 12, tzinfo=UTC),
    # New Zealand falls back on Sunday 2026-04-05; a Friday-to-Sunday window.
    "new-zealand-dst": datetime(2026, 4, 3, 12, tzinfo=UTC),
}
HOURS = 48
BEAT = timedelta(minutes=1)


def _expected(person: Person, start: datetime, end: datetime) -> list[datetime]:
    """Digest instants computed here independently: local hour on each working day."""
    zone = ZoneInfo(person.zone)
    first = start.astimezone(zone).date() - timedelta(days=1)
    instants = []
    for offset in range(5):
        local_date: date = first + timedelta(days=offset)
        instant = datetime.combine(local_date, person.expected_local, tzinfo=zone)
        # Nudges exist only from the first hour on; the digest needs at least one.
        if (
            local_date.weekday() in person.days
            and start + timedelta(hours=1) < instant <= end
        ):
            instants.append(instant.astimezone(UTC))
    return instants


def _quiet(zone: str, instant: datetime) -> bool:
    wall = instant.astimezone(ZoneInfo(zone)).time()
    return wall >= QUIET[0] or wall < QUIET[1]


@pytest.mark.parametrize("window", WINDOWS, ids=list(WINDOWS))
def test_one_digest_per_local_working_day_never_at_night(alpha, window):
    start = WINDOWS[window]
    end = start + timedelta(hours=HOURS)
    with time_machine.travel(start, tick=False) as clock:
        people = {
            make_user(zone=p.zone, digest_hour=p.hour, email_enabled=True).email: p
            for p in CAST
        }
        users = list(User.objects.filter(email__in=people))
        sent: list[tuple[str, datetime, str]] = []
        now = start
        while now < end:
            if now.minute == 0:
                for user in users:
                    services.notification_create(
                        recipient=user,
                        kind="nudge",
                        dedupe_key=f"nudge:{user.pk}:{now:%Y%m%d%H}",
                        subject=f"Nudge at {now:%H:%M}",
                        body="",
                        channel=Notification.Channel.DIGEST,
                        working_days=people[user.email].days,
                    )
            for notification_id in services.notifications_claim_due(now=now, limit=500):
                mail.outbox.clear()
                assert (
                    services.notification_deliver(notification_id=notification_id)
                    == "sent"
                )
                [message] = mail.outbox
                sent.append((message.to[0], now, message.subject))
            now += BEAT
            clock.move_to(now)

    expected_total = 0
    for email, person in people.items():
        arrivals = [at for to, at, _ in sent if to == email]
        expected = _expected(person, start, end)  # [] on a weekend for Mon-Fri people
        expected_total += len(expected)
        assert len(arrivals) == len(expected), (person.zone, arrivals, expected)
        for arrived, due in zip(sorted(arrivals), expected, strict=True):
            assert abs(arrived - due) <= BEAT, (person.zone, arrived, due)
            assert not _quiet(person.zone, arrived), (person.zone, arrived)
        local_dates = [a.astimezone(ZoneInfo(person.zone)).date() for a in arrivals]
        assert len(set(local_dates)) == len(local_dates), "two digests on one day"
    assert expected_total >= 8
    assert all(subject.startswith("Your daily digest") for _, _, subject in sent)
