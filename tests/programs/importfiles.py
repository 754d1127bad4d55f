"""Participant files for import tests: a clean one, and ways to spoil it."""

from __future__ import annotations

import csv
import io

from programs.importing import COLUMNS


def people_rows(count: int, start: int = 0, role: str | None = None) -> list[dict]:
    zones = ["Asia/Ho_Chi_Minh", "Europe/Warsaw", "America/Chicago", "Asia/Kolkata"]
    return [
        {
            "email": f"imported{start + index}@people.example",
            "full_name": f"Imported Person {start + index}",
            "role": role or ("mentor", "mentee")[index % 2],
            "time_zone": zones[index % len(zones)],
            "country": ["VN", "PL", "US", "IN"][index % 4],
            "city": "Somewhere",
            "languages": "en;vi",
            "title": "Engineer",
            "department": "Platform",
            "seniority": str(1 + index % 6),
            "skills_offered": "System Design;code review",
            "skills_wanted": "public speaking",
            "capacity": "2",
            "working_hours": "09:00-17:00",
            "working_days": "Mon-Fri",
            "affiliation": "",
        }
        for index in range(count)
    ]


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(columns), extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def csv_bytes(rows: list[dict], columns=COLUMNS, encoding: str = "utf-8") -> bytes:
    return csv_text(rows, columns).encode(encoding)
