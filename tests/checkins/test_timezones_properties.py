"""checkins.timezones: property tests (hypothesis) against brute-force walks over
UTC in quarter hours, for 33 zones and every clock change of 2026-2027.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from checkins.timezones import (
    Outside,
    WorkingPattern,
    is_quiet,
    local_instant,
    next_digest_due,
    propose_slots,
    weekly_overlap,
)
from tests.checkins.timezone_cases import starts, utc

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
