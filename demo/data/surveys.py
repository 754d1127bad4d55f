"""Meridian's survey answers (data only; demo/surveys.py submits them)."""

from __future__ import annotations

# --- Meridian's surveys: a baseline at the start, an anonymous check-in last week ----------

BASELINE_SENT_DAYS_AGO = 35
MIDPOINT_SENT_DAYS_AGO = 5
# Per mentee, by order: ratings of the four focus areas, confidence, what they want.
BASELINE_ANSWERS = (
    ((2, 1, 3, 1), 2, "Lead a design review without freezing up."),
    ((3, 2, 2, 2), 3, "Grow into a tech lead role within a year."),
    ((2, 2, 3, 1), 2, "Speak up in architecture meetings."),
    ((1, 1, 2, 2), 2, "Understand how senior engineers make trade-offs."),
    ((3, 3, 2, 3), 3, "Plan my next career step with someone outside my team."),
    ((2, 2, 1, 1), 1, "Present our team's work to the whole company."),
)
# Mentors and mentees, anonymously: relationship, progress, what gets in the way.
MIDPOINT_ANSWERS = (
    (5, 4, ["Time zones"], "More time for hands-on review."),
    (4, 3, ["Finding time", "Time zones"], ""),
    (4, 4, ["Nothing so far"], "Keep the same rhythm."),
    (2, 2, ["Cancelled meetings"], "Agree on a fixed slot."),
    (5, 4, ["Language"], ""),
    (4, 3, ["Time zones"], "A shared agenda before each meeting."),
    (3, 3, ["Finding time"], ""),
)
