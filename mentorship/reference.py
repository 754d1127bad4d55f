"""The fixed vocabularies of a participant's profile, and their parsing.

Countries (ISO 3166-1 alpha-2) and languages (ISO 639-1) come from real lists
(`reference_data`); time zones from `mentorship.accounts.timezones`. Skills are
free text normalised to lowercase ("System design " -> "system design") rather than
a vocabulary table: organizations bring their own words, and matching compares the
normalised strings. Weekdays are ints, 0 = Monday (Python's `date.weekday()`).
"""

from __future__ import annotations

import re
from functools import cache

from django.core.exceptions import ValidationError

from mentorship.reference_data import COUNTRIES, LANGUAGES

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_CHOICES = [(index, name) for index, name in enumerate(WEEKDAYS)]
MONDAY_TO_FRIDAY = [0, 1, 2, 3, 4]

COUNTRY_CHOICES = list(COUNTRIES)
LANGUAGE_CHOICES = [(code, names[0]) for code, names in LANGUAGES]

MAX_SKILL_LENGTH = 80
MAX_SKILLS = 30


@cache
def _country_lookup() -> dict[str, str]:
    lookup = {}
    for code, name in COUNTRIES:
        lookup[code.lower()] = code
        lookup[name.lower()] = code
    return lookup


@cache
def _language_lookup() -> dict[str, str]:
    lookup = {}
    for code, names in LANGUAGES:
        lookup[code] = code
        for name in names:
            lookup[name.lower()] = code
    return lookup


@cache
def country_names() -> dict[str, str]:
    return dict(COUNTRIES)


@cache
def language_names() -> dict[str, str]:
    return dict(LANGUAGE_CHOICES)


#: ISO 639-1 codes of the languages most people in the product speak, listed first.
WIDELY_SPOKEN = ("en", "es", "fr", "pt", "de", "ar", "zh", "hi", "ru", "ja", "vi", "pl")


def language_choices_for(spoken: list[str] | None) -> list[tuple[str, str]]:
    """Every language for a checkbox list: the person's own first (what is ticked is
    in sight), then the most spoken, then the rest by name (a filter box finds any)."""
    own = set(spoken or [])
    return sorted(
        LANGUAGE_CHOICES,
        key=lambda choice: (
            choice[0] not in own,
            choice[0] not in WIDELY_SPOKEN,
            WIDELY_SPOKEN.index(choice[0]) if choice[0] in WIDELY_SPOKEN else 0,
        ),
    )


def country_code(value: str) -> str | None:
    """ "vn", "VN" or "Vietnam" -> "VN"; None when it is no country."""
    return _country_lookup().get(value.strip().lower())


def language_code(value: str) -> str | None:
    """ "en", "EN" or "English" -> "en"; None when it is no ISO 639-1 language."""
    return _language_lookup().get(value.strip().lower())


def is_country(code: str) -> bool:
    return code in country_names()


def is_language(code: str) -> bool:
    return code in language_names()


def skill_normalize(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip().lower()


def skills_normalize(values: list[str]) -> list[str]:
    """Lowercase, trimmed, de-duplicated, order kept; empty entries dropped."""
    seen: dict[str, None] = {}
    for value in values:
        skill = skill_normalize(value)
        if skill:
            seen.setdefault(skill, None)
    return list(seen)


_DAY_INDEX = {name.lower(): index for index, name in enumerate(WEEKDAYS)}
_DAY_INDEX.update(
    {
        name.lower(): index
        for index, name in enumerate(
            (
                "Monday",
                "Tuesday",
                "Wednesday",
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
            )
        )
    }
)


def weekdays_parse(value: str) -> list[int]:
    """ "Mon-Fri", "Sun-Thu" (ranges wrap), "Mon;Wed;Fri" or "Mon, Tue" -> sorted ints.

    Raises ValueError naming the part it could not read.
    """
    days: set[int] = set()
    for part in re.split(r"[;,]", value):
        part = part.strip()
        if not part:
            continue
        bounds = [bound.strip().lower() for bound in re.split(r"\s*[-–]\s*", part)]
        if len(bounds) > 2 or any(bound not in _DAY_INDEX for bound in bounds):
            raise ValueError(f"{part!r} is not a day or range such as Mon-Fri")
        first, last = _DAY_INDEX[bounds[0]], _DAY_INDEX[bounds[-1]]
        day = first
        days.add(day)
        while day != last:
            day = (day + 1) % 7
            days.add(day)
    if not days:
        raise ValueError("no working days given")
    return sorted(days)


def weekdays_label(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] -> "Mon–Fri"; [6, 0, 1, 2, 3] -> "Sun–Thu"; else "Mon, Wed"."""
    unique = sorted(set(days))
    if not unique:
        return "—"
    if len(unique) == 7:
        return "Every day"
    # A consecutive run, possibly wrapping past Sunday: find where it starts.
    for start in unique:
        run = [(start + offset) % 7 for offset in range(len(unique))]
        if sorted(run) == unique:
            if len(run) == 1:
                return WEEKDAYS[start]
            return f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}"
    return ", ".join(WEEKDAYS[day] for day in unique)


def validate_country(value: str) -> None:
    """Model/form validator: ``value`` is empty or an ISO 3166-1 alpha-2 code
    (``is_country``); ValidationError otherwise."""
    if value and not is_country(value):
        raise ValidationError(f"{value!r} is not an ISO 3166 country code.")


def validate_languages(value: list[str]) -> None:
    """Model/form validator: every code is ISO 639-1 (``is_language``);
    ValidationError naming the unknown ones otherwise."""
    unknown = [code for code in value if not is_language(code)]
    if unknown:
        raise ValidationError(
            f"Not ISO 639-1 language codes: {', '.join(map(repr, unknown))}."
        )
