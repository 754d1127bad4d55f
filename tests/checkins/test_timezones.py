"""checkins.timezones: pure logic, no database — local instants, quiet hours,
the digest's next send, working patterns and the weekly overlap (slots are in
``test_propose_slots.py``, the property tests in ``test_timezones_properties.py``).

Expected instants are worked out by hand from the 2026 rules listed in
``tests/checkins/timezone_cases.py``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from checkins.timezones import (
    WorkingPattern,
    is_quiet,
    is_valid_zone,
    local_instant,
    next_digest_due,
    weekly_overlap,
)
from tests.checkins.timezone_cases import (
    AUCKLAND,
    BERLIN,
    CHICAGO,
    HO_CHI_MINH,
    LOS_ANGELES,
    WARSAW,
    WEEKDAYS,
    nine_to_five,
    utc,
)

# --- local_instant ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "local_date", "at", "expected"),
    [
        # +5:30 all year: 09:00 - 5:30.
        ("Asia/Kolkata", date(2026, 1, 15), time(9), utc(2026, 1, 15, 3, 30)),
        # +5:45: 09:00 - 5:45.
        ("Asia/Kathmandu", date(2026, 1, 15), time(9), utc(2026, 1, 15, 3, 15)),
        # Gap 02:00 EST -> 03:00 EDT at 07:00Z: 02:30 does not exist, so the jump.
        ("America/New_York", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7)),
        # Gap 02:00 CET -> 03:00 CEST at 01:00Z.
        ("Europe/Warsaw", date(2026, 3, 29), time(2, 30), utc(2026, 3, 29, 1)),
        # Fold 03:00 CEST -> 02:00 CET at 01:00Z: first 02:30 is CEST, 00:30Z
        # (the second would be 01:30Z).
        ("Europe/Warsaw", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # Fold 02:00 CDT -> 01:00 CST: first 01:30 is CDT (-5), 06:30Z.
        ("America/Chicago", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 6, 30)),
        # Lord Howe jumps 02:00 -> 02:30 (+10:30 -> +11): the jump is 02:00 at
        # +10:30 = 15:30Z the day before.
        (
            "Australia/Lord_Howe",
            date(2026, 10, 4),
            time(2, 15),
            utc(2026, 10, 3, 15, 30),
        ),
        # NZ gap 02:00 NZST -> 03:00 NZDT: 02:00 at +12 = 14:00Z the day before.
        ("Pacific/Auckland", date(2026, 9, 27), time(2, 30), utc(2026, 9, 26, 14)),
        # NZ fold 03:00 NZDT -> 02:00 NZST: first 02:30 is NZDT (+13), 13:30Z.
        ("Pacific/Auckland", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 13, 30)),
        # St John's gap 02:00 NST (-3:30) -> 03:00 NDT: the jump is 05:30Z.
        ("America/St_Johns", date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 5, 30)),
        # Same zone, 09:00 the next day is already NDT (-2:30).
        ("America/St_Johns", date(2026, 3, 9), time(9), utc(2026, 3, 9, 11, 30)),
    ],
)
def test_local_instant(
    zone: str, local_date: date, at: time, expected: datetime
) -> None:
    assert local_instant(zone, local_date, at) == expected


def test_local_instant_reads_an_unknown_zone_as_utc() -> None:
    # The one zone fallback: a bad stored name must not stop a page or a reminder.
    assert local_instant("Mars/Olympus_Mons", date(2026, 1, 1), time(9)) == utc(
        2026, 1, 1, 9
    )


def test_is_valid_zone() -> None:
    assert is_valid_zone("Asia/Kolkata")
    assert not is_valid_zone("Asia/Calcutta ")
    assert not is_valid_zone("localtime")


# --- is_quiet -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instant", "quiet_start", "quiet_end", "expected"),
    [
        # Warsaw in June is +2, so 20:00Z is 22:00 local: inside 21:00-07:00.
        (utc(2026, 6, 1, 20), time(21), time(7), True),
        # 04:59Z = 06:59 local: still quiet.
        (utc(2026, 6, 1, 4, 59), time(21), time(7), True),
        # 05:00Z = 07:00 local: quiet hours end there (half-open).
        (utc(2026, 6, 1, 5), time(21), time(7), False),
        # 18:59Z = 20:59 local.
        (utc(2026, 6, 1, 18, 59), time(21), time(7), False),
        # 10:30Z = 12:30 local, inside a lunch break 12:00-13:00.
        (utc(2026, 6, 1, 10, 30), time(12), time(13), True),
        (utc(2026, 6, 1, 11), time(12), time(13), False),
        (utc(2026, 6, 1, 11), None, None, False),
        (utc(2026, 6, 1, 11), time(13), time(13), False),
    ],
)
def test_is_quiet(
    instant: datetime, quiet_start: time | None, quiet_end: time | None, expected: bool
) -> None:
    assert is_quiet("Europe/Warsaw", instant, quiet_start, quiet_end) is expected


def test_is_quiet_with_one_end_missing_means_no_quiet_hours() -> None:
    assert not is_quiet("Europe/Warsaw", utc(2026, 6, 1, 22), time(21), None)


# --- next_digest_due ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "after", "hour", "days", "quiet", "expected"),
    [
        # Sat 4 Apr 09:00 NZDT; Sunday 5 Apr NZ goes back to +12, so Monday 08:00
        # NZST is Sun 20:00Z, not the 19:00Z that "+24 h" from Friday would give.
        (
            "Pacific/Auckland",
            utc(2026, 4, 3, 20),
            time(8),
            WEEKDAYS,
            None,
            utc(2026, 4, 5, 20),
        ),
        # Fri 3 Apr 07:00 NZDT: today's 08:00 NZDT (+13) is still ahead, 19:00Z.
        (
            "Pacific/Auckland",
            utc(2026, 4, 2, 18),
            time(8),
            WEEKDAYS,
            None,
            utc(2026, 4, 2, 19),
        ),
        # Exactly Fri 25 Sep 08:00 NZST: strictly after, so Mon 28 Sep 08:00,
        # now NZDT (+13) since Sun 27 Sep: Sun 19:00Z.
        (
            "Pacific/Auckland",
            utc(2026, 9, 24, 20),
            time(8),
            WEEKDAYS,
            None,
            utc(2026, 9, 27, 19),
        ),
        # Fri 09:00 IST sent; next Monday 09:00 IST = 03:30Z.
        (
            "Asia/Kolkata",
            utc(2026, 3, 6, 3, 30),
            time(9),
            WEEKDAYS,
            None,
            utc(2026, 3, 9, 3, 30),
        ),
        # Sat 09:00 ICT, Mon-Sat week: Sunday off, Mon 08:00 ICT = 01:00Z.
        (
            "Asia/Ho_Chi_Minh",
            utc(2026, 3, 7, 2),
            time(8),
            frozenset(range(6)),
            (time(22), time(7)),
            utc(2026, 3, 9, 1),
        ),
        # 06:30 is inside 22:00-07:00, so 07:00 ICT; Monday's has passed (it is
        # 07:30 ICT), so Tuesday 10 Mar 07:00 ICT = 00:00Z.
        (
            "Asia/Ho_Chi_Minh",
            utc(2026, 3, 9, 0, 30),
            time(6, 30),
            WEEKDAYS,
            (time(22), time(7)),
            utc(2026, 3, 10, 0),
        ),
        # Fri 27 Mar 08:00 CET sent; Monday 30 Mar 08:00 is CEST (+2) = 06:00Z.
        (
            "Europe/Warsaw",
            utc(2026, 3, 27, 7),
            time(8),
            WEEKDAYS,
            None,
            utc(2026, 3, 30, 6),
        ),
        # Fri 23 Oct 08:00 CEST sent; Monday 26 Oct 08:00 is CET (+1) = 07:00Z.
        (
            "Europe/Warsaw",
            utc(2026, 10, 23, 6),
            time(8),
            WEEKDAYS,
            None,
            utc(2026, 10, 26, 7),
        ),
        # Evening hour in wrapping quiet hours: 07:00 the same date, Mon 1 Jun
        # 07:00 CEST = 05:00Z (after is Mon 02:00 CEST).
        (
            "Europe/Warsaw",
            utc(2026, 6, 1, 0),
            time(22),
            WEEKDAYS,
            (time(21), time(7)),
            utc(2026, 6, 1, 5),
        ),
        # 07:00 is quiet until 08:00; Fri 6 Mar 08:00 CST (14:00Z) is `after`
        # itself, so Mon 9 Mar 08:00 CDT (-5) = 13:00Z.
        (
            "America/Chicago",
            utc(2026, 3, 6, 14),
            time(7),
            WEEKDAYS,
            (time(22), time(8)),
            utc(2026, 3, 9, 13),
        ),
        # Fri 09:00 NST sent; Monday 09:00 NDT (-2:30) = 11:30Z.
        (
            "America/St_Johns",
            utc(2026, 3, 6, 12, 30),
            time(9),
            WEEKDAYS,
            None,
            utc(2026, 3, 9, 11, 30),
        ),
        # Works Sundays; 01:00 is quiet until 02:30, which on Sun 8 Mar falls in
        # the gap: the jump, 03:00 NDT = 05:30Z.
        (
            "America/St_Johns",
            utc(2026, 3, 7, 12),
            time(1),
            frozenset(range(7)),
            (time(22), time(2, 30)),
            utc(2026, 3, 8, 5, 30),
        ),
    ],
)
def test_next_digest_due(
    zone: str,
    after: datetime,
    hour: time,
    days: frozenset[int],
    quiet: tuple[time, time] | None,
    expected: datetime,
) -> None:
    quiet_start, quiet_end = quiet or (None, None)
    due = next_digest_due(
        zone=zone,
        after=after,
        hour=hour,
        working_days=days,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
    )
    assert due == expected
    assert due.tzinfo is UTC


def test_next_digest_due_rejects_naive_after() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_digest_due(
            zone="UTC",
            after=datetime(2026, 1, 1),
            hour=time(9),
            working_days=WEEKDAYS,
            quiet_start=None,
            quiet_end=None,
        )


# --- WorkingPattern -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "start", "end", "days", "message"),
    [
        ("Europe/Nowhere", time(9), time(17), WEEKDAYS, "Unknown time zone"),
        ("Europe/Paris", time(9), time(9), WEEKDAYS, "end after"),
        ("Europe/Paris", time(9), time(17), frozenset(), "at least one"),
        ("Europe/Paris", time(9), time(17), frozenset({7}), "0 \\(Monday\\)"),
    ],
)
def test_working_pattern_validates(
    zone: str, start: time, end: time, days: frozenset[int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkingPattern(zone=zone, start=start, end=end, days=days)


# --- weekly_overlap -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "week_start", "expected"),
    [
        # Chicago 9-17 CST = 15-23Z, Warsaw 9-17 CET = 08-16Z: 15-16Z, 1 h x 5.
        (CHICAGO, WARSAW, date(2026, 3, 2), timedelta(hours=5)),
        # US on CDT (14-22Z), Warsaw still CET: 14-16Z, 2 h x 5.
        (CHICAGO, WARSAW, date(2026, 3, 9), timedelta(hours=10)),
        # Warsaw switches on Sun 29 Mar, a day off: the whole week is still 2 h/day.
        (CHICAGO, WARSAW, date(2026, 3, 23), timedelta(hours=10)),
        # Both on summer time: 14-22Z vs 07-15Z, 1 h x 5.
        (CHICAGO, WARSAW, date(2026, 3, 30), timedelta(hours=5)),
        # Kolkata 9-17 = 03:30-11:30Z; Berlin CET 08-16Z: 3.5 h x 5.
        (
            nine_to_five("Asia/Kolkata"),
            BERLIN,
            date(2026, 1, 12),
            timedelta(hours=17.5),
        ),
        # Berlin CEST 07-15Z: 07:00-11:30Z, 4.5 h x 5.
        (nine_to_five("Asia/Kolkata"), BERLIN, date(2026, 7, 6), timedelta(hours=22.5)),
        # Kathmandu 9-17 = 03:15-11:15Z; Berlin 08-16Z: 3 h 15 x 5.
        (
            nine_to_five("Asia/Kathmandu"),
            BERLIN,
            date(2026, 1, 12),
            timedelta(hours=16.25),
        ),
        # St John's NST 9-17 = 12:30-20:30Z vs Berlin 08-16Z: 3.5 h x 5.
        (
            nine_to_five("America/St_Johns"),
            BERLIN,
            date(2026, 3, 2),
            timedelta(hours=17.5),
        ),
        # NDT 11:30-19:30Z vs CET 08-16Z: 4.5 h x 5 (the "gap" weeks).
        (
            nine_to_five("America/St_Johns"),
            BERLIN,
            date(2026, 3, 9),
            timedelta(hours=22.5),
        ),
        # NDT vs CEST 07-15Z: 11:30-15:00Z, 3.5 h x 5.
        (
            nine_to_five("America/St_Johns"),
            BERLIN,
            date(2026, 3, 30),
            timedelta(hours=17.5),
        ),
        # Kiritimati (+14) Tue 09:00 = Mon 19:00Z = Pago Pago (-11) Mon 08:00, so
        # Kiritimati Tue-Fri meets Pago Pago Mon-Thu, 20:00-03:00Z: 7 h x 4. The
        # Kiritimati Monday is a Pago Pago Sunday; the Pago Pago Friday a
        # Kiritimati Saturday.
        (
            nine_to_five("Pacific/Kiritimati"),
            nine_to_five("Pacific/Pago_Pago"),
            date(2026, 6, 1),
            timedelta(hours=28),
        ),
        # Dhaka (Sun-Thu, 03-11Z) vs Paris CET (Mon-Fri, 08-16Z): Mon-Thu 3 h.
        (
            nine_to_five("Asia/Dhaka", frozenset({6, 0, 1, 2, 3})),
            nine_to_five("Europe/Paris"),
            date(2026, 3, 2),
            timedelta(hours=12),
        ),
        # Paris CEST 07-15Z: Mon-Thu 4 h.
        (
            nine_to_five("Asia/Dhaka", frozenset({6, 0, 1, 2, 3})),
            nine_to_five("Europe/Paris"),
            date(2026, 3, 30),
            timedelta(hours=16),
        ),
        # LA PDT 16-24Z; Auckland NZDT 9-17 = 20-04Z the day before, so LA
        # Mon-Thu afternoons meet Auckland Tue-Fri mornings, 20-24Z: 4 h x 4.
        (LOS_ANGELES, AUCKLAND, date(2026, 3, 30), timedelta(hours=16)),
        # From Sun 5 Apr Auckland is NZST, 21-05Z: 21-24Z, 3 h x 4.
        (LOS_ANGELES, AUCKLAND, date(2026, 4, 6), timedelta(hours=12)),
        # LA ends at 00:00Z (PDT), Ho Chi Minh starts at 02:00Z: never together.
        (LOS_ANGELES, HO_CHI_MINH, date(2026, 6, 1), timedelta()),
        (LOS_ANGELES, HO_CHI_MINH, date(2026, 1, 5), timedelta()),
    ],
)
def test_weekly_overlap(
    a: WorkingPattern, b: WorkingPattern, week_start: date, expected: timedelta
) -> None:
    assert weekly_overlap(a, b, week_start) == expected
    assert weekly_overlap(b, a, week_start) == expected


def test_weekly_overlap_ends_when_sydney_springs_forward() -> None:
    # Sydney 9-17 AEST (+10) = 23-07Z, Berlin 8-16 CEST = 06-14Z: 06-07Z, 1 h x 5.
    # From Sun 4 Oct Sydney is AEDT (+11), 22-06Z: they no longer meet.
    sydney = nine_to_five("Australia/Sydney")
    berlin_early = WorkingPattern("Europe/Berlin", time(8), time(16), WEEKDAYS)

    assert weekly_overlap(sydney, berlin_early, date(2026, 9, 28)) == timedelta(hours=5)
    assert weekly_overlap(sydney, berlin_early, date(2026, 10, 5)) == timedelta()
