"""The lists people choose from: IANA zones and UI languages (never typed freely)."""

from __future__ import annotations

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
