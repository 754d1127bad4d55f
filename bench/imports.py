"""Benchmark reading a participant file: 5,000 people (the import's limit), in each
supported encoding and delimiter, through programs.importing.participant_file_parse
(detection, header mapping, every cell's checks). No database.

    .venv/bin/python bench/imports.py [--rows 5000] [--repeat 3]

Prints a table (median seconds per file), then, as the LAST line, one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from django.conf import settings  # noqa: E402

settings.configure()

from programs import importing  # noqa: E402

NAMES = [
    "José García Muñoz",
    "Zoë Müller",
    "François Côté",
    "Begoña Ibáñez",
    "Renée Dubé",
]
ZONES = ["Europe/Madrid", "Central Standard Time", "Chicago", "India Standard Time", ""]
CASES = [
    ("utf-8", ","),
    ("utf-8-sig", ";"),
    ("utf-16", "\t"),
    ("cp1252", ","),
    ("cp1252", ";"),
    ("mac_roman", ","),
]


def _file(rows: int, encoding: str, delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(
        [
            "First Name",
            "Last Name",
            "E-mail Address",
            "Role",
            "Time Zone",
            "Seniority",
            "Skills",
        ]
    )
    for index in range(rows):
        given, _, family = NAMES[index % len(NAMES)].partition(" ")
        writer.writerow(
            [
                given,
                family,
                f"person{index}@example.com",
                ("mentor", "mentee")[index % 2],
                ZONES[index % len(ZONES)],
                ("junior", "mid", "senior", "3")[index % 4],
                "system design, public speaking",
            ]
        )
    return buffer.getvalue().encode(encoding)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = {}
    print(f"{'encoding':<10} {'sep':<4} {'bytes':>9} {'median s':>9}  read as")
    for encoding, delimiter in CASES:
        content = _file(args.rows, encoding, delimiter)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            parsed = importing.participant_file_parse(filename="p.csv", content=content)
            times.append(time.perf_counter() - start)
        assert parsed.problem_total == 0, parsed.problems[:3]
        assert len(parsed.rows) == args.rows
        median = statistics.median(times)
        results[f"{encoding} {delimiter!r}"] = round(median, 3)
        print(
            f"{encoding:<10} {delimiter!r:<4} {len(content):>9,} {median:>9.3f}  "
            f"{importing.reading_description(parsed.reading)}"
        )
    print(json.dumps({"rows": args.rows, "median_seconds": results}))


if __name__ == "__main__":
    main()
