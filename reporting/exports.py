"""Writing report tables as CSV (streamed) and XLSX (write-only), safely.

A ``Table`` is a header and a lazy iterable of rows (selectors build them from
server-side cursors, so memory doesn't grow with the table). Every cell passes
through ``mentorship.spreadsheets.neutralise`` — the one neutraliser of every
export — so formula-looking text gets a leading ``'``. CSV is UTF-8 with a BOM
(Excel otherwise reads it as the local code page) and streamed row by row;
XLSX goes through openpyxl's write-only workbook (rows flushed to a temporary
file as they come) and is then sent from that file.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from mentorship.spreadsheets import neutralise

Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None


@dataclass(frozen=True)
class Table:
    """One exportable table; ``name`` becomes the file name (no extension)."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Cell]]


def safe_cell(value: Cell) -> Cell:
    """A cell fit for a spreadsheet: control characters other than tab and line
    breaks removed (XML can't hold them, and a stripped one must not uncover an
    ``=``), then neutralised. Numbers and dates pass unchanged."""
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))  # type: ignore[return-value]
    return value


def safe_row(row: Sequence[Cell]) -> list[Cell]:
    """The row with every cell made safe (``safe_cell``)."""
    return [safe_cell(cell) for cell in row]


class _Line:
    """A file-like that hands back what csv.writer writes (one row at a time)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(table: Table, *, chunk_rows: int = 200) -> Iterator[str]:
    """The table as CSV text, ``chunk_rows`` rows per yielded string (BOM first)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(safe_row(table.header))
    chunk: list[str] = []
    for row in table.rows:
        chunk.append(writer.writerow(safe_row(row)))
        if len(chunk) >= chunk_rows:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _xlsx_cell(value: Cell) -> Cell:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # Excel has no time zones: selectors give local times with the zone in
        # the header; drop the offset.
        return value.replace(tzinfo=None)
    return value


def xlsx_file(tables: Sequence[Table]) -> IO[bytes]:
    """A temporary XLSX file (one sheet per table), rewound; closing deletes it."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(title=table.name[:31] or "Sheet")
        sheet.append([_xlsx_cell(cell) for cell in safe_row(table.header)])
        for row in table.rows:
            sheet.append([_xlsx_cell(cell) for cell in safe_row(row)])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned open)
    workbook.save(handle)
    handle.seek(0)
    return handle
