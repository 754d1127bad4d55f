"""``participant_file_parse``: a whole file read, its header matched and every row
checked, with all problems collected."""

from __future__ import annotations

from programs.importing.headers import _column_samples, _header_columns, _header_of
from programs.importing.reading import _records, _records_counted
from programs.importing.result import FileRejected, ParsedFile
from programs.importing.rows import _row


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
