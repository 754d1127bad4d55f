"""Local wall-clock time for sends: digest hours, working days, quiet hours. Pure.

Every instant in or out is an aware datetime; results are in UTC. A person's digest
hour is a wall-clock time in their IANA zone, so its instant is computed for one
local date at a time (never "+24 h" in UTC): that keeps DST changes and half-hour
zones right.

Wall-clock times that do not exist once or exist twice: a time inside a
spring-forward gap moves forward by the gap's length (02:30 on the night clocks jump
02:00 -> 03:00 becomes 03:30, PEP 495's ``fold=0``); a time inside an autumn fold
means its first occurrence.

(``checkins/timezones.py`` has a richer version of these rules for meetings; the
notifications app sits below checkins and may not import it.)
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

WEEKDAYS: frozenset[int] = frozenset(range(5))  # Monday (0) to Friday (4)


@functools.cache
def _zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def _aware(name: str, value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {value!r}")
    return value.astimezone(UTC)


def local_instant(zone: str, local_date: date, at: time) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` reads ``at`` on ``local_date``.

    In a gap the result is moved forward by the gap; in a fold it is the first
    occurrence (both are what ``fold=0`` means for ``zoneinfo``).
    """
    return datetime.combine(local_date, at, tzinfo=_zone(zone)).astimezone(UTC)


def local_date_of(zone: str, instant: datetime) -> date:
    """The calendar date on the wall in ``zone`` at ``instant``."""
    return _aware("instant", instant).astimezone(_zone(zone)).date()


def is_quiet(
    zone: str, instant: datetime, quiet_start: time | None, quiet_end: time | None
) -> bool:
    """Whether ``instant`` is inside the local quiet hours ``[quiet_start, quiet_end)``.

    Quiet hours may wrap midnight (21:00-07:00); missing or equal bounds mean none.
    """
    wall = _aware("instant", instant).astimezone(_zone(zone)).time()
    return _wall_is_quiet(wall, quiet_start, quiet_end)


def _wall_is_quiet(
    wall: time, quiet_start: time | None, quiet_end: time | None
) -> bool:
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= wall < quiet_end
    return wall >= quiet_start or wall < quiet_end  # wraps midnight


def quiet_ends_at(
    zone: str, instant: datetime, quiet_start: time | None, quiet_end: time | None
) -> datetime:
    """``instant`` itself if it is not quiet, else the first instant after the quiet hours."""
    if quiet_end is None or not is_quiet(zone, instant, quiet_start, quiet_end):
        return instant
    today = local_date_of(zone, instant)
    for local_date in (today, today + timedelta(days=1)):
        end = local_instant(zone, local_date, quiet_end)
        if end > instant:
            return end
    raise AssertionError("unreachable: quiet hours end within a day")


def next_digest_at(
    *,
    zone: str,
    after: datetime,
    hour: time,
    working_days: frozenset[int] = WEEKDAYS,
    quiet_start: time | None = None,
    quiet_end: time | None = None,
) -> datetime:
    """The next digest instant strictly after ``after``: local ``hour`` on a working day.

    ``working_days`` are local weekdays, 0 = Monday. An hour inside the quiet hours
    moves to their end on the same local date (06:00 with quiet 21:00-07:00 -> 07:00),
    so a digest never goes out at night and never leaves its working day.
    """
    after = _aware("after", after)
    if not working_days or not working_days <= frozenset(range(7)):
        raise ValueError("working_days must be a non-empty set of 0 (Mon) .. 6 (Sun)")
    # A day early: a gap at local midnight can push a date's instant onto the next.
    local_date = local_date_of(zone, after) - timedelta(days=1)
    wall = hour
    if quiet_end is not None and _wall_is_quiet(hour, quiet_start, quiet_end):
        wall = quiet_end
    for _ in range(10):
        if local_date.weekday() in working_days:
            # A DST gap can still push the instant into the quiet hours.
            due = quiet_ends_at(
                zone, local_instant(zone, local_date, wall), quiet_start, quiet_end
            )
            if due > after:
                return due
        local_date += timedelta(days=1)
    raise AssertionError("unreachable: a working day falls within 10 days")


def days_to_text(days: frozenset[int]) -> str:
    """Working days as stored on a row: "01234" for Monday to Friday."""
    return "".join(str(day) for day in sorted(days))


def days_from_text(text: str) -> frozenset[int]:
    return frozenset(int(char) for char in text) if text else WEEKDAYS
