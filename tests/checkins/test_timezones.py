"""checkins.timezones: pure logic, no database.

Expected instants are worked out by hand from the 2026 rules (noted per case):
US DST starts Sun 8 Mar (02:00 local) and ends Sun 1 Nov; EU DST runs Sun 29 Mar
(01:00 UTC) to Sun 25 Oct (01:00 UTC); New Zealand ends Sun 5 Apr (03:00 NZDT) and
starts Sun 27 Sep (02:00 NZST); New South Wales starts Sun 4 Oct; Lord Howe moves
only 30 minutes. Asia/Kolkata (+5:30), Asia/Kathmandu (+5:45), Asia/Dhaka (+6) and
Asia/Ho_Chi_Minh (+7) have no DST; America/St_Johns is -3:30, -2:30 from 8 Mar.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkins.timezones import (
    Outside,
    Slot,
    WorkingPattern,
    is_quiet,
    is_valid_zone,
    local_instant,
    local_times,
    next_digest_due,
    propose_slots,
    weekly_overlap,
)

WEEKDAYS = frozenset(range(5))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def nine_to_five(zone: str, days: frozenset[int] = WEEKDAYS) -> WorkingPattern:
    return WorkingPattern(zone=zone, start=time(9), end=time(17), days=days)


def starts(slots: list[Slot]) -> list[datetime]:
    return [slot.start for slot in slots]


CHICAGO = nine_to_five("America/Chicago")
WARSAW = nine_to_five("Europe/Warsaw")
BERLIN = nine_to_five("Europe/Berlin")
LOS_ANGELES = nine_to_five("America/Los_Angeles")
AUCKLAND = nine_to_five("Pacific/Auckland")
HO_CHI_MINH = nine_to_five("Asia/Ho_Chi_Minh")


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


# --- propose_slots: overlapping hours -------------------------------------------------


def test_chicago_warsaw_spread_one_per_day_then_second_slots() -> None:
    # given: the week before the US change (1 h/day, 15-16Z) and the first week
    # of the 2 h gap (14-16Z)
    # when
    slots = propose_slots(CHICAGO, WARSAW, after=utc(2026, 3, 2), limit=12)

    # then: one slot per working day first, at the earliest time that works, then
    # the only days with room for a second non-overlapping slot get one, in order
    assert starts(slots) == [
        utc(2026, 3, 2, 15),
        utc(2026, 3, 3, 15),
        utc(2026, 3, 4, 15),
        utc(2026, 3, 5, 15),
        utc(2026, 3, 6, 15),
        utc(2026, 3, 9, 14),
        utc(2026, 3, 9, 15),
        utc(2026, 3, 10, 14),
        utc(2026, 3, 10, 15),
        utc(2026, 3, 11, 14),
        utc(2026, 3, 12, 14),
        utc(2026, 3, 13, 14),
    ]
    assert all(slot.inside_both and not slot.outside for slot in slots)
    assert all(slot.end - slot.start == timedelta(hours=1) for slot in slots)


def test_chicago_warsaw_across_the_eu_change() -> None:
    # Thu/Fri 26-27 Mar still have 14-16Z (room for two); from Mon 30 Mar
    # Warsaw is CEST (07-15Z) and only 14-15Z is left. The window ends at
    # Thu 2 Apr 00:00Z.
    slots = propose_slots(CHICAGO, WARSAW, after=utc(2026, 3, 26), weeks=1)

    assert starts(slots) == [
        utc(2026, 3, 26, 14),
        utc(2026, 3, 26, 15),
        utc(2026, 3, 27, 14),
        utc(2026, 3, 27, 15),
        utc(2026, 3, 30, 14),
        utc(2026, 3, 31, 14),
        utc(2026, 4, 1, 14),
    ]


def test_local_times_for_each_side() -> None:
    # 30 Mar 14:00Z is 09:00 CDT in Chicago and 16:00 CEST in Warsaw.
    slot = Slot(start=utc(2026, 3, 30, 14), end=utc(2026, 3, 30, 15), inside_both=True)

    times = local_times(slot, "America/Chicago", "Europe/Warsaw")

    assert times.a_start.replace(tzinfo=None) == datetime(2026, 3, 30, 9)
    assert times.a_start.utcoffset() == timedelta(hours=-5)
    assert times.b_start.replace(tzinfo=None) == datetime(2026, 3, 30, 16)
    assert times.b_end.replace(tzinfo=None) == datetime(2026, 3, 30, 17)
    assert times.a_start == slot.start


def test_los_angeles_auckland_across_the_date_line_and_nz_change() -> None:
    # LA Thu 2 Apr 13:00 PDT = 20:00Z = Auckland Fri 3 Apr 09:00 NZDT. LA Friday
    # is Auckland Saturday (off). After Sun 5 Apr, Auckland 09:00 NZST = 21:00Z =
    # LA 14:00. Window ends Thu 9 Apr 00:00Z.
    slots = propose_slots(
        LOS_ANGELES, AUCKLAND, after=utc(2026, 4, 2), weeks=1, limit=4
    )

    assert starts(slots) == [
        utc(2026, 4, 2, 20),
        utc(2026, 4, 6, 21),
        utc(2026, 4, 7, 21),
        utc(2026, 4, 8, 21),
    ]
    first = local_times(slots[0], "America/Los_Angeles", "Pacific/Auckland")
    assert first.a_start.replace(tzinfo=None) == datetime(2026, 4, 2, 13)
    assert first.b_start.replace(tzinfo=None) == datetime(2026, 4, 3, 9)
    after_change = local_times(slots[1], "America/Los_Angeles", "Pacific/Auckland")
    # LA's Monday is Auckland's Tuesday.
    assert after_change.a_start.replace(tzinfo=None) == datetime(2026, 4, 6, 14)
    assert after_change.b_start.replace(tzinfo=None) == datetime(2026, 4, 7, 9)


def test_kiritimati_monday_is_pago_pago_sunday() -> None:
    # Overlap is 20:00-03:00Z on Pago Pago Mon-Thu (Kiritimati Tue-Fri). Per day:
    # the earliest (20:00Z, Pago Pago 09:00 / Kiritimati 10:00 next day) then the
    # furthest non-overlapping one, 02:00Z (ends at 03:00Z, their 16:00/17:00).
    pago_pago = nine_to_five("Pacific/Pago_Pago")
    kiritimati = nine_to_five("Pacific/Kiritimati")

    slots = propose_slots(
        pago_pago, kiritimati, after=utc(2026, 6, 1), weeks=1, limit=8
    )

    assert starts(slots) == [
        utc(2026, 6, 1, 20),
        utc(2026, 6, 2, 2),
        utc(2026, 6, 2, 20),
        utc(2026, 6, 3, 2),
        utc(2026, 6, 3, 20),
        utc(2026, 6, 4, 2),
        utc(2026, 6, 4, 20),
        utc(2026, 6, 5, 2),
    ]
    times = local_times(slots[0], "Pacific/Pago_Pago", "Pacific/Kiritimati")
    assert times.a_start.replace(tzinfo=None) == datetime(2026, 6, 1, 9)
    assert times.b_start.replace(tzinfo=None) == datetime(2026, 6, 2, 10)


def test_kolkata_half_hour_zone() -> None:
    # Overlap 08:00-11:30Z (Kolkata 13:30-17:00, Berlin 09:00-12:30). Per day the
    # earliest, then the furthest that still fits: 10:30Z (ends at 17:00 IST).
    slots = propose_slots(
        nine_to_five("Asia/Kolkata"), BERLIN, after=utc(2026, 1, 12), weeks=1
    )

    expected = []
    for day in range(12, 17):
        expected += [utc(2026, 1, day, 8), utc(2026, 1, day, 10, 30)]
    assert starts(slots) == expected


def test_kathmandu_slots_also_on_its_own_grid() -> None:
    # Overlap 08:00-11:15Z. Berlin's grid gives 08:00, 08:30 ...; Kathmandu's
    # (anchored at 09:00 NPT = 03:15Z) gives 08:15, 08:45 ... 10:15, which is
    # the last one ending by Kathmandu's 17:00 and so the furthest from 08:00.
    kathmandu = nine_to_five("Asia/Kathmandu")

    slots = propose_slots(kathmandu, BERLIN, after=utc(2026, 1, 12), weeks=1)

    expected = []
    for day in range(12, 17):
        expected += [utc(2026, 1, day, 8), utc(2026, 1, day, 10, 15)]
    assert starts(slots) == expected
    times = local_times(slots[1], "Asia/Kathmandu", "Europe/Berlin")
    assert times.a_end.time() == time(17)
    assert times.b_start.time() == time(11, 15)


def test_dhaka_and_paris_meet_only_on_shared_working_days() -> None:
    # Dhaka works Sun-Thu, Paris Mon-Fri: Sun 1 Mar (Paris off) and Fri 6 Mar
    # (Dhaka off) get nothing. Overlap 08-11Z: earliest, furthest (10:00Z),
    # then a third round on the first two days (09:00Z).
    dhaka = nine_to_five("Asia/Dhaka", frozenset({6, 0, 1, 2, 3}))
    paris = nine_to_five("Europe/Paris")

    slots = propose_slots(dhaka, paris, after=utc(2026, 3, 1), weeks=1)

    assert starts(slots) == [
        utc(2026, 3, 2, 8),
        utc(2026, 3, 2, 9),
        utc(2026, 3, 2, 10),
        utc(2026, 3, 3, 8),
        utc(2026, 3, 3, 9),
        utc(2026, 3, 3, 10),
        utc(2026, 3, 4, 8),
        utc(2026, 3, 4, 10),
        utc(2026, 3, 5, 8),
        utc(2026, 3, 5, 10),
    ]


def test_sydney_offers_only_inside_slots_while_any_exist() -> None:
    # Thu 1 and Fri 2 Oct still overlap 06-07Z; after Sydney's change on Sun 4
    # Oct nothing overlaps, and the least-bad slots are not mixed in.
    sydney = nine_to_five("Australia/Sydney")
    berlin_early = WorkingPattern("Europe/Berlin", time(8), time(16), WEEKDAYS)

    slots = propose_slots(sydney, berlin_early, after=utc(2026, 10, 1), weeks=1)

    assert starts(slots) == [utc(2026, 10, 1, 6), utc(2026, 10, 2, 6)]
    assert all(slot.inside_both for slot in slots)


# --- propose_slots: no overlap ------------------------------------------------------


def test_no_overlap_in_summer_splits_the_stretch() -> None:
    # LA PDT ends at 00:00Z (17:00), Ho Chi Minh starts at 02:00Z (09:00). A 60
    # minute slot at 00:30Z is LA 17:30-18:30 (90 late) and HCM 07:30-08:30 (90
    # early): the smallest worst stretch. LA Mon-Thu evenings are HCM Tue-Fri
    # mornings; LA Friday evening is HCM Saturday.
    slots = propose_slots(
        LOS_ANGELES, HO_CHI_MINH, after=utc(2026, 6, 1), weeks=1, limit=4
    )

    assert starts(slots) == [utc(2026, 6, day, 0, 30) for day in (2, 3, 4, 5)]
    for slot in slots:
        assert not slot.inside_both
        assert slot.outside == (Outside(0, "late", 90), Outside(1, "early", 90))


def test_no_overlap_in_winter_is_an_hour_apart() -> None:
    # LA PST ends 01:00Z, HCM starts 02:00Z: 01:00-02:00Z is 60 late for LA
    # (17:00-18:00) and 60 early for HCM (08:00-09:00).
    slots = propose_slots(
        LOS_ANGELES, HO_CHI_MINH, after=utc(2026, 1, 5), weeks=1, limit=2
    )

    assert slots == [
        Slot(
            start=utc(2026, 1, day, 1),
            end=utc(2026, 1, day, 2),
            inside_both=False,
            outside=(Outside(0, "late", 60), Outside(1, "early", 60)),
        )
        for day in (6, 7)
    ]
    times = local_times(slots[0], "America/Los_Angeles", "Asia/Ho_Chi_Minh")
    assert times.a_start.replace(tzinfo=None) == datetime(2026, 1, 5, 17)
    assert times.b_start.replace(tzinfo=None) == datetime(2026, 1, 6, 8)


def test_no_overlap_after_sydney_springs_forward() -> None:
    # Sydney AEDT ends 06:00Z (17:00), Berlin starts 06:00Z (08:00 CEST): a slot
    # at 05:30Z is 30 late for Sydney and 30 early for Berlin.
    sydney = nine_to_five("Australia/Sydney")
    berlin_early = WorkingPattern("Europe/Berlin", time(8), time(16), WEEKDAYS)

    slots = propose_slots(
        sydney, berlin_early, after=utc(2026, 10, 5), weeks=1, limit=3
    )

    assert starts(slots) == [utc(2026, 10, day, 5, 30) for day in (5, 6, 7)]
    assert {slot.outside for slot in slots} == {
        (Outside(0, "late", 30), Outside(1, "early", 30))
    }


def test_days_off_are_labelled() -> None:
    # Same zone, one works Mondays, the other Tuesdays: every slot is someone's
    # day off; the least bad sit inside the other's hours (09:00 CEST = 07:00Z).
    monday = nine_to_five("Europe/Paris", frozenset({0}))
    tuesday = nine_to_five("Europe/Paris", frozenset({1}))

    slots = propose_slots(monday, tuesday, after=utc(2026, 6, 1), weeks=1, limit=2)

    assert slots == [
        Slot(
            utc(2026, 6, 1, 7), utc(2026, 6, 1, 8), False, (Outside(1, "day off", 60),)
        ),
        Slot(
            utc(2026, 6, 2, 7), utc(2026, 6, 2, 8), False, (Outside(0, "day off", 60),)
        ),
    ]


def test_propose_slots_validates_arguments() -> None:
    with pytest.raises(ValueError, match="aware"):
        propose_slots(CHICAGO, WARSAW, after=datetime(2026, 3, 2))
    with pytest.raises(ValueError, match="positive"):
        propose_slots(CHICAGO, WARSAW, after=utc(2026, 3, 2), step=timedelta())
    assert propose_slots(CHICAGO, WARSAW, after=utc(2026, 3, 2), limit=0) == []


# --- Properties -----------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Warsaw",
    "Europe/Moscow",
    "Africa/Lagos",
    "Africa/Cairo",
    "Asia/Dubai",
    "Asia/Tehran",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Dhaka",
    "Asia/Yangon",
    "Asia/Ho_Chi_Minh",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Eucla",
    "Australia/Adelaide",
    "Australia/Sydney",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Chicago",
    "America/New_York",
    "America/Havana",
    "America/Santiago",
    "America/St_Johns",
    "America/Sao_Paulo",
]
QUARTER = timedelta(minutes=15)


def clock_changes(zone: str) -> list[datetime]:
    """Instants (to 6 h) at which ``zone`` changes its UTC offset in 2026-2027."""
    tz = ZoneInfo(zone)
    instant = utc(2026, 1, 1)
    offset = instant.astimezone(tz).utcoffset()
    found = []
    while instant.year < 2028:
        instant += timedelta(hours=6)
        if instant.astimezone(tz).utcoffset() != offset:
            offset = instant.astimezone(tz).utcoffset()
            found.append(instant)
    return found


CLOCK_CHANGES = {zone: clock_changes(zone) for zone in ZONES}

quarter_hours = st.integers(min_value=0, max_value=24 * 4 - 1).map(
    lambda quarters: time(quarters // 4, quarters % 4 * 15)
)
whole_hours = st.integers(min_value=0, max_value=23).map(time)
days_strategy = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
any_after = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 12, 24),
    timezones=st.just(UTC),
)


def afters_near_changes(*zones: str) -> st.SearchStrategy[datetime]:
    """Any instant in 2026-2027, or one in the 8 days before a zone's clock change."""
    changes = sorted({change for zone in zones for change in CLOCK_CHANGES[zone]})
    if not changes:
        return any_after
    near = st.builds(
        lambda change, before: change - before,
        st.sampled_from(changes),
        st.timedeltas(min_value=timedelta(), max_value=timedelta(days=8)),
    )
    return st.one_of(any_after, near)


@st.composite
def patterns(draw: st.DrawFn) -> WorkingPattern:
    start = draw(st.integers(min_value=0, max_value=24 * 4 - 2))
    end = draw(st.integers(min_value=start + 1, max_value=24 * 4 - 1))
    return WorkingPattern(
        zone=draw(st.sampled_from(ZONES)),
        start=time(start // 4, start % 4 * 15),
        end=time(end // 4, end % 4 * 15),
        days=draw(days_strategy),
    )


def wall(zone: str, instant: datetime) -> datetime:
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def brute_force_local_instant(zone: str, local_date: date, at: time) -> datetime:
    # All offsets and clock changes in ZONES sit on a 15-minute grid, so walking
    # UTC in quarter hours finds the first instant whose wall clock reads `at`
    # or later on that date: the spec of local_instant, gaps and folds included.
    target = datetime.combine(local_date, at)
    instant = target.replace(tzinfo=UTC) - timedelta(hours=15)
    while wall(zone, instant) < target:
        instant += QUARTER
    return instant


def assert_inside(pattern: WorkingPattern, start: datetime, end: datetime) -> None:
    local_date = wall(pattern.zone, start).date()
    assert local_date.weekday() in pattern.days
    hours_start = brute_force_local_instant(pattern.zone, local_date, pattern.start)
    hours_end = brute_force_local_instant(pattern.zone, local_date, pattern.end)
    assert hours_start <= start
    assert end <= hours_end
    tz = ZoneInfo(pattern.zone)
    if hours_start.astimezone(tz).utcoffset() == hours_end.astimezone(tz).utcoffset():
        # No clock change during their hours that day: the plain wall clock
        # reads inside their hours too.
        assert pattern.start <= wall(pattern.zone, start).time()
        assert wall(pattern.zone, end) <= datetime.combine(local_date, pattern.end)


def assert_outside_entry(
    pattern: WorkingPattern, entry: Outside, start: datetime, end: datetime
) -> None:
    local_date = wall(pattern.zone, start).date()
    if entry.kind == "day off":
        assert local_date.weekday() not in pattern.days
        assert entry.minutes == math.ceil((end - start) / timedelta(minutes=1))
        return
    assert local_date.weekday() in pattern.days
    if entry.kind == "early":
        hours_start = brute_force_local_instant(pattern.zone, local_date, pattern.start)
        stretch = hours_start - start
    else:
        hours_end = brute_force_local_instant(pattern.zone, local_date, pattern.end)
        stretch = end - hours_end
    assert stretch > timedelta()
    assert entry.minutes == math.ceil(stretch / timedelta(minutes=1))


@st.composite
def pattern_pairs_and_after(
    draw: st.DrawFn,
) -> tuple[WorkingPattern, WorkingPattern, datetime]:
    a, b = draw(patterns()), draw(patterns())
    return a, b, draw(afters_near_changes(a.zone, b.zone))


@settings(max_examples=80, deadline=None)
@given(
    case=pattern_pairs_and_after(),
    duration=st.sampled_from([30, 45, 60, 90]).map(lambda m: timedelta(minutes=m)),
    step=st.sampled_from([15, 30, 60]).map(lambda m: timedelta(minutes=m)),
    limit=st.integers(min_value=1, max_value=8),
)
def test_property_slots_are_inside_or_honestly_labelled(
    case: tuple[WorkingPattern, WorkingPattern, datetime],
    duration: timedelta,
    step: timedelta,
    limit: int,
) -> None:
    a, b, after = case

    slots = propose_slots(
        a, b, after=after, weeks=1, duration=duration, step=step, limit=limit
    )

    assert 0 < len(slots) <= limit
    assert starts(slots) == sorted(starts(slots))
    for slot, following in itertools.pairwise(slots):
        assert slot.end <= following.start
    for slot in slots:
        assert after <= slot.start < after + timedelta(weeks=1)
        assert slot.end - slot.start == duration
        assert slot.inside_both == (not slot.outside)
    # Either every slot fits both people's hours or none does.
    assert len({slot.inside_both for slot in slots}) == 1
    for slot in slots:
        for person, pattern in enumerate((a, b)):
            entries = [entry for entry in slot.outside if entry.person == person]
            if not entries:
                assert_inside(pattern, slot.start, slot.end)
            for entry in entries:
                assert_outside_entry(pattern, entry, slot.start, slot.end)
    # No shared time in any week the window touches: nothing can be inside.
    overlaps = [
        weekly_overlap(a, b, after.date() + timedelta(days=7 * week)) for week in (0, 1)
    ]
    if not any(overlaps):
        assert not slots[0].inside_both


@settings(max_examples=40, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    first_start=st.integers(min_value=0, max_value=18 * 4),
    length=st.integers(min_value=6, max_value=20),
    shift=st.integers(min_value=-8, max_value=8),
    days=days_strategy,
    after=any_after,
)
def test_property_shared_hours_give_inside_slots(
    zone: str,
    first_start: int,
    length: int,
    shift: int,
    days: frozenset[int],
    after: datetime,
) -> None:
    # given: two people in one zone on the same days, hours in quarter hours,
    # the second shifted by up to 2 h, overlapping by at least 1 h
    def quarter(index: int) -> time:
        return time(index // 4, index % 4 * 15)

    first_end = min(first_start + length, 24 * 4 - 1)
    second_start = max(0, first_start + shift)
    second_end = min(second_start + length, 24 * 4 - 1)
    overlap = min(first_end, second_end) - max(first_start, second_start)
    a = WorkingPattern(zone, quarter(first_start), quarter(first_end), days)
    b = WorkingPattern(zone, quarter(second_start), quarter(second_end), days)

    # when
    slots = propose_slots(a, b, after=after, duration=timedelta(minutes=30))

    # then: two weeks always hold a shared day without a clock change
    if overlap >= 4:
        assert slots
        assert all(slot.inside_both for slot in slots)


@st.composite
def zone_dates(draw: st.DrawFn) -> tuple[str, date]:
    zone = draw(st.sampled_from(ZONES))
    return zone, wall(zone, draw(afters_near_changes(zone))).date()


@settings(max_examples=150, deadline=None)
@given(case=zone_dates(), at=quarter_hours)
def test_property_local_instant_is_first_instant_reading_that_time(
    case: tuple[str, date], at: time
) -> None:
    zone, local_date = case
    assert local_instant(zone, local_date, at) == brute_force_local_instant(
        zone, local_date, at
    )


def test_local_instant_on_every_clock_change_night() -> None:
    # Every quarter hour of 00:00-03:45 and 22:00-23:45 on the local dates around
    # each clock change in 2026-2027, against the brute-force walk.
    times = [time(h, m) for h in (*range(4), 22, 23) for m in (0, 15, 30, 45)]
    checked = 0
    for zone, changes in CLOCK_CHANGES.items():
        for change in changes:
            local = wall(zone, change).date()
            for local_date in (local - timedelta(days=1), local):
                for at in times:
                    expected = brute_force_local_instant(zone, local_date, at)
                    assert local_instant(zone, local_date, at) == expected, (
                        zone,
                        local_date,
                        at,
                    )
                    checked += 1
    assert checked > 2000


@st.composite
def digest_cases(draw: st.DrawFn) -> tuple[str, datetime]:
    zone = draw(st.sampled_from(ZONES))
    return zone, draw(afters_near_changes(zone))


@settings(max_examples=100, deadline=None)
@given(
    case=digest_cases(),
    hour=whole_hours,
    days=days_strategy,
    quiet=st.one_of(
        st.none(),
        st.tuples(whole_hours, whole_hours).filter(lambda pair: pair[0] != pair[1]),
    ),
)
def test_property_next_digest_due_is_the_earliest_allowed_instant(
    case: tuple[str, datetime],
    hour: time,
    days: frozenset[int],
    quiet: tuple[time, time] | None,
) -> None:
    zone, after = case
    quiet_start, quiet_end = quiet or (None, None)

    due = next_digest_due(
        zone=zone,
        after=after,
        hour=hour,
        working_days=days,
        quiet_start=quiet_start,
        quiet_end=quiet_end,
    )

    # The spec, restated with the brute-force walk: each working date's send is
    # at `hour`, or at the end of quiet hours if `hour` (or, after a gap, the
    # instant it lands on) is quiet; the result is the first of those after
    # `after`, so every earlier working date's send is not after it.
    def send_on(local_date: date) -> datetime:
        target = hour
        if quiet is not None and is_quiet_wall(hour, quiet):
            target = quiet[1]
        instant = brute_force_local_instant(zone, local_date, target)
        if quiet is not None and is_quiet_wall(wall(zone, instant).time(), quiet):
            instant = max(
                instant, brute_force_local_instant(zone, local_date, quiet[1])
            )
        return instant

    assert due > after
    local = wall(zone, due)
    assert local.weekday() in days
    assert not is_quiet(zone, due, quiet_start, quiet_end)
    assert due == send_on(local.date())
    first = wall(zone, after).date() - timedelta(days=1)
    for offset in range((local.date() - first).days):
        earlier = first + timedelta(days=offset)
        if earlier.weekday() in days:
            assert send_on(earlier) <= after


def is_quiet_wall(at: time, quiet: tuple[time, time]) -> bool:
    start, end = quiet
    if start < end:
        return start <= at < end
    return at >= start or at < end
