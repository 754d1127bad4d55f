"""Display helpers for matching pages: criterion labels, score segments, clocks.

Pure formatting over values the selectors already fetched; no queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from matching import engine
from mentorship import localtime

# Plain words for each criterion, shown next to its weight and its points.
CRITERION_LABELS: dict[str, str] = {
    "skills": "Skills",
    "overlap": "Time-zone overlap",
    "language": "Shared language",
    "seniority": "Seniority",
    "culture": "Country",
    "style": "Style",
    "preference": "Asked for",
}
CRITERION_HELP: dict[str, str] = {
    "skills": "How much the mentor offers what the mentee wants (and the program's "
    "focus areas, which count double).",
    "overlap": "Shared working hours per week; 10 hours or more scores in full.",
    "language": "Whether the two speak a language in common.",
    "seniority": "How much more senior the mentor is (up to 3 levels); in reverse "
    "mentoring, how much more junior.",
    "culture": "Whether the two work in the same or in different countries, as you "
    "prefer below.",
    "style": "Same communication style, and shared ways of learning.",
    "preference": "Whether the mentee asked for this mentor.",
}


# --- Display helpers ---------------------------------------------------------------------


def points_for_display(explanation: dict[str, float]) -> dict[str, int]:
    """Whole points per criterion that add up to the rounded score (largest
    remainder), so the numbers on the page sum to the score shown next to them."""
    values = {c: max(0.0, float(explanation.get(c, 0.0))) for c in engine.CRITERIA}
    target = round(sum(values.values()))
    floors: dict[str, int] = {c: int(v) for c, v in values.items()}
    missing = target - sum(floors.values())
    by_remainder = sorted(values, key=lambda c: values[c] - floors[c], reverse=True)
    for c in by_remainder[: max(0, missing)]:
        floors[c] += 1
    return floors


@dataclass(frozen=True)
class Segment:
    criterion: str
    label: str
    points: int
    # Where the segment starts and how wide it is on a 0–100 bar, formatted once
    # here: SVG attributes want a dot, whatever the page's locale.
    x: str
    width: str


def explanation_segments(explanation: dict[str, float]) -> list[Segment]:
    points = points_for_display(explanation)
    segments, x = [], 0.0
    for c in engine.CRITERIA:
        value = max(0.0, float(explanation.get(c, 0.0)))
        if points[c] or value >= 0.5:
            segments.append(
                Segment(c, CRITERION_LABELS[c], points[c], f"{x:.2f}", f"{value:.2f}")
            )
        x += value
    return segments


def zone_place(zone: str) -> str:
    """ "Asia/Ho_Chi_Minh" -> "Ho Chi Minh"."""
    return localtime.zone_name(zone).rsplit("/", 1)[-1].replace("_", " ")


def zone_difference(viewer_zone: str, other_zone: str, now: datetime.datetime) -> str:
    """ "6 h ahead of you", "5½ h behind you" or "same time as you", today."""
    mine = localtime.wall_clock(viewer_zone, now).utcoffset() or datetime.timedelta()
    theirs = localtime.wall_clock(other_zone, now).utcoffset() or datetime.timedelta()
    minutes = int((theirs - mine).total_seconds() // 60)
    if minutes == 0:
        return "same time as you"
    hours, rest = divmod(abs(minutes), 60)
    fraction = {0: "", 15: "¼", 30: "½", 45: "¾"}.get(rest, f":{rest:02d}")
    return f"{hours}{fraction} h {'ahead of' if minutes > 0 else 'behind'} you"


def local_time_label(zone: str, now: datetime.datetime) -> str:
    """ "14:05 Asia/Kolkata" — the person's wall clock now and their zone."""
    local = localtime.wall_clock(zone, now)
    return f"{local:%H:%M} {localtime.zone_name(zone)}"
