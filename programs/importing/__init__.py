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

Modules: ``columns`` (the format: limits, fields, aliases), ``result``
(ParsedFile, Problem, FileRejected), ``reading`` (bytes to records: encodings,
delimiters, XLSX), ``headers``, ``rows`` (cells checked and cleaned), ``parse``
(the whole file), ``preview`` (format help, template, problems by line).
"""

from programs.importing.columns import (
    COLUMNS,
    FIELD_LABELS,
    FIELDS,
    HEADER_ALIASES,
    LIST_COLUMNS,
    MAX_BYTES,
    MAX_CAPACITY,
    MAX_CELL,
    MAX_PROBLEMS,
    MAX_ROWS,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNPACKED,
    NAME_PARTS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SENIORITY_WORDS,
    TEXT_LIMITS,
)
from programs.importing.headers import header_key
from programs.importing.parse import participant_file_parse
from programs.importing.preview import (
    FORMAT_HELP,
    TEMPLATE_ROWS,
    problems_by_line,
    reading_description,
    template_csv,
)
from programs.importing.reading import DELIMITERS, ENCODINGS, encoding_label
from programs.importing.result import FileRejected, ParsedFile, Problem

__all__ = [
    "COLUMNS",
    "DELIMITERS",
    "ENCODINGS",
    "FIELDS",
    "FIELD_LABELS",
    "FORMAT_HELP",
    "HEADER_ALIASES",
    "LIST_COLUMNS",
    "MAX_BYTES",
    "MAX_CAPACITY",
    "MAX_CELL",
    "MAX_PROBLEMS",
    "MAX_ROWS",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_UNPACKED",
    "NAME_PARTS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SENIORITY_WORDS",
    "TEMPLATE_ROWS",
    "TEXT_LIMITS",
    "FileRejected",
    "ParsedFile",
    "Problem",
    "encoding_label",
    "header_key",
    "participant_file_parse",
    "problems_by_line",
    "reading_description",
    "template_csv",
]
