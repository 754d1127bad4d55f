"""Meeting slots for a pair or a team, on top of ``mentorship.localtime``. Pure: no Django import.

Local time itself (zone fallback, local -> UTC with its gap/fold rule, working
patterns including overnight hours, weekly overlap, quiet hours, digest times) lives
in ``mentorship/localtime.py``; the names it shares with this module are re-exported
here for the check-in code that reads them together with slots.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from mentorship.localtime import (
    NonexistentLocalTimeError,
    WorkingPattern,
    is_quiet,
    is_valid_zone,
    local_instant,
    local_instant_exact,
    next_digest_due,
    tz,
    weekly_overlap,
)

__all__ = [
    "NonexistentLocalTimeError",
    "Outside",
    "Slot",
    "SlotLocalTimes",
    "WorkingPattern",
    "is_quiet",
    "is_valid_zone",
    "local_instant",
    "local_instant_exact",
    "local_times",
    "next_digest_due",
    "propose_slots",
    "propose_team_slots",
    "weekly_overlap",
]

OutsideKind = Literal["early", "late", "day off"]

_WEEK = timedelta(days=7)
_MINUTE = timedelta(minutes=1)


def _require_aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _minutes(delta: timedelta) -> int:
    return math.ceil(delta / _MINUTE)


def _local_dates(zone: str, start: datetime, end: datetime) -> Iterator[date]:
    # A day of margin on each side covers working hours that, in UTC, begin the
    # day before or end the day after their local date.
    zone_info = tz(zone)
    current = start.astimezone(zone_info).date() - timedelta(days=1)
    last = end.astimezone(zone_info).date() + timedelta(days=1)
    while current <= last:
        yield current
        current += timedelta(days=1)


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
    a_tz, b_tz = tz(a_zone), tz(b_zone)
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
        self.tz = tz(pattern.zone)
        self._hours: dict[date, tuple[datetime, datetime] | None] = {}

    def hours_on(self, local_date: date) -> tuple[datetime, datetime] | None:
        if local_date not in self._hours:
            self._hours[local_date] = self.pattern.hours_on(local_date)
        return self._hours[local_date]

    def outside(self, start: datetime, end: datetime) -> tuple[Outside, ...]:
        local_date = start.astimezone(self.tz).date()
        hours = self.hours_on(local_date)
        # The hours of the day before reach into this one when they run overnight
        # (or, for day hours, through a DST gap).
        previous = self.hours_on(local_date - timedelta(days=1))
        shifts = [h for h in (previous, hours) if h is not None]
        if any(low <= start and end <= high for low, high in shifts):
            return ()
        if not self.pattern.is_overnight:
            shifts = [hours] if hours is not None else []
        if not shifts:
            return (Outside(self.index, "day off", _minutes(end - start)),)

        def stretch(shift: tuple[datetime, datetime]) -> tuple[timedelta, timedelta]:
            return max(shift[0] - start, timedelta()), max(end - shift[1], timedelta())

        # Overnight hours are measured against the nearer of the two shifts: 07:00
        # after a night shift ending 06:00 is an hour late, not 15 hours early.
        early, late = min((stretch(s) for s in shifts), key=_sum_stretch)
        result: list[Outside] = []
        if early:
            result.append(Outside(self.index, "early", _minutes(early)))
        if late:
            result.append(Outside(self.index, "late", _minutes(late)))
        return tuple(result)


def _sum_stretch(pair: tuple[timedelta, timedelta]) -> timedelta:
    return pair[0] + pair[1]


def _cost(outside: tuple[Outside, ...], people: int = 2) -> _Cost:
    per_person = [0] * people
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
    return propose_team_slots(
        (a, b), after=after, weeks=weeks, duration=duration, step=step, limit=limit
    )


def propose_team_slots(
    patterns: Sequence[WorkingPattern],
    *,
    after: datetime,
    weeks: int = 2,
    duration: timedelta = timedelta(minutes=60),
    step: timedelta = timedelta(minutes=30),
    limit: int = 10,
) -> list[Slot]:
    """``propose_slots`` for any number of people (a mentor and a team): slots
    inside everyone's working hours if there are any, else the least-bad ones by
    the same ranking (``Outside.person`` is the index in ``patterns``; the first
    pattern's local days spread the slots)."""
    window_start = _require_aware("after", after)
    if not patterns:
        raise ValueError("patterns must name at least one person")
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    if duration <= timedelta() or step <= timedelta():
        raise ValueError("duration and step must be positive")
    if limit < 0:
        raise ValueError("limit must not be negative")
    window_end = window_start + weeks * _WEEK
    people = tuple(_Person(index, pattern) for index, pattern in enumerate(patterns))

    starts: set[datetime] = set()
    for person in people:
        starts |= _grid_starts(person, window_start, window_end, step)
    candidates = [
        _evaluate(people, start, start + duration) for start in sorted(starts)
    ]
    inside = [candidate for candidate in candidates if candidate.slot.inside_both]
    chosen = _spread(inside or candidates, limit)
    return sorted((candidate.slot for candidate in chosen), key=lambda slot: slot.start)


def _evaluate(
    people: tuple[_Person, ...], start: datetime, end: datetime
) -> _Candidate:
    outside = tuple(entry for person in people for entry in person.outside(start, end))
    return _Candidate(
        slot=Slot(start=start, end=end, inside_both=not outside, outside=outside),
        cost=_cost(outside, len(people)),
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
