"""Replace a person's name and email wherever they appear, in every table.

Driven by PostgreSQL's catalog, not by a list of models: every text, character,
array and JSON column of every table in the organization's schema is searched
(and bytea columns — uploaded files — are emptied where they contain the strings),
so a table added tomorrow is covered without a change here. The same catalog query
drives the erasure test's scan (tests/privacy/test_erasure.py).

Cost: one sequential scan per text column (a few hundred in this schema): 7.7 s
for one person in an organization of 5,000 people and 100,000 notifications
(bench/privacy.py). The retention task (a worker) erases its people one by one.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass

from django.db import connection

#: information_schema data types searched as text.
TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb", "ARRAY")


@dataclass(frozen=True)
class Column:
    table: str
    name: str
    data_type: str  # information_schema's: "text", "jsonb", "ARRAY", "bytea"…
    udt_name: str  # "_varchar" for a varchar[]


def columns(schema: str, *, types: tuple[str, ...] = TEXT_TYPES) -> list[Column]:
    """Every column of ``types`` in the base tables of ``schema``."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type, c.udt_name
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE'
              AND c.data_type = ANY(%s)
            ORDER BY c.table_name, c.ordinal_position
            """,
            [schema, list(types)],
        )
        return [Column(*row) for row in cursor.fetchall()]


def pattern(strings: list[str]) -> str:
    """A case-insensitive PostgreSQL regex matching any of ``strings`` literally."""
    escaped = sorted(
        {re.sub(r"([^\w\s])", r"\\\1", s) for s in strings if s},
        key=len,
        reverse=True,
    )
    return "(" + "|".join(escaped) + ")"


def _cast_back(column: Column) -> str:
    if column.data_type == "ARRAY":
        return f"::{column.udt_name[1:]}[]"
    if column.data_type in ("json", "jsonb"):
        return f"::{column.data_type}"
    return ""


def scrub(
    *, strings: list[str], replacement: str, skip: Set[tuple[str, str]] = frozenset()
) -> int:
    """In the current schema, replace every case-insensitive occurrence of any of
    ``strings`` by ``replacement`` in every text-like column, and empty bytea
    values that contain one (UTF-8). Returns the number of rows changed.

    ``replacement`` must be JSON-safe (no quotes or backslashes): it lands inside
    JSON strings too. Audit tables refuse this unless inside
    ``audit.services.redaction()``.
    """
    strings = [s for s in strings if s and s.strip()]
    if not strings:
        return 0
    if re.search(r'["\\]', replacement):
        raise ValueError("The replacement must be JSON-safe.")
    regex = pattern(strings)
    schema = connection.schema_name  # type: ignore[attr-defined]
    changed = 0
    with connection.cursor() as cursor:
        for column in columns(schema):
            if (column.table, column.name) in skip:
                continue
            table, name = _quote(column.table), _quote(column.name)
            cursor.execute(
                f"UPDATE {table} SET {name} = regexp_replace({name}::text, %s, %s, 'gi')"  # noqa: S608
                f"{_cast_back(column)} WHERE {name}::text ~* %s",
                [regex, replacement, regex],
            )
            changed += cursor.rowcount
        for column in columns(schema, types=("bytea",)):
            table, name = _quote(column.table), _quote(column.name)
            for string in strings:
                cursor.execute(
                    f"UPDATE {table} SET {name} = ''::bytea "  # noqa: S608
                    f"WHERE position(convert_to(%s, 'UTF8') in {name}) > 0",
                    [string],
                )
                changed += cursor.rowcount
    return changed


def hits(*, schema: str, strings: list[str]) -> list[tuple[str, str, int]]:
    """(table, column, rows) where any of ``strings`` appears in ``schema``: the
    erasure's check, and the test's scan."""
    regex = pattern(strings)
    found = []
    with connection.cursor() as cursor:
        for column in columns(schema):
            cursor.execute(
                f"SELECT count(*) FROM {_quote(schema)}.{_quote(column.table)} "  # noqa: S608
                f"WHERE {_quote(column.name)}::text ~* %s",
                [regex],
            )
            count = cursor.fetchone()[0]
            if count:
                found.append((column.table, column.name, count))
    return found


def _quote(identifier: str) -> str:
    return connection.ops.quote_name(identifier)
