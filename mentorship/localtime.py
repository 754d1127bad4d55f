"""The one place for local time. Pure: no Django import (DESIGN.md "Time zones").

Every instant that goes in or comes out is an aware datetime; outputs are in UTC.
A person's working hours, digest hour and quiet hours are wall-clock times in their
IANA zone, so they become instants one local date at a time (never "+24 h" or
"+7 days" in UTC): that is what keeps DST changes on different dates, and half-hour
and 45-minute zones, right.

The rules, each stated once:

- **Zone fallback.** A stored name that is not an IANA zone of
  ``zoneinfo.available_timezones()`` (or is "localtime"/"posixrules") reads as UTC
  (``zone_name``/``tz``): a bad value must not stop anyone's page or reminder.
  ``WorkingPattern`` alone refuses one, since it is built from cleaned values.
- **Gap and fold** (``local_instant``). A wall-clock time inside a spring-forward
  gap (01:30 in London on 2026-03-29, clocks 01:00 -> 02:00) means the first
  instant after the gap, the jump itself (01:00Z, reading 02:00 BST). A time inside
  an autumn fold means its first occurrence. Equivalently: the earliest instant
  whose wall clock reads ``at`` on ``local_date`` or later.
- **Working hours** on a local date run from ``local_instant(date, start)`` to
  ``local_instant(date, end)``, or to ``local_instant(date + 1, end)`` when
  ``end <= start``: overnight hours (22:00-06:00) belong to the date they start on.
- **Weekly overlap** is measured on a 15-minute UTC grid: each boundary of each
  person's hours is rounded to the nearest quarter hour (half up), and the week is
  the seven UTC days from ``week_start`` 00:00 UTC. Every zone in use since 1980
  has its offsets and changes on that grid, so for hours given in quarter hours
  the figure is exact (Asia/Kolkata, Asia/Kathmandu, Australia/Eucla included);
  ``utc_week_mask`` is the same measure as 672 booleans for the matching engine,
  and ``weekly_overlap`` is computed from it, so every figure agrees.
- **Quiet hours** ``[quiet_start, quiet_end)`` may wrap midnight; equal or missing
  bounds mean none. A digest hour inside them moves to their end on the same
  local date (``next_digest_due``).
"""

from __future__ import annotations

import functools
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray

WEEKDAYS: frozenset[int] = frozenset(range(5))  # Monday (0) to Friday (4)
QUARTER = timedelta(minutes=15)
QUARTERS_PER_WEEK = 7 * 24 * 4  # 672 slots of utc_week_mask
_WEEK = timedelta(days=7)
_SECOND = timedelta(seconds=1)
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})

WeekMask = NDArray[np.bool_]


# --- Zones ------------------------------------------------------------------------


@functools.cache
def _available_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _NOT_ZONES


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone people may choose (``available_timezones``;
    not "localtime", "posixrules" or "Factory", which ``ZoneInfo`` also opens)."""
    return name in _available_zones()


def zone_name(name: str | None) -> str:
    """``name`` if it is a valid zone, else "UTC" (the one fallback)."""
    return name if name and is_valid_zone(name) else "UTC"


@functools.cache
def tz(name: str | None) -> zoneinfo.ZoneInfo:
    """The ``ZoneInfo`` for ``name``, falling back to UTC like ``zone_name``."""
    return zoneinfo.ZoneInfo(zone_name(name))


def _require_aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _require_naive_time(name: str, value: time) -> None:
    if value.tzinfo is not None:
        raise ValueError(f"{name} must be a wall-clock time without tzinfo")


# --- Wall clock <-> instant -------------------------------------------------------


def wall_clock(zone: str | None, instant: datetime) -> datetime:
    """``instant`` as an aware datetime on the wall clock of ``zone``."""
    return _require_aware("instant", instant).astimezone(tz(zone))


def local_date_of(zone: str | None, instant: datetime) -> date:
    """The calendar date on the wall in ``zone`` at ``instant``."""
    return wall_clock(zone, instant).date()


def local_instant(zone: str | None, local_date: date, at: time) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` shows ``at`` on ``local_date``.

    In a spring-forward gap the time does not exist: the result is the first
    instant after the gap (the jump). In an autumn fold it is the first occurrence.
    """
    _require_naive_time("at", at)
    zone_info = tz(zone)
    wall = datetime.combine(local_date, at)
    # fold=0 is the earlier of two occurrences (PEP 495).
    first = wall.replace(tzinfo=zone_info, fold=0).astimezone(UTC)
    if first.astimezone(zone_info).replace(tzinfo=None) == wall:
        return first
    # In a gap, fold=0 applies the pre-transition offset and lands after the jump,
    # fold=1 the post-transition one and lands before it: the jump lies between.
    low = wall.replace(tzinfo=zone_info, fold=1).astimezone(UTC)
    high = first
    while high - low > _SECOND:  # transitions fall on whole seconds
        middle = low + ((high - low) // 2 // _SECOND) * _SECOND
        if middle.astimezone(zone_info).replace(tzinfo=None) >= wall:
            high = middle
        else:
            low = middle
    return high


class NonexistentLocalTimeError(ValueError):
    """A wall-clock time that a spring-forward change skips (02:30 on that night)."""


def local_instant_exact(zone: str | None, wall: datetime) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` shows the naive ``wall``.

    For times people type in: a time inside a gap never happens, so it is refused
    with ``NonexistentLocalTimeError`` instead of being moved. A fold means its
    first occurrence.
    """
    if wall.tzinfo is not None:
        raise ValueError("wall must be a naive wall-clock datetime")
    instant = local_instant(zone, wall.date(), wall.time())
    if instant.astimezone(tz(zone)).replace(tzinfo=None) != wall:
        raise NonexistentLocalTimeError(
            f"{wall:%Y-%m-%d %H:%M} does not exist in {zone_name(zone)}: "
            "the clocks skip it"
        )
    return instant


# --- Quiet hours and digests ------------------------------------------------------


def _quiet_contains(
    wall: time, quiet_start: time | None, quiet_end: time | None
) -> bool:
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return False
    _require_naive_time("quiet_start", quiet_start)
    _require_naive_time("quiet_end", quiet_end)
    if quiet_start < quiet_end:
        return quiet_start <= wall < quiet_end
    return wall >= quiet_start or wall < quiet_end  # wraps midnight, 21:00-07:00


def is_quiet(
    zone: str | None,
    instant: datetime,
    quiet_start: time | None,
    quiet_end: time | None,
) -> bool:
    """Whether ``instant`` falls in the local quiet hours ``[quiet_start, quiet_end)``."""
    return _quiet_contains(wall_clock(zone, instant).time(), quiet_start, quiet_end)


def quiet_ends_at(
    zone: str | None,
    instant: datetime,
    quiet_start: time | None,
    quiet_end: time | None,
) -> datetime:
    """``instant`` itself if it is not quiet, else the first instant after the quiet
    hours (their local end, on the date they end)."""
    if quiet_end is None or not is_quiet(zone, instant, quiet_start, quiet_end):
        return instant
    today = local_date_of(zone, instant)
    for local_date in (today, today + timedelta(days=1)):
        end = local_instant(zone, local_date, quiet_end)
        if end > instant:
            return end
    raise AssertionError("unreachable: quiet hours end within a day")


def _check_days(name: str, days: frozenset[int]) -> None:
    if not days:
        raise ValueError(f"{name} must name at least one day")
    if not days <= frozenset(range(7)):
        raise ValueError(f"{name} must be weekdays 0 (Monday) to 6 (Sunday)")


def next_digest_due(
    *,
    zone: str | None,
    after: datetime,
    hour: time,
    working_days: frozenset[int] = WEEKDAYS,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
) -> datetime:
    """The next UTC instant strictly after ``after`` for someone's daily digest.

    It is at local ``hour`` on one of ``working_days`` (0 = Monday), computed per
    local date. If ``hour`` is inside the quiet hours it moves to ``quiet_end`` of
    the same local date, so a send never leaves its working day: with quiet hours
    21:00-07:00 an hour of 06:00 becomes 07:00, and one of 22:00 becomes 07:00 that
    morning. A DST gap that pushes the instant into quiet hours moves it to their end.
    """
    after = _require_aware("after", after)
    _require_naive_time("hour", hour)
    _check_days("working_days", working_days)
    wall = hour
    if quiet_end is not None and _quiet_contains(hour, quiet_start, quiet_end):
        wall = quiet_end
    # A day early: a local time in a gap at midnight can resolve onto the next date.
    local_date = local_date_of(zone, after) - timedelta(days=1)
    for _ in range(9):
        if local_date.weekday() in working_days:
            due = local_instant(zone, local_date, wall)
            if quiet_end is not None and is_quiet(zone, due, quiet_start, quiet_end):
                due = max(due, local_instant(zone, local_date, quiet_end))
            if due > after:
                return due
        local_date += timedelta(days=1)
    raise AssertionError("unreachable: some working day falls within 9 days")


def days_to_text(days: frozenset[int]) -> str:
    """Working days as stored on a row: "01234" for Monday to Friday."""
    return "".join(str(day) for day in sorted(days))


def days_from_text(text: str) -> frozenset[int]:
    """The inverse of ``days_to_text``; empty text means Monday to Friday."""
    return frozenset(int(char) for char in text) if text else WEEKDAYS


# --- Working patterns -------------------------------------------------------------


@dataclass(frozen=True)
class WorkingPattern:
    """Someone's usual working hours, as wall-clock times in their own zone.

    ``days`` are the local weekdays on which their hours *start*, 0 = Monday ...
    6 = Sunday. ``end <= start`` means the hours run past midnight into the next
    local date (a 22:00-06:00 night shift starting Monday ends Tuesday 06:00);
    ``end == start`` is refused.
    """

    zone: str
    start: time
    end: time
    days: frozenset[int]

    def __post_init__(self) -> None:
        if not is_valid_zone(self.zone):
            raise ValueError(f"Unknown time zone: {self.zone!r}")
        _require_naive_time("start", self.start)
        _require_naive_time("end", self.end)
        if self.start == self.end:
            raise ValueError("Working hours must end after they start")
        _check_days("days", self.days)

    @property
    def is_overnight(self) -> bool:
        return self.end < self.start

    def hours_on(self, local_date: date) -> tuple[datetime, datetime] | None:
        """The hours starting on ``local_date`` as UTC instants, or None on a day off."""
        if local_date.weekday() not in self.days:
            return None
        end_date = local_date + timedelta(days=1) if self.is_overnight else local_date
        return (
            local_instant(self.zone, local_date, self.start),
            local_instant(self.zone, end_date, self.end),
        )

    def hours_between(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Every stretch of hours touching ``[start, end)``, clipped to it, by start."""
        start, end = _require_aware("start", start), _require_aware("end", end)
        zone_info = tz(self.zone)
        # A day of margin each side covers hours that, in UTC, begin the day
        # before or end the day after their local date; two for overnight hours.
        current = start.astimezone(zone_info).date() - timedelta(days=2)
        last = end.astimezone(zone_info).date() + timedelta(days=1)
        intervals = []
        while current <= last:
            hours = self.hours_on(current)
            if hours is not None:
                low, high = max(hours[0], start), min(hours[1], end)
                if low < high:
                    intervals.append((low, high))
            current += timedelta(days=1)
        return intervals


def _quarter_index(instant: datetime, origin: datetime) -> int:
    # Nearest quarter hour, half up: floor((seconds + 450) / 900).
    return int((instant - origin + QUARTER / 2) // QUARTER)


@functools.lru_cache(maxsize=8192)
def utc_week_mask(pattern: WorkingPattern, week_start: date) -> WeekMask:
    """The 672 UTC quarter hours of the week from ``week_start`` 00:00 UTC in which
    ``pattern`` is working (read-only; cached, since many people share a pattern).

    Slot ``q`` is ``[start + 15q min, start + 15(q+1) min)``; each boundary of the
    person's hours is rounded to the nearest quarter hour, half up. Hours from the
    previous week that run into this one count; hours running past its end are cut.
    """
    origin = datetime.combine(week_start, time(), tzinfo=UTC)
    mask = np.zeros(QUARTERS_PER_WEEK, dtype=bool)
    for low, high in pattern.hours_between(origin - QUARTER, origin + _WEEK + QUARTER):
        first = max(_quarter_index(low, origin), 0)
        last = min(_quarter_index(high, origin), QUARTERS_PER_WEEK)
        if first < last:
            mask[first:last] = True
    mask.setflags(write=False)
    return mask


def weekly_overlap(a: WorkingPattern, b: WorkingPattern, week_start: date) -> timedelta:
    """Time both are inside their working hours in the seven UTC days from
    ``week_start`` 00:00 UTC, on the 15-minute grid of ``utc_week_mask``.

    Symmetric in ``a`` and ``b``; each side's hours come from its own local dates,
    so a week in which one of them changes clocks is measured as lived.
    """
    shared = np.count_nonzero(
        utc_week_mask(a, week_start) & utc_week_mask(b, week_start)
    )
    return int(shared) * QUARTER


def week_monday(day: date) -> date:
    """The Monday of the week containing ``day``: the week every overlap figure uses
    (the matching engine, match cards, the pair page), so they all agree."""
    return day - timedelta(days=day.weekday())


def overlap_week(now: datetime) -> date:
    """The Monday (UTC) of the week containing ``now``: one week for every figure."""
    return week_monday(_require_aware("now", now).date())


def hours_text(duration: timedelta) -> str:
    """ "17 h 30 min", "2 h 30 min", "45 min", "0 h": a weekly overlap as shown."""
    minutes = int(duration // timedelta(minutes=1))
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min" if rest else "0 h"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


@dataclass(frozen=True)
class LeastBadSlot:
    """The meeting start in a week that asks least of two people.

    ``outside_a``/``outside_b`` are how much of the meeting falls outside each
    one's working hours (0 when it is inside them), on the 15-minute grid.
    """

    start: datetime
    end: datetime
    outside_a: timedelta
    outside_b: timedelta


def least_bad_slot(
    a: WorkingPattern,
    b: WorkingPattern,
    week_start: date,
    duration: timedelta = timedelta(hours=1),
) -> LeastBadSlot:
    """The start (on the UTC quarter-hour grid of the week from ``week_start``) for a
    meeting of ``duration`` that stretches the two working days least.

    Each quarter hour outside someone's hours costs its distance, in quarter hours,
    to the nearest quarter they work (so an hour after their day ends beats their
    Sunday night); the slot with the smallest total cost wins, then the smallest
    worst side, then the earliest. For a coordinator deciding whether to publish
    a pair that shares (almost) no working time.
    """
    quarters = max(1, int(duration // QUARTER))
    mask_a, mask_b = utc_week_mask(a, week_start), utc_week_mask(b, week_start)
    window = np.ones(quarters, dtype=np.int64)

    def cost(mask: WeekMask) -> NDArray[np.int64]:
        return np.convolve(_distance_to_work(mask), window, mode="valid")

    cost_a, cost_b = cost(mask_a), cost(mask_b)
    order = np.lexsort(
        (np.arange(len(cost_a)), np.maximum(cost_a, cost_b), cost_a + cost_b)
    )
    best = int(order[0])
    start = datetime.combine(week_start, time(), tzinfo=UTC) + best * QUARTER
    inside_a = int(np.count_nonzero(mask_a[best : best + quarters]))
    inside_b = int(np.count_nonzero(mask_b[best : best + quarters]))
    return LeastBadSlot(
        start=start,
        end=start + quarters * QUARTER,
        outside_a=(quarters - inside_a) * QUARTER,
        outside_b=(quarters - inside_b) * QUARTER,
    )


def _distance_to_work(mask: WeekMask) -> NDArray[np.int64]:
    """For each quarter hour, how many quarter hours away the nearest worked one is."""
    worked = np.flatnonzero(mask)
    index = np.arange(len(mask))
    if not len(worked):
        return np.full(len(mask), len(mask), dtype=np.int64)
    after = np.searchsorted(worked, index)
    right = worked[np.minimum(after, len(worked) - 1)]
    left = worked[np.maximum(after - 1, 0)]
    distance: NDArray[np.int64] = np.minimum(
        np.abs(right - index), np.abs(index - left)
    )
    return distance


# Moved out of quiet hours, a reminder still arrives at least this long before the
# meeting; otherwise it goes before the quiet hours begin.
REMINDER_MARGIN = timedelta(minutes=10)


def reminder_due(
    *,
    zone: str | None,
    due: datetime,
    starts_at: datetime,
    quiet_start: time | None,
    quiet_end: time | None,
) -> datetime:
    """When a meeting reminder meant for ``due`` goes out, given local quiet hours.

    Outside quiet hours: ``due``. Inside them: their end, if that is at least
    ``REMINDER_MARGIN`` before ``starts_at`` (a 1 h reminder for a 07:30 meeting with
    quiet hours until 07:00 goes at 07:00); otherwise the last minute before the quiet
    hours began (a 1 h reminder for a 06:00 meeting goes out the evening before, just
    before 21:00). A reminder is never silently dropped and never sent at night.
    """
    due = _require_aware("due", due)
    if not is_quiet(zone, due, quiet_start, quiet_end) or quiet_start is None:
        return due
    after = quiet_ends_at(zone, due, quiet_start, quiet_end)
    if after <= _require_aware("starts_at", starts_at) - REMINDER_MARGIN:
        return after
    # The quiet stretch containing ``due`` began on its local date or the day before.
    today = local_date_of(zone, due)
    for local_date in (today, today - timedelta(days=1)):
        began = local_instant(zone, local_date, quiet_start)
        if began <= due:
            return began - timedelta(minutes=1)
    raise AssertionError("unreachable: quiet hours began within a day before")
