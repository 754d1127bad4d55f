"""Time-zone logic for meetings and local send times. Pure: no Django import.

Every instant that goes in or comes out is an aware datetime; outputs are in UTC.
A person's working hours are wall-clock times in their IANA zone, so they are turned
into real instants one local date at a time (never "+24 h" or "+7 days" in UTC):
that is what keeps DST changes on different dates, and half-hour zones, right.

The rule for wall-clock times that do not exist or exist twice
(``local_instant``): a time in a spring-forward gap means the first instant after
the gap; a time in an autumn fold means its first occurrence. Working hours on a
local date run from ``local_instant(zone, date, start)`` to
``local_instant(zone, date, end)``, so someone who starts before a fold keeps
working through it, and a working day that contains a gap is an hour shorter.
"""

from __future__ import annotations

import functools
import itertools
import math
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

OutsideKind = Literal["early", "late", "day off"]

_WEEK = timedelta(days=7)
_MINUTE = timedelta(minutes=1)
_SECOND = timedelta(seconds=1)


@functools.cache
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    # available_timezones() rather than ZoneInfo(name) alone: ZoneInfo accepts any
    # file under the tz path, such as "localtime" or "posixrules".
    if name not in _available_zones() or name in {"localtime", "posixrules"}:
        raise ValueError(f"Unknown time zone: {name!r}")
    return zoneinfo.ZoneInfo(name)


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this module accepts."""
    try:
        _zone(name)
    except ValueError:
        return False
    return True


def _require_aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _require_naive_time(name: str, value: time) -> None:
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a wall-clock time without tzinfo")


def _minutes(delta: timedelta) -> int:
    return math.ceil(delta / _MINUTE)


# --- Local wall-clock time -> instant ---------------------------------------------


def local_instant(zone: str, local_date: date, at: time) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` shows ``at`` on ``local_date``.

    In a spring-forward gap (02:30 on the night clocks jump 02:00 -> 03:00) the
    time does not exist: the result is the first valid instant after the gap (the
    jump itself, which reads 03:00). In an autumn fold (01:30 when clocks go back
    02:00 -> 01:00) the time happens twice: the result is the first occurrence.
    Equivalently, the result is the earliest instant whose wall clock reads
    ``at`` on ``local_date`` or later.
    """
    _require_naive_time("at", at)
    tz = _zone(zone)
    wall = datetime.combine(local_date, at)
    # fold=0 is the earlier of two occurrences (PEP 495).
    first = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=0 applies the pre-transition offset and lands after the jump,
    # fold=1 the post-transition one and lands before it: the jump lies between.
    before_jump = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return _first_instant_at_or_after(tz, wall, low=before_jump, high=first)


def _first_instant_at_or_after(
    tz: zoneinfo.ZoneInfo, wall: datetime, *, low: datetime, high: datetime
) -> datetime:
    # Binary search to the second: tz transitions fall on whole seconds.
    while high - low > _SECOND:
        middle = low + ((high - low) // 2 // _SECOND) * _SECOND
        if middle.astimezone(tz).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high


def _quiet_contains(
    wall: time, quiet_start: time | None, quiet_end: time | None
) -> bool:
    if quiet_start is None and quiet_end is None:
        return False
    if quiet_start is None or quiet_end is None:
        raise ValueError("Give both quiet_start and quiet_end, or neither")
    _require_naive_time("quiet_start", quiet_start)
    _require_naive_time("quiet_end", quiet_end)
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= wall < quiet_end
    # Wraps midnight, e.g. 21:00-07:00.
    return wall >= quiet_start or wall < quiet_end


def is_quiet(
    zone: str, instant: datetime, quiet_start: time | None, quiet_end: time | None
) -> bool:
    """Whether ``instant`` falls in the quiet hours ``[quiet_start, quiet_end)``.

    Quiet hours are local wall-clock times in ``zone`` and may wrap midnight
    (21:00-07:00). Both ``None`` or both equal means no quiet hours.
    """
    wall = _require_aware("instant", instant).astimezone(_zone(zone))
    return _quiet_contains(wall.time(), quiet_start, quiet_end)


def next_digest_due(
    *,
    zone: str,
    after: datetime,
    hour: time,
    working_days: frozenset[int],
    quiet_start: time | None,
    quiet_end: time | None,
) -> datetime:
    """The next UTC instant strictly after ``after`` for someone's daily digest.

    It is at local ``hour`` on one of ``working_days`` (0 = Monday), computed per
    local date. If ``hour`` is inside the quiet hours it moves to ``quiet_end`` of
    the same local date, so a send never leaves its working day: with quiet hours
    21:00-07:00 an hour of 06:00 becomes 07:00, and one of 22:00 becomes 07:00
    that morning.
    """
    after = _require_aware("after", after)
    _require_naive_time("hour", hour)
    _check_days("working_days", working_days)
    tz = _zone(zone)
    wall = hour
    if quiet_end is not None and _quiet_contains(hour, quiet_start, quiet_end):
        wall = quiet_end
    # Start a day early: a local time in a gap at midnight can resolve onto the
    # next date.
    local_date = after.astimezone(tz).date() - timedelta(days=1)
    for _ in range(9):
        if local_date.weekday() in working_days:
            due = local_instant(zone, local_date, wall)
            # A DST gap can push a non-quiet hour into the quiet hours.
            if quiet_end is not None and is_quiet(zone, due, quiet_start, quiet_end):
                due = max(due, local_instant(zone, local_date, quiet_end))
            if due > after:
                return due
        local_date += timedelta(days=1)
    raise AssertionError("unreachable: some working day falls within 9 days")


# --- Working patterns and overlap -------------------------------------------------


def _check_days(name: str, days: frozenset[int]) -> None:
    if not days:
        raise ValueError(f"{name} must name at least one day")
    if not days <= frozenset(range(7)):
        raise ValueError(f"{name} must be weekdays 0 (Monday) to 6 (Sunday)")


@dataclass(frozen=True)
class WorkingPattern:
    """Someone's usual working hours, as wall-clock times in their own zone.

    ``start`` and ``end`` are on the same local date (no night shifts across
    midnight); ``days`` are the local weekdays worked, 0 = Monday ... 6 = Sunday,
    so a Sunday-Thursday week is ``frozenset({6, 0, 1, 2, 3})``.
    """

    zone: str
    start: time
    end: time
    days: frozenset[int]

    def __post_init__(self) -> None:
        _zone(self.zone)
        _require_naive_time("start", self.start)
        _require_naive_time("end", self.end)
        if not self.start < self.end:
            raise ValueError("Working hours must end after they start, on the same day")
        _check_days("days", self.days)

    def hours_on(self, local_date: date) -> tuple[datetime, datetime] | None:
        """The working hours on ``local_date`` as UTC instants, or None on a day off."""
        if local_date.weekday() not in self.days:
            return None
        return (
            local_instant(self.zone, local_date, self.start),
            local_instant(self.zone, local_date, self.end),
        )


_Interval = tuple[datetime, datetime]


def _local_dates(zone: str, start: datetime, end: datetime) -> Iterator[date]:
    # A day of margin on each side covers working hours that, in UTC, begin the
    # day before or end the day after their local date.
    tz = _zone(zone)
    current = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date() + timedelta(days=1)
    while current <= last:
        yield current
        current += timedelta(days=1)


def _working_intervals(
    pattern: WorkingPattern, start: datetime, end: datetime
) -> list[_Interval]:
    """Working hours touching ``[start, end)``, clipped to it, sorted and merged."""
    intervals: list[_Interval] = []
    for local_date in _local_dates(pattern.zone, start, end):
        hours = pattern.hours_on(local_date)
        if hours is None:
            continue
        low, high = max(hours[0], start), min(hours[1], end)
        if low < high:
            intervals.append((low, high))
    return _merge(intervals)


def _merge(intervals: Iterable[_Interval]) -> list[_Interval]:
    merged: list[_Interval] = []
    for low, high in sorted(intervals):
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _intersect(first: list[_Interval], second: list[_Interval]) -> list[_Interval]:
    result: list[_Interval] = []
    i = j = 0
    while i < len(first) and j < len(second):
        low = max(first[i][0], second[j][0])
        high = min(first[i][1], second[j][1])
        if low < high:
            result.append((low, high))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return result


def weekly_overlap(a: WorkingPattern, b: WorkingPattern, week_start: date) -> timedelta:
    """Total time both are inside their working hours in one week.

    The week is the seven UTC days from ``week_start`` 00:00 UTC, which makes the
    result symmetric in ``a`` and ``b``; each person's hours come from their own
    local dates, so a week in which one of them changes clocks is measured exactly.
    """
    start = datetime.combine(week_start, time(), tzinfo=UTC)
    end = start + _WEEK
    shared = _intersect(
        _working_intervals(a, start, end), _working_intervals(b, start, end)
    )
    return sum((high - low for low, high in shared), timedelta())


# --- Meeting proposals ------------------------------------------------------------


@dataclass(frozen=True)
class Outside:
    """How a slot falls outside one person's working hours.

    ``person`` is 0 for ``a`` and 1 for ``b``. For "early", ``minutes`` is how much
    earlier than their usual start the slot begins; for "late", how much later than
    their usual end it finishes (so both say how far the person must stretch their
    day); for "day off", the slot's length.
    """

    person: int
    kind: OutsideKind
    minutes: int


@dataclass(frozen=True)
class Slot:
    """A proposed meeting, in UTC; ``outside`` is empty exactly when ``inside_both``."""

    start: datetime
    end: datetime
    inside_both: bool
    outside: tuple[Outside, ...] = ()


@dataclass(frozen=True)
class SlotLocalTimes:
    """A slot on each side's wall clock, for "14:00 for you, 21:00 for Minh"."""

    a_start: datetime
    a_end: datetime
    b_start: datetime
    b_end: datetime


def local_times(slot: Slot, a_zone: str, b_zone: str) -> SlotLocalTimes:
    """The slot's start and end as aware datetimes in each person's zone."""
    a_tz, b_tz = _zone(a_zone), _zone(b_zone)
    return SlotLocalTimes(
        a_start=slot.start.astimezone(a_tz),
        a_end=slot.end.astimezone(a_tz),
        b_start=slot.start.astimezone(b_tz),
        b_end=slot.end.astimezone(b_tz),
    )


# (people on a day off, worst early/late minutes, total early/late minutes)
_Cost = tuple[int, int, int]


@dataclass(frozen=True)
class _Candidate:
    slot: Slot
    cost: _Cost
    day: date  # a's local date of the start: the unit for spreading proposals


class _Person:
    """A pattern with its working hours cached per local date."""

    def __init__(self, index: int, pattern: WorkingPattern) -> None:
        self.index = index
        self.pattern = pattern
        self.tz = _zone(pattern.zone)
        self._hours: dict[date, tuple[datetime, datetime] | None] = {}

    def hours_on(self, local_date: date) -> tuple[datetime, datetime] | None:
        if local_date not in self._hours:
            self._hours[local_date] = self.pattern.hours_on(local_date)
        return self._hours[local_date]

    def outside(self, start: datetime, end: datetime) -> tuple[Outside, ...]:
        local_date = start.astimezone(self.tz).date()
        hours = self.hours_on(local_date)
        if hours is None:
            return (Outside(self.index, "day off", _minutes(end - start)),)
        # Hours of the day before can only reach past midnight through a DST gap.
        previous = self.hours_on(local_date - timedelta(days=1))
        if any(
            h is not None and h[0] <= start and end <= h[1] for h in (hours, previous)
        ):
            return ()
        result: list[Outside] = []
        if start < hours[0]:
            result.append(Outside(self.index, "early", _minutes(hours[0] - start)))
        if end > hours[1]:
            result.append(Outside(self.index, "late", _minutes(end - hours[1])))
        return tuple(result)


def _cost(outside: tuple[Outside, ...]) -> _Cost:
    per_person = [0, 0]
    days_off = 0
    for entry in outside:
        if entry.kind == "day off":
            days_off += 1
        else:
            per_person[entry.person] += entry.minutes
    return (days_off, max(per_person), sum(per_person))


def _grid_starts(
    person: _Person, start: datetime, end: datetime, step: timedelta
) -> set[datetime]:
    # Anchoring each person's grid at their own start of day makes slots begin on
    # round local times for at least one of them, even against a +5:45 zone.
    anchors = [
        local_instant(person.pattern.zone, local_date, person.pattern.start)
        for local_date in _local_dates(person.pattern.zone, start, end)
    ]
    starts: set[datetime] = set()
    for anchor, next_anchor in itertools.pairwise(anchors):
        current = anchor
        while current < next_anchor:
            if start <= current < end:
                starts.add(current)
            current += step
    return starts


def propose_slots(
    a: WorkingPattern,
    b: WorkingPattern,
    *,
    after: datetime,
    weeks: int = 2,
    duration: timedelta = timedelta(minutes=60),
    step: timedelta = timedelta(minutes=30),
    limit: int = 10,
) -> list[Slot]:
    """Up to ``limit`` meeting slots starting in ``[after, after + weeks)``, by start.

    Candidate starts lie on a ``step`` grid anchored at each person's start of day.
    If any candidate is inside both people's working hours (on a working day of
    each), only such slots are proposed. Otherwise every candidate is ranked
    least-bad first: fewest people on a day off, then the smallest worst stretch
    (early/late minutes of the person stretched most), then the smallest total.

    Picking is greedy and spreads slots out: lowest cost first, then the local day
    (of ``a``) with the fewest slots picked so far, then the start furthest from
    the slots already picked that day, then the earliest. Picked slots never
    overlap. So with enough days there is one slot per day, at the earliest time
    that works, and a day gets a second only once every day has one.
    """
    window_start = _require_aware("after", after)
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if duration <= timedelta() or step <= timedelta():
        raise ValueError("duration and step must be positive")
    if limit < 0:
        raise ValueError("limit must not be negative")
    window_end = window_start + weeks * _WEEK
    people = (_Person(0, a), _Person(1, b))

    starts = _grid_starts(people[0], window_start, window_end, step)
    starts |= _grid_starts(people[1], window_start, window_end, step)
    candidates = [
        _evaluate(people, start, start + duration) for start in sorted(starts)
    ]
    inside = [candidate for candidate in candidates if candidate.slot.inside_both]
    chosen = _spread(inside or candidates, limit)
    return sorted((candidate.slot for candidate in chosen), key=lambda slot: slot.start)


def _evaluate(
    people: tuple[_Person, _Person], start: datetime, end: datetime
) -> _Candidate:
    outside = people[0].outside(start, end) + people[1].outside(start, end)
    return _Candidate(
        slot=Slot(start=start, end=end, inside_both=not outside, outside=outside),
        cost=_cost(outside),
        day=start.astimezone(people[0].tz).date(),
    )


def _spread(candidates: list[_Candidate], limit: int) -> list[_Candidate]:
    chosen: list[_Candidate] = []
    chosen_by_day: dict[date, list[_Candidate]] = defaultdict(list)
    remaining = list(candidates)
    while remaining and len(chosen) < limit:
        cheapest = min(candidate.cost for candidate in remaining)
        best = min(
            (candidate for candidate in remaining if candidate.cost == cheapest),
            key=functools.partial(_rank, chosen_by_day=chosen_by_day),
        )
        chosen.append(best)
        chosen_by_day[best.day].append(best)
        remaining = [
            candidate
            for candidate in remaining
            if candidate.slot.end <= best.slot.start
            or candidate.slot.start >= best.slot.end
        ]
    return chosen


def _rank(
    candidate: _Candidate, *, chosen_by_day: dict[date, list[_Candidate]]
) -> tuple[int, timedelta, datetime]:
    same_day = chosen_by_day.get(candidate.day, [])
    distance = min(
        (abs(candidate.slot.start - other.slot.start) for other in same_day),
        default=timedelta(),
    )
    return (len(same_day), -distance, candidate.slot.start)


# --- Typed-in local times -----------------------------------------------------------


class NonexistentLocalTimeError(ValueError):
    """A wall-clock time that a spring-forward change skips (02:30 on that night)."""


def local_instant_exact(zone: str, wall: datetime) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` shows the naive ``wall``.

    For times people type in (a datetime-local input), unlike ``local_instant``:
    a time inside a spring-forward gap never happens, so it is refused with
    ``NonexistentLocalTimeError`` instead of being moved. A time in an autumn fold
    means its first occurrence.
    """
    if wall.tzinfo is not None:
        raise ValueError("wall must be a naive wall-clock datetime")
    instant = local_instant(zone, wall.date(), wall.time())
    if instant.astimezone(_zone(zone)).replace(tzinfo=None) != wall:
        raise NonexistentLocalTimeError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks skip it"
        )
    return instant
