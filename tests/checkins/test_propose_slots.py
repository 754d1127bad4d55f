"""checkins.timezones.propose_slots: pure logic, no database — slots where two
people's hours overlap, and honestly labelled ones where they don't.

Each case works its expected slots out by hand; the 2026 clock changes it relies
on are listed in ``tests/checkins/timezone_cases.py``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from checkins.timezones import Outside, Slot, WorkingPattern, local_times, propose_slots
from tests.checkins.timezone_cases import (
    AUCKLAND,
    BERLIN,
    CHICAGO,
    HO_CHI_MINH,
    LOS_ANGELES,
    WARSAW,
    WEEKDAYS,
    nine_to_five,
    starts,
    utc,
)

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
