"""The lists people choose from: IANA zones and UI languages (never typed freely)."""

from __future__ import annotations

import difflib
import re
import zoneinfo
from functools import cache


@cache
def zone_names() -> frozenset[str]:
    # Drop the legacy aliases (e.g. "US/Eastern", "Etc/GMT+5"): people pick a city.
    return frozenset(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name
        and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    ) | {"UTC"}


@cache
def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zone_names())]


def is_valid_zone(name: str) -> bool:
    return name in zone_names()


# --- Reading a zone someone typed (imports) --------------------------------------------

# CLDR (and so Windows' table below) still uses some pre-2016 IANA names; these are
# the current ones.
_RENAMED = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Godthab": "America/Nuuk",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Indianapolis": "America/Indiana/Indianapolis",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
}
# "GMT+4", "UTC-05:00", "Etc/GMT+4", "+04:00": an offset, not a place.
_OFFSET = re.compile(
    r"(?:etc/)?(?:gmt|utc|z)?\s*(?P<sign>[+\-−])\s*(?P<hours>\d{1,2})(?::?\d{2})?",
    re.IGNORECASE,
)


class ZoneNotRecognised(ValueError):
    """``str(error)`` says why, with a "did you mean" when there is a near name."""


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip()).casefold()


@cache
def _zones_by_key() -> dict[str, str]:
    """Lower-cased IANA names, and their city parts ("chicago" -> America/Chicago;
    the first zone wins for a city part found twice)."""
    keys: dict[str, str] = {}
    for name in sorted(zone_names()):
        keys[_key(name)] = name
    for name in sorted(zone_names()):
        keys.setdefault(_key(name.rsplit("/", 1)[-1]), name)
    return keys


@cache
def _windows_zones() -> dict[str, str]:
    """Windows zone names ("SE Asia Standard Time") -> IANA, from CLDR's
    windowsZones table (territory 001) as shipped by tzlocal (tzlocal.windows_tz,
    generated from unicode-org/cldr common/supplemental/windowsZones.xml)."""
    from tzlocal.windows_tz import win_tz

    return {_key(windows): _RENAMED.get(iana, iana) for windows, iana in win_tz.items()}


def zone_from_text(text: str) -> str:
    """The IANA zone meant by ``text``: an IANA name in any case, with spaces or
    underscores; a city that names a zone (``Chicago`` -> America/Chicago); or a
    Windows / Outlook zone name (``SE Asia Standard Time`` -> Asia/Bangkok).

    Raises ``ZoneNotRecognised`` otherwise: for an offset such as ``GMT+4``
    (explaining the inverted sign of Etc/GMT zones), and with the nearest names
    as a "did you mean" for a misspelling.
    """
    key = _key(text)
    if not key:
        raise ZoneNotRecognised("Empty.")
    if key in _zones_by_key():
        name = _zones_by_key()[key]
        return _RENAMED.get(name, name)
    renamed = _RENAMED.get(text.strip().replace(" ", "_"))
    if renamed:
        return renamed
    windows = _windows_zones().get(key) or _windows_zones().get(
        re.sub(r"^\(utc[^)]*\)\s*", "", key)
    )
    if windows:
        return windows
    offset = _OFFSET.fullmatch(text.strip())
    if offset:
        # "GMT+4" usually means ahead of UTC; "Etc/GMT+4" is behind it.
        ahead = (offset["sign"] == "+") != key.startswith("etc/")
        hours = int(offset["hours"])
        raise ZoneNotRecognised(
            f"{text.strip()!r} is an offset, not a time zone: it ignores daylight "
            "saving, and its sign is read both ways (in the zone database "
            f"Etc/GMT+{hours} means {hours} hours behind UTC, the opposite of what "
            f"most people mean). Give the place instead, such as "
            f"{_EXAMPLE_BY_OFFSET.get((ahead, hours), 'Asia/Dubai')}."
        )
    near = difflib.get_close_matches(key, list(_zones_by_key()), n=2, cutoff=0.75)
    if near:
        names = " or ".join(_zones_by_key()[n] for n in near)
        raise ZoneNotRecognised(
            f"{text.strip()!r} is not a known time zone; did you mean {names}?"
        )
    raise ZoneNotRecognised(
        f"{text.strip()!r} is not a known time zone; use a city's zone such as "
        "America/Chicago, or a Windows zone name such as India Standard Time."
    )


_EXAMPLE_BY_OFFSET = {
    (True, 1): "Europe/Paris",
    (True, 2): "Europe/Athens",
    (True, 3): "Europe/Istanbul",
    (True, 4): "Asia/Dubai",
    (True, 5): "Asia/Karachi",
    (True, 7): "Asia/Ho_Chi_Minh",
    (True, 8): "Asia/Singapore",
    (True, 9): "Asia/Tokyo",
    (True, 10): "Australia/Sydney",
    (False, 3): "America/Sao_Paulo",
    (False, 4): "America/Halifax",
    (False, 5): "America/New_York",
    (False, 6): "America/Chicago",
    (False, 7): "America/Denver",
    (False, 8): "America/Los_Angeles",
}
