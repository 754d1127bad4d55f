"""From bytes to records: the size limits, CSV encoding and delimiter detection,
XLSX unpacking. Each record is ``(line, cells)``."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator

from programs.importing.columns import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_XLSX_PARTS,
    MAX_XLSX_UNPACKED,
)
from programs.importing.result import FileRejected, ParsedFile

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


def encoding_label(codec: str) -> str:
    if codec == "utf-8-sig":
        return "UTF-8 with a byte-order mark"
    return ENCODINGS.get(codec, codec)


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
    candidates: list[tuple[int, int, str]] = []
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
    if sniffed is not None and counts.get(sniffed):
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
