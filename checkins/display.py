"""Times on several wall clocks at once, as people read them. Pure: no Django import.

"Tue 14:00 for you · 21:00 for Minh": the first person (the viewer) gets the weekday;
anyone else gets it too when their local date differs from the viewer's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from checkins.timezones import Outside
from mentorship import localtime


@dataclass(frozen=True)
class Clock:
    """A person as a time is shown to them: "you" for the viewer, else a first name."""

    label: str
    zone: str

    @property
    def is_you(self) -> bool:
        return self.label == "you"


def local(instant: datetime, zone: str) -> datetime:
    """``instant`` on the wall clock of ``zone`` (an unknown zone reads as UTC)."""
    return localtime.wall_clock(zone, instant)


def times_line(
    start: datetime, clocks: Sequence[Clock], end: datetime | None = None
) -> str:
    """'Tue 14:00 for you · 21:00 for Minh' (with '–15:00' ends when ``end`` is given)."""
    parts = []
    first_date = None
    for clock in clocks:
        at = local(start, clock.zone)
        text = f"{at:%H:%M}"
        if end is not None:
            text += f"–{local(end, clock.zone):%H:%M}"
        if first_date is None or at.date() != first_date:
            text = f"{at:%a} {text}"
        first_date = first_date or at.date()
        parts.append(f"{text} for {clock.label}")
    return " · ".join(parts)


def date_line(start: datetime, zone: str) -> str:
    """'Tuesday 3 March 2026' on the viewer's calendar."""
    at = local(start, zone)
    return f"{at:%A} {at.day} {at:%B %Y}"


def short_datetime(instant: datetime, zone: str) -> str:
    """'Tue 3 Mar, 14:00 (Asia/Kolkata)' for emails and lists."""
    at = local(instant, zone)
    return f"{at:%a} {at.day} {at:%b}, {at:%H:%M} ({localtime.zone_name(zone)})"


def place(zone: str) -> str:
    """'Ho Chi Minh' for 'Asia/Ho_Chi_Minh'; 'UTC' stays."""
    return localtime.zone_name(zone).rsplit("/", 1)[-1].replace("_", " ")


def minutes_text(minutes: int) -> str:
    if minutes < 120:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def outside_label(outside: Outside, clocks: Sequence[Clock]) -> str:
    """'early for Minh by 60 min', 'late for you by 30 min', "Minh's day off"."""
    clock = clocks[outside.person]
    if outside.kind == "day off":
        return "your day off" if clock.is_you else f"{clock.label}'s day off"
    return f"{outside.kind} for {clock.label} by {minutes_text(outside.minutes)}"


def outside_hours_label(
    outside: Outside, clocks: Sequence[Clock], start: datetime, end: datetime
) -> str:
    """For a team's least-bad slot: "outside working hours for Amina (19:00–20:00
    in Tunis)", "outside your working hours (…)", or "Amina's day off"."""
    clock = clocks[outside.person]
    if outside.kind == "day off":
        return "your day off" if clock.is_you else f"{clock.label}'s day off"
    who = "your working hours" if clock.is_you else f"working hours for {clock.label}"
    span = f"{local(start, clock.zone):%H:%M}–{local(end, clock.zone):%H:%M}"
    return f"outside {who} ({span} in {place(clock.zone)})"
