"""The header row: names matched loosely against each field's aliases, unknown
columns mapped or ignored by the coordinator, required columns checked."""

from __future__ import annotations

import re
import unicodedata

from mentorship.fields import normalize_text
from mentorship.spreadsheets import FORMULA_PREFIXES
from programs.importing.columns import FIELD_LABELS, FIELDS, HEADER_ALIASES
from programs.importing.result import ParsedFile


def header_key(name: str) -> str:
    """A header compared loosely: accents, case, spaces and punctuation dropped.
    ``"E-mail Address"`` → ``"emailaddress"``, ``"Prénom"`` → ``"prenom"``."""
    decomposed = unicodedata.normalize("NFKD", name.replace("&", "and"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"[^0-9a-z]+", "", bare.casefold())


_FIELD_BY_KEY: dict[str, str] = {}


def _field_for_key(key: str) -> str | None:
    if not _FIELD_BY_KEY:
        for name in FIELDS:
            _FIELD_BY_KEY[header_key(name)] = name
        for name, aliases in HEADER_ALIASES.items():
            for alias in aliases:
                _FIELD_BY_KEY.setdefault(header_key(alias), name)
    return _FIELD_BY_KEY.get(key)


def _header_columns(
    line: int, header: list[str], mapping: dict[str, str], parsed: ParsedFile
) -> list[str | None] | None:
    """The field each column holds (None: ignored), or None when the header has a
    problem. Records ``parsed.columns`` either way, for the mapping step."""
    fields: list[str | None] = []
    ok = True
    for text in header:
        name = normalize_text(text)
        key = header_key(name)
        field_name = _field_for_key(key)
        how = "alias" if field_name else "unknown"
        if field_name and key == header_key(field_name):
            how = "named"
        if field_name is None and key in mapping:
            field_name = mapping[key] if mapping[key] in FIELDS else None
            how = "mapped" if field_name else "ignored"
        if not name:
            how = "ignored"
        parsed.columns.append(
            {"header": name[:80], "key": key, "field": field_name, "how": how}
        )
        if name.startswith(FORMULA_PREFIXES):
            parsed.add(line, name[:40], "Column names must not look like formulas.")
            ok = False
        elif how == "unknown":
            # The rows are still checked: the preview shows every problem at once.
            parsed.add(
                line,
                name[:40],
                "Unknown column: choose what it holds, or ignore it, under "
                "“Columns to map”.",
            )
        fields.append(field_name)
    for field_name in {name for name in fields if name}:
        headers = [
            column["header"]
            for column in parsed.columns
            if column["field"] == field_name
        ]
        if len(headers) > 1:
            parsed.add(
                line,
                headers[1][:40],
                f"Two columns hold {FIELD_LABELS[field_name].lower()}: "
                + " and ".join(repr(header) for header in headers)
                + ". Ignore one of them.",
            )
            ok = False
    present = set(fields)
    missing = [name for name in ("email", "role") if name not in present]
    if not present & {"full_name", "first_name", "last_name"}:
        missing.insert(1, "full_name")
    for name in missing:
        parsed.add(
            line,
            name,
            f"Required column is missing ({FIELD_LABELS[name].lower()}"
            + (", or first and last name columns" if name == "full_name" else "")
            + ").",
        )
        ok = False
    return fields if ok else None


def _column_samples(parsed: ParsedFile, body: list[tuple[int, list[str]]]) -> None:
    """Up to three values of each column the coordinator maps, to recognise it by."""
    for index, column in enumerate(parsed.columns):
        if column["how"] not in ("unknown", "mapped", "ignored"):
            continue
        values: list[str] = []
        for _line, cells in body[:50]:
            value = normalize_text(cells[index])[:40] if index < len(cells) else ""
            if value and value not in values:
                values.append(value)
            if len(values) == 3:
                break
        column["samples"] = values


def _header_of(parsed: ParsedFile, name: str) -> str:
    """The file's header of the column holding field ``name`` (or the name)."""
    for column in parsed.columns:
        if column["field"] == name:
            return column["header"] or name
    return name
