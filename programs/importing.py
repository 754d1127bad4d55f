"""Reading and validating a participant file (CSV or XLSX). No database access.

`participant_file_parse` returns every problem with its line, column and reason,
and the rows normalised to JSON-able dicts; the import service stores them and
writes nothing unless the whole file is clean. The format is documented in
`FORMAT_HELP` (shown on the upload page) and `template_csv()`.

Limits are checked before parsing: 5 MB, 5,000 data rows, 1,000 characters a cell,
an XLSX that unpacks to at most 50 MB in at most 200 parts.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentorship.accounts.timezones import zone_names
from mentorship.fields import describe_character, forbidden_character
from mentorship.spreadsheets import FORMULA_PREFIXES
from programs import reference

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_CELL = 1000
MAX_PROBLEMS = 1000
MAX_XLSX_UNPACKED = 50 * 1024 * 1024
MAX_XLSX_PARTS = 200
MAX_CAPACITY = 20

REQUIRED_COLUMNS = ("email", "full_name", "role")
OPTIONAL_COLUMNS = (
    "time_zone",
    "country",
    "city",
    "languages",
    "title",
    "department",
    "seniority",
    "skills_offered",
    "skills_wanted",
    "capacity",
    "working_hours",
    "working_days",
    "affiliation",
    # HR fields (retention and promotion reports); new people only, like the profile.
    "employment_status",
    "hired_on",
    "left_on",
    "grade",
    "last_promoted_on",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
TEXT_LIMITS = {
    "full_name": 200,
    "title": 200,
    "department": 200,
    "city": 120,
    "affiliation": 200,
    "grade": 40,
}
# Columns that are lists: a line break inside the cell separates items.
LIST_COLUMNS = ("languages", "skills_offered", "skills_wanted")

FORMAT_HELP = [
    (
        "email",
        "Required. Work email; the person's login. Someone who already has an "
        "account is only invited: their account and profile are left as they are.",
    ),
    ("full_name", "Required. As it should appear to others."),
    ("role", "Required. mentor or mentee (their role in this program)."),
    (
        "time_zone",
        "IANA zone such as Asia/Ho_Chi_Minh or America/Chicago. Default UTC.",
    ),
    ("country", "ISO code (VN) or English name (Vietnam)."),
    ("city", "Free text."),
    ("languages", "ISO 639-1 codes or names, separated by semicolons: en;vi"),
    ("title", "Job title."),
    ("department", "Free text."),
    ("seniority", "1 (entry level) to 6 (executive)."),
    ("skills_offered", "Semicolon-separated: system design;public speaking"),
    ("skills_wanted", "Semicolon-separated."),
    ("capacity", f"Mentees a mentor can take at once, 0-{MAX_CAPACITY}. Default 1."),
    ("working_hours", "Local start and end: 09:00-17:00"),
    ("working_days", "Mon-Fri, Sun-Thu or Mon;Wed;Fri. Default Mon-Fri."),
    ("affiliation", "Optional, e.g. the member association they represent."),
    ("employment_status", "HR: active (default) or left."),
    ("hired_on", "HR: hire date, YYYY-MM-DD."),
    ("left_on", "HR: last day of employment, YYYY-MM-DD (only for people who left)."),
    ("grade", "HR: job grade or band, free text."),
    ("last_promoted_on", "HR: date of the last promotion, YYYY-MM-DD."),
]

TEMPLATE_ROWS = [
    {
        "email": "minh.nguyen@example.com",
        "full_name": "Minh Nguyen",
        "role": "mentee",
        "time_zone": "Asia/Ho_Chi_Minh",
        "country": "VN",
        "city": "Ho Chi Minh City",
        "languages": "vi;en",
        "title": "Software Engineer",
        "department": "Payments",
        "seniority": "2",
        "skills_offered": "",
        "skills_wanted": "system design;public speaking",
        "capacity": "",
        "working_hours": "09:00-17:00",
        "working_days": "Mon-Fri",
        "affiliation": "",
    },
    {
        "email": "marek.nowak@example.com",
        "full_name": "Marek Nowak",
        "role": "mentor",
        "time_zone": "Europe/Warsaw",
        "country": "PL",
        "city": "Kraków",
        "languages": "pl;en",
        "title": "Engineering Manager",
        "department": "Payments",
        "seniority": "5",
        "skills_offered": "people management;technical leadership",
        "skills_wanted": "",
        "capacity": "2",
        "working_hours": "08:30-16:30",
        "working_days": "Mon-Fri",
        "affiliation": "",
    },
]


@dataclass(frozen=True)
class Problem:
    line: int  # physical line (CSV) or row number (XLSX); the header is line 1
    column: str  # "" for the whole file or row
    reason: str


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_total: int = 0  # problems found, including those past MAX_PROBLEMS

    def add(self, line: int, column: str, reason: str) -> None:
        self.problem_total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, column, reason))

    @property
    def problem_dicts(self) -> list[dict]:
        return [asdict(problem) for problem in self.problems]


class FileRejected(Exception):
    """The file as a whole cannot be read; nothing past this point was parsed."""

    def __init__(self, reason: str, line: int = 0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


def participant_file_parse(*, filename: str, content: bytes) -> ParsedFile:
    """Every row checked; problems collected rather than raised."""
    parsed = ParsedFile()
    try:
        records = _records_counted(_records(filename, content))
        while records and not any(cell.strip() for cell in records[0][1]):
            records.pop(0)
        if not records:
            raise FileRejected("The file has no header row.")
        (header_line, header), body = records[0], records[1:]
        columns = _header_columns(header, parsed)
        if columns is None:
            return parsed
        seen_emails: dict[str, int] = {}
        for line, cells in body:
            row = _row(line, cells, columns, parsed)
            if row is None:
                continue
            first = seen_emails.setdefault(row["email"], line)
            if first != line:
                parsed.add(
                    line, "email", f"Duplicate of line {first} ({row['email']})."
                )
                continue
            parsed.rows.append(row)
        if not body:
            parsed.add(header_line, "", "The file has a header but no people in it.")
    except FileRejected as rejected:
        parsed.add(rejected.line, "", rejected.reason)
    if parsed.problem_total:
        parsed.rows = []
    return parsed


# --- Reading the file ---------------------------------------------------------------


def _records_counted(
    records: Iterator[tuple[int, list[str]]],
) -> list[tuple[int, list[str]]]:
    """Non-blank records, the header included; refuses the file past MAX_ROWS
    before any row is validated."""
    kept = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        kept.append((line, cells))
        if len(kept) > MAX_ROWS + 1:
            raise FileRejected(
                f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.",
                line,
            )
    return kept


def _records(filename: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    if len(content) > MAX_BYTES:
        raise FileRejected(
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into smaller files."
        )
    if not content.strip():
        raise FileRejected("The file is empty.")
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        if not name.endswith(".xlsx"):
            raise FileRejected(
                "This looks like a spreadsheet, not CSV text; upload it as .xlsx or save it as CSV UTF-8."
            )
        return _xlsx_records(content)
    if name.endswith(".xlsx"):
        raise FileRejected("This is not a valid .xlsx file.")
    if not name.endswith((".csv", ".txt")):
        raise FileRejected("Upload a .csv or .xlsx file.")
    return _csv_records(_decode(content))


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        encoding, body = "utf-8", content[len(codecs.BOM_UTF8) :]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, body = "utf-16", content
    else:
        encoding, body = _sniff_utf16(content) or "utf-8", content
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRejected(
            f"The file is not {encoding.upper()} text (byte {error.start + 1} cannot be read). "
            "In Excel choose File › Save As › 'CSV UTF-8', then upload again."
        ) from None
    if "\x00" in text:
        raise FileRejected("The file contains NUL characters; it is not a text CSV.")
    return text


def _sniff_utf16(content: bytes) -> str | None:
    """UTF-16 without a byte-order mark: mostly-ASCII text has a NUL in every other byte."""
    sample = content[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > len(odd) * 0.6 and even.count(0) < len(even) * 0.1:
        return "utf-16-le"
    if even.count(0) > len(even) * 0.6 and odd.count(0) < len(odd) * 0.1:
        return "utf-16-be"
    return None


def _csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise FileRejected(f"The CSV cannot be read here: {error}.", line) from None
        yield line, cells


def _xlsx_records(content: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        raise FileRejected("This is not a valid .xlsx file.") from None
    if len(parts) > MAX_XLSX_PARTS:
        raise FileRejected(
            "The spreadsheet has too many parts (sheets, images); keep one sheet."
        )
    if sum(part.file_size for part in parts) > MAX_XLSX_UNPACKED:
        raise FileRejected(
            "The spreadsheet is too large once unpacked; split it into smaller files."
        )
    import openpyxl  # deferred: only XLSX uploads pay for loading it

    try:
        # data_only=False: a formula cell reads as its "=…" text and is refused below.
        book = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=False
        )
        sheet = book.worksheets[0]
        rows = _records_counted(_xlsx_sheet_rows(sheet))
    except FileRejected:
        raise
    except Exception:  # noqa: BLE001  (openpyxl raises many types on a corrupt file)
        raise FileRejected(
            "The spreadsheet cannot be read; save it again as .xlsx or CSV UTF-8."
        ) from None
    finally:
        archive.close()
    yield from rows


def _xlsx_sheet_rows(sheet) -> Iterator[tuple[int, list[str]]]:
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, [_cell_text(value) for value in values]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


# --- Header and rows -------------------------------------------------------------------


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _header_columns(header: list[str], parsed: ParsedFile) -> list[str] | None:
    keys = [_column_key(name) for name in header]
    ok = True
    for index, key in enumerate(keys):
        if key.startswith(FORMULA_PREFIXES) or header[index].startswith(
            FORMULA_PREFIXES
        ):
            parsed.add(
                1, header[index][:40], "Column names must not look like formulas."
            )
            ok = False
        elif key and key not in COLUMNS:
            parsed.add(
                1,
                header[index][:40],
                "Unknown column; see the format description for the names.",
            )
            ok = False
        elif key and keys.index(key) != index:
            parsed.add(1, key, "This column appears twice.")
            ok = False
    for required in REQUIRED_COLUMNS:
        if required not in keys:
            parsed.add(1, required, "Required column is missing.")
            ok = False
    return keys if ok else None


def _row(
    line: int, cells: list[str], columns: list[str], parsed: ParsedFile
) -> dict | None:
    before = parsed.problem_total
    if len(cells) > len(columns) and any(
        cell.strip() for cell in cells[len(columns) :]
    ):
        parsed.add(
            line,
            "",
            f"The row has {len(cells)} cells but the header has {len(columns)}.",
        )
        return None
    row: dict = {"line": line}
    for index, column in enumerate(columns):
        if not column:
            continue
        raw = cells[index] if index < len(cells) else ""
        if raw.startswith(FORMULA_PREFIXES):
            parsed.add(
                line,
                column,
                f"Starts with {_describe(raw[0])}: cells that look like formulas are refused.",
            )
        elif len(raw) > MAX_CELL:
            parsed.add(line, column, f"Longer than {MAX_CELL} characters.")
        elif (char := _forbidden(raw, column)) is not None:
            parsed.add(
                line,
                column,
                f"Contains {describe_character(char)}: cells take one line of plain "
                "text, without control or text-direction characters.",
            )
        else:
            try:
                row[column] = _CLEANERS.get(column, _clean_text(column))(raw.strip())
            except ValueError as error:
                parsed.add(line, column, str(error))
    if parsed.problem_total == before:
        _check_hr_dates(line, row, parsed)
    if parsed.problem_total > before:
        return None
    for column in OPTIONAL_COLUMNS:
        row.setdefault(column, None)
    return row


def _check_hr_dates(line: int, row: dict, parsed: ParsedFile) -> None:
    """A leave date means the person left; it can't come before the hire date."""
    if row.get("left_on"):
        if row.get("employment_status") == "active":
            parsed.add(line, "left_on", "A leave date is only for people who left.")
            return
        row["employment_status"] = "left"
        if row.get("hired_on") and row["left_on"] < row["hired_on"]:
            parsed.add(line, "left_on", "The leave date is before the hire date.")


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
        if column == "full_name" and not value:
            raise ValueError("Required.")
        return value if value or column in REQUIRED_COLUMNS else None

    return clean


def _clean_email(value: str) -> str:
    if not value:
        raise ValueError("Required.")
    email = value.lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValueError(f"{value!r} is not a valid email address.") from None
    return email


def _clean_role(value: str) -> str:
    role = value.lower()
    if role not in ("mentor", "mentee"):
        raise ValueError(
            f"{value!r} is not a role; use mentor or mentee."
            if value
            else "Required: mentor or mentee."
        )
    return role


_ZONES_BY_LOWER: dict[str, str] = {}


def _clean_time_zone(value: str) -> str | None:
    if not value:
        return None
    if not _ZONES_BY_LOWER:
        _ZONES_BY_LOWER.update({name.lower(): name for name in zone_names()})
    zone = _ZONES_BY_LOWER.get(value.replace(" ", "_").lower())
    if zone is None:
        raise ValueError(
            f"{value!r} is not a known time zone; use a name such as Europe/Warsaw."
        )
    return zone


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
    for part in re.split(r"[;,]", value):
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
    skills = reference.skills_normalize(re.split(r"[;\n]", value))
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
    "seniority": _clean_int(1, 6, "seniority"),
    "capacity": _clean_int(0, MAX_CAPACITY, "capacity"),
    "working_hours": _clean_working_hours,
    "working_days": _clean_working_days,
    "employment_status": _clean_employment_status,
    "hired_on": _clean_date,
    "left_on": _clean_date,
    "last_promoted_on": _clean_date,
}
