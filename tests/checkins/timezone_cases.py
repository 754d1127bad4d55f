"""Shared cases for the checkins.timezones tests: instants, nine-to-five patterns.

The 2026 rules the tests' expected instants are worked out from by hand (each
case notes the ones it uses):
US DST starts Sun 8 Mar (02:00 local) and ends Sun 1 Nov; EU DST runs Sun 29 Mar
(01:00 UTC) to Sun 25 Oct (01:00 UTC); New Zealand ends Sun 5 Apr (03:00 NZDT) and
starts Sun 27 Sep (02:00 NZST); New South Wales starts Sun 4 Oct; Lord Howe moves
only 30 minutes. Asia/Kolkata (+5:30), Asia/Kathmandu (+5:45), Asia/Dhaka (+6) and
Asia/Ho_Chi_Minh (+7) have no DST; America/St_Johns is -3:30, -2:30 from 8 Mar.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from checkins.timezones import Slot, WorkingPattern

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
