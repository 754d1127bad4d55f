"""mentorship.localtime: the one implementation of local time, against brute force.

The suite samples zones and clock changes with hypothesis (a few seconds); the
exhaustive run over every zone in ``zoneinfo`` and every clock change of 2026-2027
is ``LOCALTIME_EXHAUSTIVE=1 pytest tests/localtime -m exhaustive``.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import subprocess
import sys
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkins import timezones
from matching import engine
from mentorship import localtime
from mentorship.localtime import WorkingPattern, local_instant, weekly_overlap

REPO = Path(__file__).resolve().parents[2]
WEEKDAYS = frozenset(range(5))
MINUTES_PER_WEEK = 7 * 24 * 60
ALL_ZONES = sorted(
    zone for zone in zoneinfo.available_timezones() if localtime.is_valid_zone(zone)
)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(zone: str, instant: datetime) -> datetime:
    return instant.astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)


# --- brute force: the spec restated, walking the clock ------------------------------


def brute_local_instant(zone: str, local_date: date, at: time) -> datetime:
    """The first instant whose wall clock reads ``at`` on ``local_date`` or later,
    walking UTC a minute at a time from before it."""
    target = datetime.combine(local_date, at)
    # Start 3 h before zoneinfo's reading (its wall clock is then before the
    # target whatever the gap or fold), and walk.
    zone_info = zoneinfo.ZoneInfo(zone)
    instant = target.replace(tzinfo=zone_info).astimezone(UTC) - timedelta(hours=3)
    assert wall(zone, instant) < target
    while wall(zone, instant) < target:
        instant += timedelta(minutes=1)
    return instant


@functools.lru_cache(maxsize=4096)
def brute_minutes(pattern: WorkingPattern, week_start: date) -> np.ndarray:
    """For each minute of the week from ``week_start`` 00:00 UTC: is the person
    working? Working = inside the hours that start on some local working date."""
    origin = datetime.combine(week_start, time(), tzinfo=UTC)
    shifts = []
    for offset in range(-3, 10):
        day = week_start + timedelta(days=offset)
        if day.weekday() not in pattern.days:
            continue
        end_day = day + timedelta(days=1) if pattern.end <= pattern.start else day
        start = brute_local_instant(pattern.zone, day, pattern.start)
        end = brute_local_instant(pattern.zone, end_day, pattern.end)
        shifts.append(
            (
                (start - origin) // timedelta(minutes=1),
                (end - origin) // timedelta(minutes=1),
            )
        )
    minute = np.arange(MINUTES_PER_WEEK)[:, None]
    starts = np.array([s for s, _ in shifts] or [0])[None, :]
    ends = np.array([e for _, e in shifts] or [0])[None, :]
    return ((minute >= starts) & (minute < ends)).any(axis=1)


def brute_overlap(a: WorkingPattern, b: WorkingPattern, week_start: date) -> timedelta:
    both = brute_minutes(a, week_start) & brute_minutes(b, week_start)
    return int(both.sum()) * timedelta(minutes=1)


def engine_overlap(a: WorkingPattern, b: WorkingPattern, week_start: date) -> timedelta:
    hours = engine.shared_hours(
        localtime.utc_week_mask(a, week_start)[None, :],
        localtime.utc_week_mask(b, week_start)[None, :],
    )
    return timedelta(hours=float(hours[0, 0]))


def clock_changes(zone: str) -> list[datetime]:
    """Instants (to the hour) at which ``zone`` changes its offset in 2026-2027."""
    zone_info = zoneinfo.ZoneInfo(zone)
    instant = utc(2026, 1, 1)
    offset = instant.astimezone(zone_info).utcoffset()
    found = []
    while instant.year < 2028:
        instant += timedelta(hours=1)
        now = instant.astimezone(zone_info).utcoffset()
        if now != offset:
            offset = now
            found.append(instant)
    return found


# --- the module stands alone --------------------------------------------------------


def test_module_imports_no_django() -> None:
    # Loaded by path: the mentorship package's __init__ starts Celery (and Django).
    code = (
        "import importlib.util, sys; "
        f"spec = importlib.util.spec_from_file_location('lt', {str(REPO / 'mentorship' / 'localtime.py')!r}); "
        "module = importlib.util.module_from_spec(spec); sys.modules['lt'] = module; "
        "spec.loader.exec_module(module); "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)
    assert importlib.util.find_spec("mentorship.notifications.localtime") is None


def test_every_app_uses_the_one_implementation() -> None:
    assert timezones.local_instant is localtime.local_instant
    assert timezones.next_digest_due is localtime.next_digest_due
    assert timezones.weekly_overlap is localtime.weekly_overlap
    assert timezones.WorkingPattern is localtime.WorkingPattern


# --- the examples ----------------------------------------------------------


def test_london_spring_forward_0130_is_one_instant_everywhere() -> None:
    # 2026-03-29: London jumps 01:00 GMT -> 02:00 BST; 01:30 never shows on a clock.
    # Before: check-ins said 01:00Z, notifications 01:30Z.
    day = date(2026, 3, 29)
    assert local_instant("Europe/London", day, time(1, 30)) == utc(2026, 3, 29, 1, 0)
    due = localtime.next_digest_due(
        zone="Europe/London",
        after=utc(2026, 3, 28, 12),
        hour=time(1, 30),
        working_days=frozenset(range(7)),
    )
    assert due == utc(2026, 3, 29, 1, 0)
    # Hours that start at 01:30 that day start at the jump too.
    pattern = WorkingPattern("Europe/London", time(1, 30), time(5), frozenset({6}))
    assert pattern.hours_on(day) == (utc(2026, 3, 29, 1), utc(2026, 3, 29, 4))
    with pytest.raises(localtime.NonexistentLocalTimeError):
        localtime.local_instant_exact("Europe/London", datetime(2026, 3, 29, 1, 30))


def test_two_london_night_workers_share_24_hours_a_week() -> None:
    # 22:00-06:00 and 00:00-08:00, Monday to Friday: the nights starting Mon-Thu
    # share 00:00-06:00 with the next morning's shift (Friday's night runs into a
    # Saturday off). Before: 24 h for the engine, 0 h on the pair page.
    nights = WorkingPattern("Europe/London", time(22), time(6), WEEKDAYS)
    mornings = WorkingPattern("Europe/London", time(0), time(8), WEEKDAYS)
    week = date(2026, 1, 12)

    assert weekly_overlap(nights, mornings, week) == timedelta(hours=24)
    assert engine_overlap(nights, mornings, week) == timedelta(hours=24)
    assert brute_overlap(nights, mornings, week) == timedelta(hours=24)


def test_kolkata_and_ho_chi_minh_share_two_and_a_half_hours() -> None:
    # Kolkata 10:00-18:00 (+5:30) = 04:30-12:30Z; Ho Chi Minh 07:00-12:00 (+7) =
    # 00:00-05:00Z: 30 min a weekday. Before: the engine rounded Kolkata to the
    # hour and said 0.
    kolkata = WorkingPattern("Asia/Kolkata", time(10), time(18), WEEKDAYS)
    saigon = WorkingPattern("Asia/Ho_Chi_Minh", time(7), time(12), WEEKDAYS)
    week = date(2026, 6, 1)

    assert weekly_overlap(kolkata, saigon, week) == timedelta(hours=2, minutes=30)
    assert engine_overlap(kolkata, saigon, week) == timedelta(hours=2, minutes=30)
    assert localtime.hours_text(weekly_overlap(kolkata, saigon, week)) == "2 h 30 min"


def test_kathmandu_45_minute_zone_is_exact() -> None:
    # Kathmandu +5:45: 09:00-17:00 = 03:15-11:15Z; London (GMT) 09:00-17:00 in
    # January: 09:00-11:15Z, 2 h 15 min a weekday.
    kathmandu = WorkingPattern("Asia/Kathmandu", time(9), time(17), WEEKDAYS)
    london = WorkingPattern("Europe/London", time(9), time(17), WEEKDAYS)
    week = date(2026, 1, 12)
    assert weekly_overlap(kathmandu, london, week) == timedelta(hours=11, minutes=15)
    assert engine_overlap(kathmandu, london, week) == timedelta(hours=11, minutes=15)


def test_week_mask_follows_a_dst_change_inside_the_week() -> None:
    # New York springs forward on Sunday 8 March 2026: 09:00-17:00 is 14-22Z on
    # Monday-Saturday, 13-21Z on Sunday.
    pattern = WorkingPattern("America/New_York", time(9), time(17), frozenset(range(7)))
    mask = localtime.utc_week_mask(pattern, date(2026, 3, 2))

    def quarters(day: int, first: int, last: int) -> set[int]:
        return set(range((day * 24 + first) * 4, (day * 24 + last) * 4))

    expected = set().union(*(quarters(d, 14, 22) for d in range(6)))
    assert set(np.flatnonzero(mask).tolist()) == expected | quarters(6, 13, 21)
    assert not mask.flags.writeable


def test_overnight_hours_from_the_previous_week_count_and_later_ones_are_cut() -> None:
    # UTC Sunday 22:00-02:00: the Sunday before the week gives Monday 00-02; this
    # week's Sunday night gives 22-24 and its Monday part belongs to next week.
    pattern = WorkingPattern("UTC", time(22), time(2), frozenset({6}))
    mask = localtime.utc_week_mask(pattern, date(2026, 1, 5))
    assert np.flatnonzero(mask).tolist() == [*range(0, 8), *range(664, 672)]


def test_week_mask_rounds_off_grid_hours_to_the_nearest_quarter() -> None:
    # 09:10-09:50 UTC rounds to 09:15-09:45 (half up: 09:07:30 would go up).
    pattern = WorkingPattern("UTC", time(9, 10), time(9, 50), frozenset({0}))
    mask = localtime.utc_week_mask(pattern, date(2026, 1, 5))
    assert np.flatnonzero(mask).tolist() == [37, 38]


def test_working_pattern_refuses_equal_hours_and_unknown_zones() -> None:
    with pytest.raises(ValueError, match="end after"):
        WorkingPattern("UTC", time(9), time(9), WEEKDAYS)
    with pytest.raises(ValueError, match="Unknown time zone"):
        WorkingPattern("Mars/Base", time(9), time(17), WEEKDAYS)
    assert localtime.zone_name("Mars/Base") == "UTC"
    assert localtime.zone_name("localtime") == "UTC"
    assert localtime.zone_name("Asia/Kolkata") == "Asia/Kolkata"


def test_night_workers_get_slots_inside_both_nights() -> None:
    nights = WorkingPattern("Europe/London", time(22), time(6), WEEKDAYS)
    mornings = WorkingPattern("Europe/London", time(0), time(8), WEEKDAYS)
    slots = timezones.propose_slots(nights, mornings, after=utc(2026, 1, 12), limit=4)
    assert slots
    assert all(slot.inside_both for slot in slots)
    for slot in slots:
        assert 0 <= wall("Europe/London", slot.start).hour < 6


def test_a_slot_after_a_night_shift_is_late_not_early() -> None:
    nights = WorkingPattern("UTC", time(22), time(6), WEEKDAYS)
    days = WorkingPattern("UTC", time(7), time(15), WEEKDAYS)
    slots = timezones.propose_slots(nights, days, after=utc(2026, 1, 12), limit=3)
    assert slots
    assert not any(slot.inside_both for slot in slots)
    assert {entry.kind for slot in slots for entry in slot.outside} <= {"late", "early"}
    assert min(entry.minutes for slot in slots for entry in slot.outside) <= 60


# --- properties ---------------------------------------------------------------------


quarters = st.integers(min_value=0, max_value=24 * 4 - 1).map(
    lambda q: time(q // 4, q % 4 * 15)
)
days_strategy = st.frozensets(st.integers(min_value=0, max_value=6), min_size=1)
CHANGES = {
    zone: clock_changes(zone)
    for zone in (
        "Europe/London",
        "America/New_York",
        "America/St_Johns",
        "Australia/Lord_Howe",
        "Pacific/Chatham",
        "America/Santiago",
        "Asia/Tehran",
        "Pacific/Auckland",
        "Africa/Casablanca",
        "America/Havana",
        "Europe/Chisinau",
        "Asia/Gaza",
    )
}


@st.composite
def patterns(draw: st.DrawFn, *, overnight: bool | None = None) -> WorkingPattern:
    zone = draw(st.sampled_from(ALL_ZONES) | st.sampled_from(sorted(CHANGES)))
    start = draw(quarters)
    end = draw(quarters.filter(lambda e: e != start))
    if overnight is not None and (end < start) != overnight:
        start, end = end, start
    return WorkingPattern(zone, start, end, draw(days_strategy))


@st.composite
def weeks(draw: st.DrawFn, *zones: str) -> date:
    changes = [c for zone in zones for c in CHANGES.get(zone, [])]
    if changes and draw(st.booleans()):
        change = draw(st.sampled_from(changes))
        return (change - draw(st.integers(0, 6)) * timedelta(days=1)).date()
    return date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 720)))


@settings(max_examples=30, deadline=None)
@given(data=st.data(), overnight=st.booleans())
def test_property_weekly_overlap_is_the_minute_by_minute_brute_force(
    data: st.DataObject, overnight: bool
) -> None:
    a = data.draw(patterns(overnight=overnight))
    b = data.draw(patterns())
    week = data.draw(weeks(a.zone, b.zone))

    expected = brute_overlap(a, b, week)

    assert weekly_overlap(a, b, week) == expected
    assert weekly_overlap(b, a, week) == expected
    assert engine_overlap(a, b, week) == expected


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_property_engine_overlap_equals_the_module_for_whole_populations(
    data: st.DataObject,
) -> None:
    week = data.draw(weeks("Europe/London", "America/New_York"))
    mentees = data.draw(st.lists(patterns(), min_size=1, max_size=4))
    mentors = data.draw(st.lists(patterns(), min_size=1, max_size=4))
    a = np.stack([localtime.utc_week_mask(p, week) for p in mentees])
    b = np.stack([localtime.utc_week_mask(p, week) for p in mentors])

    hours = engine.shared_hours(a, b)

    for i, mentee in enumerate(mentees):
        for j, mentor in enumerate(mentors):
            assert timedelta(hours=float(hours[i, j])) == weekly_overlap(
                mentee, mentor, week
            )


# --- exhaustive: every zone, every clock change of 2026-2027 -------------------------


@pytest.mark.exhaustive
@pytest.mark.skipif(
    not os.environ.get("LOCALTIME_EXHAUSTIVE"), reason="set LOCALTIME_EXHAUSTIVE=1"
)
def test_exhaustive_every_zone_and_every_clock_change() -> None:
    day = (time(9), time(17))
    night = (time(22), time(6))
    checked = 0
    partner = {
        hours: WorkingPattern("Europe/London", *hours, frozenset(range(7)))
        for hours in (day, night)
    }
    for zone in ALL_ZONES:
        changes = clock_changes(zone)
        weeks_to_check = {date(2026, 1, 5)} | {
            (change - timedelta(days=d)).date() for change in changes for d in (0, 3)
        }
        for hours in (day, night):
            pattern = WorkingPattern(zone, *hours, frozenset(range(7)))
            for week in weeks_to_check:
                for other in partner.values():
                    expected = brute_overlap(pattern, other, week)
                    assert weekly_overlap(pattern, other, week) == expected, (
                        zone,
                        week,
                    )
                    assert engine_overlap(pattern, other, week) == expected
                    checked += 1
    assert checked > 2000


# --- reminders and quiet hours ------------------------------------------------------

QUIET = {"quiet_start": time(21), "quiet_end": time(7)}


def test_a_1h_reminder_for_a_0730_meeting_waits_for_the_end_of_quiet_hours() -> None:
    # Kolkata: meeting 07:30 (02:00Z); the 1 h reminder would be 06:30, quiet.
    starts = utc(2026, 6, 2, 2, 0)
    due = localtime.reminder_due(
        zone="Asia/Kolkata", due=starts - timedelta(hours=1), starts_at=starts, **QUIET
    )
    assert wall("Asia/Kolkata", due) == datetime(2026, 6, 2, 7, 0)


def test_a_reminder_that_would_wake_someone_goes_before_their_quiet_hours() -> None:
    # Meeting 06:00 London (05:00Z, summer): 05:00 is quiet and quiet ends after
    # the meeting starts, so the reminder goes at 20:59 the evening before.
    starts = utc(2026, 6, 2, 5, 0)
    due = localtime.reminder_due(
        zone="Europe/London", due=starts - timedelta(hours=1), starts_at=starts, **QUIET
    )
    assert wall("Europe/London", due) == datetime(2026, 6, 1, 20, 59)


def test_a_reminder_outside_quiet_hours_is_left_alone() -> None:
    starts = utc(2026, 6, 2, 12, 0)
    due = starts - timedelta(hours=1)
    assert (
        localtime.reminder_due(zone="Europe/London", due=due, starts_at=starts, **QUIET)
        == due
    )
    assert (
        localtime.reminder_due(
            zone="Europe/London",
            due=due,
            starts_at=starts,
            quiet_start=None,
            quiet_end=None,
        )
        == due
    )


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(sorted(CHANGES)),
    starts=st.datetimes(
        min_value=datetime(2026, 1, 2), max_value=datetime(2027, 12, 30)
    ).map(lambda d: d.replace(tzinfo=UTC)),
    before=st.sampled_from([timedelta(hours=1), timedelta(hours=24)]),
    quiet=st.tuples(quarters, quarters).filter(lambda q: q[0] != q[1]),
)
def test_property_a_reminder_is_never_quiet_and_never_after_the_meeting(
    zone: str, starts: datetime, before: timedelta, quiet: tuple[time, time]
) -> None:
    due = localtime.reminder_due(
        zone=zone,
        due=starts - before,
        starts_at=starts,
        quiet_start=quiet[0],
        quiet_end=quiet[1],
    )
    assert not localtime.is_quiet(zone, due, *quiet)
    assert due < starts
