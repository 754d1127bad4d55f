"""What the coordinator reads: the format help and the template on the upload
page; how the file was read and its problems, line by line, on the preview."""

from __future__ import annotations

import csv
import io

from programs.importing.columns import COLUMNS, MAX_CAPACITY
from programs.importing.reading import DELIMITERS, encoding_label

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
    (
        "member_organization",
        "Organization mentoring: the member organization (association, chamber) "
        "whose team they join, by its name as on the Member organizations page; "
        "create it there first. Also read from: Association, Organisation, Chamber…",
    ),
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


def template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(TEMPLATE_ROWS)
    return buffer.getvalue()


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
