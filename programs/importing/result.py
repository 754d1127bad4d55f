"""What reading a participant file returns: the ParsedFile with its Problems, and
FileRejected for a file that can't be read at all."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from programs.importing.columns import MAX_PROBLEMS


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
