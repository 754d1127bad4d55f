"""The data rows: every cell normalised, refused when it looks like a formula or
holds control characters, then cleaned per column (emails, roles, zones,
countries, languages, skills, numbers, hours, days, dates)."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentorship import reference
from mentorship.accounts.timezones import ZoneNotRecognised, zone_from_text
from mentorship.fields import (
    describe_character,
    forbidden_character,
    normalize_email,
    normalize_text,
)
from mentorship.spreadsheets import FORMULA_PREFIXES
from programs.importing.columns import (
    LIST_COLUMNS,
    MAX_CAPACITY,
    MAX_CELL,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SENIORITY_WORDS,
    TEXT_LIMITS,
)
from programs.importing.headers import _header_of, header_key
from programs.importing.result import ParsedFile

_PERSON_FIELDS = frozenset(("email", "full_name", "first_name", "last_name"))


def _person(cells: list[str], fields: list[str | None]) -> str:
    """Who a row is about, for its problems: the email, else the name."""
    values = {
        name: normalize_text(cells[index])[:80]
        for index, name in enumerate(fields)
        if name in _PERSON_FIELDS and index < len(cells)
    }
    name = values.get("full_name") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part
    )
    email = values.get("email", "")
    if "@" in email and not email.startswith(FORMULA_PREFIXES):
        return email
    return name if not name.startswith(FORMULA_PREFIXES) else ""


def _row(
    line: int, cells: list[str], fields: list[str | None], parsed: ParsedFile
) -> dict | None:
    before = parsed.problem_total
    person = _person(cells, fields)
    if len(cells) > len(fields) and any(cell.strip() for cell in cells[len(fields) :]):
        parsed.add(
            line,
            "",
            f"The row has {len(cells)} cells but the header has {len(fields)}.",
            person,
        )
        return None
    row: dict = {"line": line}
    for index, name in enumerate(fields):
        if not name:
            continue
        header = parsed.columns[index]["header"] or name
        value = normalize_text(cells[index] if index < len(cells) else "")
        if value.startswith(FORMULA_PREFIXES):
            parsed.add(
                line,
                header,
                f"Starts with {_describe(value[0])}: cells that look like formulas are "
                "refused.",
                person,
            )
        elif len(value) > MAX_CELL:
            parsed.add(line, header, f"Longer than {MAX_CELL} characters.", person)
        elif (char := _forbidden(value, name)) is not None:
            parsed.add(
                line,
                header,
                f"Contains {describe_character(char)}: cells take one line of plain "
                "text, without control or text-direction characters.",
                person,
            )
        else:
            try:
                row[name] = _CLEANERS.get(name, _clean_text(name))(value)
            except ValueError as error:
                parsed.add(line, header, str(error), person)
    if parsed.problem_total == before:
        _names_compose(line, row, fields, parsed, person)
    if parsed.problem_total == before:
        _check_hr_dates(line, row, parsed, person)
    if parsed.problem_total > before:
        return None
    for name in OPTIONAL_COLUMNS:
        row.setdefault(name, None)
    return row


def _names_compose(
    line: int, row: dict, fields: list[str | None], parsed: ParsedFile, person: str
) -> None:
    """full_name from first and last names when the file has no full-name column;
    preferred_name from the first (given) name when it has no preferred one."""
    first, last = row.pop("first_name", None), row.pop("last_name", None)
    if not row.get("full_name"):
        row["full_name"] = " ".join(part for part in (first, last) if part)
    if not row.get("preferred_name") and first:
        row["preferred_name"] = first
    if not row["full_name"]:
        parsed.add(
            line,
            _header_of(parsed, "full_name"),
            "Required: the person's name.",
            person,
        )
    elif len(row["full_name"]) > TEXT_LIMITS["full_name"]:
        parsed.add(
            line,
            _header_of(parsed, "full_name"),
            "The name is longer than 200 characters.",
            person,
        )


def _check_hr_dates(line: int, row: dict, parsed: ParsedFile, person: str) -> None:
    """A leave date means the person left; it can't come before the hire date."""
    if row.get("left_on"):
        if row.get("employment_status") == "active":
            parsed.add(
                line,
                _header_of(parsed, "left_on"),
                "A leave date is only for people who left.",
                person,
            )
            return
        row["employment_status"] = "left"
        if row.get("hired_on") and row["left_on"] < row["hired_on"]:
            parsed.add(
                line,
                _header_of(parsed, "left_on"),
                "The leave date is before the hire date.",
                person,
            )


def _forbidden(raw: str, column: str) -> str | None:
    """The first control or bidi character in a cell (line breaks separate the
    items of list columns)."""
    if column in LIST_COLUMNS:
        raw = raw.replace("\r\n", "\n").replace("\n", ";")
    return forbidden_character(raw.strip())


def _describe(char: str) -> str:
    return {"\t": "a tab", "\r": "a carriage return"}.get(char, f"'{char}'")


def _clean_text(column: str):
    limit = TEXT_LIMITS.get(column, 200)

    def clean(value: str) -> str | None:
        if len(value) > limit:
            raise ValueError(f"Longer than {limit} characters.")
        return value if value or column in REQUIRED_COLUMNS else None

    return clean


def _clean_email(value: str) -> str:
    if not value:
        raise ValueError("Required.")
    email = normalize_email(value)
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{value!r} is not a valid email address.") from None
    return email


def _clean_manager_email(value: str) -> str | None:
    return _clean_email(value) if value else None


def _clean_role(value: str) -> str:
    role = value.casefold()
    if role not in ("mentor", "mentee"):
        raise ValueError(
            f"{value!r} is not a role; use mentor or mentee."
            if value
            else "Required: mentor or mentee."
        )
    return role


def _clean_time_zone(value: str) -> str | None:
    if not value:
        return None
    try:
        return zone_from_text(value)
    except ZoneNotRecognised as error:
        raise ValueError(str(error)) from None


def _clean_country(value: str) -> str | None:
    if not value:
        return None
    code = reference.country_code(value)
    if code is None:
        raise ValueError(f"{value!r} is not a country; use an ISO code such as VN.")
    return code


def _clean_languages(value: str) -> list[str] | None:
    if not value:
        return None
    codes: list[str] = []
    for part in re.split(r"[;,/\n]", value):
        if not part.strip():
            continue
        code = reference.language_code(part)
        if code is None:
            raise ValueError(
                f"{part.strip()!r} is not an ISO 639-1 language; use codes such as en;vi."
            )
        if code not in codes:
            codes.append(code)
    return codes


def _clean_skills(value: str) -> list[str] | None:
    if not value:
        return None
    # "/" separates only with a space beside it: "CI/CD" is one skill.
    skills = reference.skills_normalize(re.split(r"[;,\n]|\s/|/\s", value))
    if len(skills) > reference.MAX_SKILLS:
        raise ValueError(f"More than {reference.MAX_SKILLS} skills.")
    too_long = [skill for skill in skills if len(skill) > reference.MAX_SKILL_LENGTH]
    if too_long:
        raise ValueError(
            f"A skill is longer than {reference.MAX_SKILL_LENGTH} characters."
        )
    return skills


def _clean_int(low: int, high: int, what: str):
    def clean(value: str) -> int | None:
        if not value:
            return None
        if not re.fullmatch(r"\d{1,3}", value):
            raise ValueError(f"{value!r} is not a whole number {low}-{high} ({what}).")
        number = int(value)
        if not low <= number <= high:
            raise ValueError(f"{number} is outside {low}-{high} ({what}).")
        return number

    return clean


_SENIORITY_BY_WORD = {
    word: level for level, words in SENIORITY_WORDS.items() for word in words
}


def _clean_seniority(value: str) -> int | None:
    """1-6, or a word for a level ("Senior", "mid-level", "Jr.")."""
    if not value:
        return None
    if re.fullmatch(r"\d{1,2}(\.0+)?", value):
        return _clean_int(1, 6, "seniority")(value.split(".")[0])
    level = _SENIORITY_BY_WORD.get(header_key(value))
    if level is None:
        raise ValueError(
            f"{value!r} is not a seniority; use 1-6 or entry, junior, mid, senior, "
            "lead or executive."
        )
    return level


def _clean_working_hours(value: str) -> list[str] | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})\s*[-–]\s*(\d{1,2})[:.](\d{2})", value)
    if not match:
        raise ValueError(f"{value!r} is not a time range such as 09:00-17:00.")
    hour_a, minute_a, hour_b, minute_b = (int(part) for part in match.groups())
    try:
        start = datetime.time(hour_a, minute_a)
        end = datetime.time(
            hour_b % 24 if (hour_b, minute_b) == (24, 0) else hour_b, minute_b
        )
    except ValueError:
        raise ValueError(f"{value!r} has an impossible time.") from None
    if start == end:
        raise ValueError("Working hours must not start and end at the same time.")
    return [start.strftime("%H:%M"), end.strftime("%H:%M")]


def _clean_working_days(value: str) -> list[int] | None:
    if not value:
        return None
    return reference.weekdays_parse(value)


def _clean_date(value: str) -> str | None:
    """An ISO date (a spreadsheet's date cell reads as one) -> "YYYY-MM-DD"."""
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{value!r} is not a date such as 2024-03-31.") from None


def _clean_employment_status(value: str) -> str | None:
    if not value:
        return None
    status = value.lower()
    if status not in ("active", "left"):
        raise ValueError(f"{value!r} is not an employment status; use active or left.")
    return status


_CLEANERS = {
    "email": _clean_email,
    "role": _clean_role,
    "time_zone": _clean_time_zone,
    "country": _clean_country,
    "languages": _clean_languages,
    "skills_offered": _clean_skills,
    "skills_wanted": _clean_skills,
    "seniority": _clean_seniority,
    "manager_email": _clean_manager_email,
    "capacity": _clean_int(0, MAX_CAPACITY, "capacity"),
    "working_hours": _clean_working_hours,
    "working_days": _clean_working_days,
    "employment_status": _clean_employment_status,
    "hired_on": _clean_date,
    "left_on": _clean_date,
    "last_promoted_on": _clean_date,
}
