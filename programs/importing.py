"""Reading and validating a participant file (CSV or XLSX). No database access.

`participant_file_parse` returns every problem with its line, the person (name or
email) and the column, and the rows normalised to JSON-able dicts; the import
service stores them and writes nothing unless the whole file is clean. The format
is documented in `FORMAT_HELP` (shown on the upload page) and `template_csv()`.

Files come as HR teams export them:
- the encoding is detected (UTF-8 with or without BOM, UTF-16 LE/BE, and else
  charset-normalizer chooses among Windows-1252, Mac Roman and Latin-1), and so is
  the delimiter (comma, semicolon or tab; `csv.Sniffer`, checked against the
  header line); the coordinator can override both (`encoding=`, `delimiter=`);
- header names are matched loosely (case, spaces, punctuation and accents
  ignored) against each field's aliases (`HEADER_ALIASES`: "E-mail Address",
  "First Name", "Time Zone"…); any other column must be mapped to a field or
  ignored (`mapping=`, remembered per organization by the service);
- every cell is normalised first (NFC, spaces incl. no-break ones trimmed), then
  checked: formula-like text is refused after that trimming, so " =1+1" is too;
- seniority takes words (junior, senior…) or 1-6; lists take ; , or / between
  items; time zones take IANA names, cities and Windows names
  (accounts.timezones.zone_from_text).

Limits are checked before parsing: 5 MB, 5,000 data rows, 1,000 characters a cell,
an XLSX that unpacks to at most 50 MB in at most 200 parts.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from mentorship.accounts.timezones import ZoneNotRecognised, zone_from_text
from mentorship.fields import (
    describe_character,
    forbidden_character,
    normalize_email,
    normalize_text,
)
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
    "preferred_name",
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
    "manager_email",
    # HR fields (retention and promotion reports); new people only, like the profile.
    "employment_status",
    "hired_on",
    "left_on",
    "grade",
    "last_promoted_on",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
# Columns read but not stored as such: they make full_name (and preferred_name).
NAME_PARTS = ("first_name", "last_name")
FIELDS = COLUMNS + NAME_PARTS
TEXT_LIMITS = {
    "full_name": 200,
    "preferred_name": 100,
    "first_name": 100,
    "last_name": 100,
    "title": 200,
    "department": 200,
    "city": 120,
    "affiliation": 200,
    "grade": 40,
}
# Columns that are lists: ; , / or a line break inside the cell separate items.
LIST_COLUMNS = ("languages", "skills_offered", "skills_wanted")

# What each field is called, in the preview's mapping step.
FIELD_LABELS = {
    "email": "Email",
    "full_name": "Full name",
    "first_name": "First (given) name",
    "last_name": "Last (family) name",
    "preferred_name": "Preferred name",
    "role": "Role in this program (mentor or mentee)",
    "time_zone": "Time zone",
    "country": "Country",
    "city": "City",
    "languages": "Languages",
    "title": "Job title",
    "department": "Department",
    "seniority": "Seniority",
    "skills_offered": "Skills offered",
    "skills_wanted": "Skills wanted",
    "capacity": "Mentee capacity",
    "working_hours": "Working hours",
    "working_days": "Working days",
    "affiliation": "Affiliation",
    "manager_email": "Manager's email",
    "employment_status": "Employment status",
    "hired_on": "Hire date",
    "left_on": "Leave date",
    "grade": "Grade",
    "last_promoted_on": "Last promotion date",
}

# Header names as exports write them, besides the field's own name (a few in
# French, German, Spanish and Polish too); compared by header_key (case, spaces,
# punctuation and accents ignored).
HEADER_ALIASES = {
    "email": (
        "e-mail",
        "email address",
        "e-mail address",
        "work email",
        "work e-mail",
        "business email",
        "primary email",
        "mail",
        "email (work)",
        "work email address",
        "corporate email",
        "courriel",
        "e-mail-adresse",
        "adresse e-mail",
        "correo electrónico",
        "correo",
    ),
    "full_name": (
        "name",
        "full name",
        "display name",
        "employee name",
        "person",
        "participant",
        "legal name",
    ),
    "first_name": (
        "first name",
        "given name",
        "forename",
        "first",
        "firstname",
        "given names",
        "legal first name",
        "prénom",
        "vorname",
        "nombre de pila",
        "imię",
    ),
    "last_name": (
        "last name",
        "surname",
        "family name",
        "last",
        "lastname",
        "legal last name",
        "nom",
        "nom de famille",
        "nachname",
        "familienname",
        "apellido",
        "apellidos",
        "nazwisko",
    ),
    "preferred_name": (
        "preferred name",
        "preferred first name",
        "nickname",
        "known as",
        "goes by",
        "call me",
    ),
    "role": (
        "program role",
        "mentoring role",
        "participant role",
        "mentor or mentee",
        "mentor/mentee",
        "mentor / mentee",
    ),
    "time_zone": (
        "time zone",
        "timezone",
        "tz",
        "zone",
        "time zone (iana)",
        "olson time zone",
        "windows time zone",
        "iana time zone",
        "fuseau horaire",
        "zeitzone",
        "zona horaria",
        "strefa czasowa",
    ),
    "country": (
        "country",
        "country/region",
        "country or region",
        "country code",
        "country/region code",
        "work country",
        "location country",
    ),
    "city": ("town", "location", "office", "office location", "work location", "site"),
    "languages": ("language", "spoken languages", "languages spoken"),
    "title": (
        "job title",
        "position",
        "job",
        "position title",
        "designation",
        "business title",
        "job position",
    ),
    "department": (
        "dept",
        "team",
        "division",
        "business unit",
        "org unit",
        "organization unit",
        "organisation unit",
        "cost center",
    ),
    "seniority": (
        "level",
        "career level",
        "seniority level",
        "job level",
        "experience level",
    ),
    "skills_offered": (
        "skills",
        "expertise",
        "can teach",
        "strengths",
        "skills to offer",
    ),
    "skills_wanted": (
        "wants to learn",
        "development areas",
        "learning goals",
        "interests",
        "skills to learn",
        "growth areas",
    ),
    "capacity": ("mentee capacity", "max mentees", "mentoring capacity"),
    "working_hours": ("work hours", "hours", "office hours"),
    "working_days": ("work days", "days", "workdays"),
    "affiliation": ("member association",),
    "manager_email": (
        "manager email",
        "manager e-mail",
        "manager's email",
        "manager email address",
        "supervisor email",
        "line manager email",
        "reports to email",
        "reports to (email)",
        "manager work email",
    ),
    "employment_status": ("employee status", "worker status"),
    "hired_on": (
        "hire date",
        "date of hire",
        "start date",
        "original hire date",
        "hired",
        "date hired",
        "employment start date",
    ),
    "left_on": ("termination date", "leave date", "end date", "last day", "date left"),
    "grade": ("job grade", "band", "pay grade", "grade level", "job band"),
    "last_promoted_on": (
        "last promotion date",
        "promotion date",
        "last promotion",
        "promoted on",
    ),
}

# Seniority words, matched after header_key-style folding ("Mid-level" -> midlevel).
SENIORITY_WORDS = {
    1: ("entry", "entrylevel", "intern", "graduate", "trainee", "apprentice"),
    2: ("junior", "early", "earlycareer", "associate", "jr"),
    3: ("mid", "midlevel", "intermediate", "middle", "experienced"),
    4: ("senior", "sr", "snr"),
    5: ("lead", "leadmanager", "manager", "principal", "staff", "teamlead", "head"),
    6: ("executive", "exec", "director", "vp", "vicepresident", "clevel", "chief"),
}

# Encodings a coordinator can choose; codec name -> how the preview says it.
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE (no byte-order mark)",
    "utf-16-be": "UTF-16 BE (no byte-order mark)",
    "cp1252": "Windows-1252",
    "mac-roman": "Mac Roman",
    "latin-1": "Latin-1 (ISO-8859-1)",
}
# charset-normalizer's codec names -> ours.
_DETECTED = {"cp1252": "cp1252", "mac_roman": "mac-roman", "latin_1": "latin-1"}
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}

FORMAT_HELP = [
    (
        "email",
        "Required. Work email; the person's login. Someone who already has an "
        "account is only invited: their account and profile are left as they are. "
        "Also read from: E-mail Address, Work Email…",
    ),
    (
        "full_name",
        "Required, or first_name and last_name columns instead. As it should "
        "appear to others.",
    ),
    (
        "preferred_name",
        "What they like to be called, used in greetings. Default: the first_name "
        "column when there is one; otherwise they are asked when they first sign in.",
    ),
    ("role", "Required. mentor or mentee (their role in this program)."),
    (
        "time_zone",
        "IANA zone (America/Chicago), a city (Chicago) or a Windows zone name "
        "(Central Standard Time). Not an offset such as GMT+4. Default UTC.",
    ),
    ("country", "ISO code (VN) or English name (Vietnam)."),
    ("city", "Free text."),
    ("languages", "ISO 639-1 codes or names, separated by ; , or /: en;vi"),
    ("title", "Job title."),
    ("department", "Free text."),
    (
        "seniority",
        "1-6 or a word: entry, junior, mid, senior, lead, executive.",
    ),
    (
        "skills_offered",
        "Separated by ; , or ' / ': system design;public speaking (CI/CD stays one).",
    ),
    ("skills_wanted", "Separated the same way."),
    ("capacity", f"Mentees a mentor can take at once, 0-{MAX_CAPACITY}. Default 1."),
    ("working_hours", "Local start and end: 09:00-17:00"),
    ("working_days", "Mon-Fri, Sun-Thu or Mon;Wed;Fri. Default Mon-Fri."),
    ("affiliation", "Optional, e.g. the member association they represent."),
    ("manager_email", "Their manager's email, when the manager is in the program too."),
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
    column: str  # the column's header as in the file; "" for the whole file or row
    reason: str
    person: str = ""  # the row's email or name, so the coordinator knows who


@dataclass
class ParsedFile:
    rows: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_total: int = 0  # problems found, including those past MAX_PROBLEMS
    # How the file was read: codec (ENCODINGS) and delimiter, None for XLSX;
    # "chosen" when the coordinator set them rather than detection.
    encoding: str | None = None
    delimiter: str | None = None
    chosen: bool = False
    # The file's columns in order: {"header", "key", "field" (None: unknown or
    # ignored), "how": "named" | "alias" | "mapped" | "ignored" | "unknown"}.
    columns: list[dict] = field(default_factory=list)

    def add(self, line: int, column: str, reason: str, person: str = "") -> None:
        self.problem_total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(line, column, reason, person))

    @property
    def problem_dicts(self) -> list[dict]:
        return [asdict(problem) for problem in self.problems]

    @property
    def unknown_columns(self) -> list[dict]:
        return [column for column in self.columns if column["how"] == "unknown"]

    @property
    def reading(self) -> dict:
        """JSON-able: how the file was read and what its columns hold."""
        return {
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "chosen": self.chosen,
            "columns": self.columns,
        }


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


def participant_file_parse(
    *,
    filename: str,
    content: bytes,
    encoding: str | None = None,
    delimiter: str | None = None,
    mapping: dict[str, str] | None = None,
) -> ParsedFile:
    """Every row checked; problems collected rather than raised.

    ``encoding`` (a key of ENCODINGS) and ``delimiter`` (a key of DELIMITERS)
    override detection; ``mapping`` maps a header_key to a field name, or to ""
    to ignore that column. A column neither named, aliased nor mapped is a
    problem until the coordinator maps or ignores it.
    """
    parsed = ParsedFile(chosen=bool(encoding or delimiter))
    try:
        records = _records_counted(
            _records(filename, content, parsed, encoding, delimiter)
        )
        while records and not any(cell.strip() for cell in records[0][1]):
            records.pop(0)
        if not records:
            raise FileRejected("The file has no header row.")
        (header_line, header), body = records[0], records[1:]
        columns = _header_columns(header_line, header, mapping or {}, parsed)
        _column_samples(parsed, body)
        if columns is None:
            return _without_rows(parsed)
        seen_emails: dict[str, int] = {}
        for line, cells in body:
            row = _row(line, cells, columns, parsed)
            if row is None:
                continue
            first = seen_emails.setdefault(row["email"], line)
            if first != line:
                parsed.add(
                    line,
                    _header_of(parsed, "email"),
                    f"The same email as line {first}.",
                    row["email"],
                )
                continue
            parsed.rows.append(row)
        if not body:
            parsed.add(header_line, "", "The file has a header but no people in it.")
    except FileRejected as rejected:
        parsed.add(rejected.line, "", rejected.reason)
    return _without_rows(parsed)


def _without_rows(parsed: ParsedFile) -> ParsedFile:
    if parsed.problem_total:
        parsed.rows = []
    return parsed


def problems_by_line(problems: list[dict]) -> list[dict]:
    """Stored problems grouped per line, in file order, for the preview:
    ``[{"line", "person", "problems": [{"column", "reason"}, …]}, …]`` (line 0:
    the whole file)."""
    groups: dict[int, dict] = {}
    for problem in sorted(problems, key=lambda problem: problem.get("line", 0)):
        line = problem.get("line", 0)
        group = groups.setdefault(line, {"line": line, "person": "", "problems": []})
        group["person"] = group["person"] or problem.get("person", "")
        group["problems"].append(
            {"column": problem.get("column", ""), "reason": problem.get("reason", "")}
        )
    return list(groups.values())


def encoding_label(codec: str) -> str:
    if codec == "utf-8-sig":
        return "UTF-8 with a byte-order mark"
    return ENCODINGS.get(codec, codec)


def reading_description(reading: dict) -> str:
    """``"Read as Windows-1252, separated by semicolons."`` for the preview ("" for
    a batch stored before readings were recorded)."""
    if not reading:
        return ""
    if not reading.get("encoding"):
        return "Read as an Excel workbook (first sheet)."
    encoding = encoding_label(reading["encoding"])
    separated = DELIMITERS.get(reading.get("delimiter") or ",", "commas")
    how = "as you chose" if reading.get("chosen") else "detected"
    return f"Read as {encoding}, separated by {separated} ({how})."


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


def _records(
    filename: str,
    content: bytes,
    parsed: ParsedFile,
    encoding: str | None,
    delimiter: str | None,
) -> Iterator[tuple[int, list[str]]]:
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
                "This looks like a spreadsheet, not CSV text; upload it as .xlsx or save it as CSV."
            )
        return _xlsx_records(content)
    if name.endswith(".xlsx"):
        raise FileRejected("This is not a valid .xlsx file.")
    if not name.endswith((".csv", ".txt")):
        raise FileRejected("Upload a .csv, .txt or .xlsx file.")
    # Recorded before decoding: a file that can't be read as the chosen encoding
    # still offers the choice of another.
    parsed.encoding = encoding if encoding in ENCODINGS else "utf-8"
    parsed.delimiter = delimiter if delimiter in DELIMITERS else ","
    text, parsed.encoding = _decode(content, encoding)
    parsed.delimiter = delimiter if delimiter in DELIMITERS else _sniff_delimiter(text)
    return _csv_records(text, parsed.delimiter)


def _decode(content: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the codec it was read with (detected unless ``encoding``)."""
    if encoding in ENCODINGS:
        codec = "utf-8-sig" if encoding == "utf-8" else encoding
    elif content.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
    else:
        codec = _sniff_utf16(content) or _sniff_8bit(content)
    try:
        text = content.decode(codec)
    except UnicodeDecodeError as error:
        raise FileRejected(
            f"The file cannot be read as "
            f"{encoding_label(encoding if encoding in ENCODINGS else codec)} (byte "
            f"{error.start + 1}). Choose the encoding it was saved in below, or save "
            "it again as 'CSV UTF-8'."
        ) from None
    if "\x00" in text:
        raise FileRejected(
            "The file contains NUL characters; it is not CSV text in this encoding."
        )
    return text, codec


def _sniff_8bit(content: bytes) -> str:
    """UTF-8 when the bytes are valid UTF-8; otherwise the most plausible of the
    single-byte encodings spreadsheets save "CSV" in.

    charset-normalizer ranks the candidates; on the short files imports get its
    ranking is close to a coin toss between Windows-1252 and Mac Roman, so the
    text each gives is checked first for what names don't contain (symbols
    beside letters, capitals inside words: "—uÒo" for "Ñuño")."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    from charset_normalizer import from_bytes  # deferred: only non-UTF-8 files

    ranked = [
        _DETECTED[match.encoding]
        for match in from_bytes(content, cp_isolation=list(_DETECTED))
        if match.encoding in _DETECTED
    ]
    candidates = []
    for codec in dict.fromkeys([*ranked, *_DETECTED.values()]):
        try:
            content.decode(codec)
        except UnicodeDecodeError:
            continue
        # Judged on the first 100 kB (single-byte codecs: any cut is clean).
        sample = content[:100_000].decode(codec)
        candidates.append((_implausible(sample), len(candidates), codec))
    return min(candidates)[2] if candidates else "cp1252"


def _implausible(text: str) -> int:
    """How many non-ASCII characters look wrong in names: not letters (a symbol
    or control where a letter was meant), or capitals inside a word — right
    after a small letter, or between a letter and a small letter ("MŸller" is
    "Müller" in Mac Roman read as Windows-1252)."""
    score = 0
    padded = f" {text} "
    for i in range(1, len(padded) - 1):
        char = padded[i]
        if ord(char) <= 127:
            continue
        previous, following = padded[i - 1], padded[i + 1]
        if not char.isalpha() or (
            char.isupper()
            and (previous.islower() or (previous.isalpha() and following.islower()))
        ):
            score += 1
    return score


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


def _sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer on the first lines, kept only when the
    header line has that delimiter too (the header holds no separators of its
    own); otherwise the one the header line has most of."""
    sample = "\n".join(text[:20000].splitlines()[:20])
    header = sample.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if counts.get(sniffed):
        return sniffed
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _csv_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
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
