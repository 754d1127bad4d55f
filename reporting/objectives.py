"""Measuring a program objective against its target (``ObjectiveMeasure``).

- A question measure: over the people (or anonymous responses) who answered
  ``question_key`` in a survey of kind ``survey_kind`` — only ``role``'s answers
  when set — each person's latest answer counts; the measured value is the share
  of those whose answer is at least ``threshold`` (for a competency matrix, the
  share of all their area ratings). Anonymous answers over fewer than 5 people
  show "fewer than 5" and are not judged.
- A metric measure: the dashboard figure ``metric`` (a key of ``METRICS``); shares
  are compared in percent.
Met when the value is at least (or at most) the target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, Protocol

from reporting import metrics
from reporting.figures import Figure
from reporting.models import ObjectiveMeasure

# Figures an objective can name: key -> (label, unit shown after the target).
METRICS: dict[str, tuple[str, str]] = {
    "outcomes.nps": ("Net Promoter Score", "points"),
    "outcomes.response_rate": ("Survey response rate", "%"),
    "outcomes.confidence_gain": ("Mentees reporting a confidence gain", "%"),
    "engagement.on_cadence": ("Active pairs meeting on cadence", "%"),
    "engagement.engaged": ("Active pairs engaged", "%"),
    "engagement.held_share": ("Meetings held of expected", "%"),
    "engagement.at_risk": ("Active pairs at risk", "%"),
    "engagement.goals_done": ("Goals completed", "%"),
    "engagement.milestones_done": ("Milestones reached", "%"),
    "engagement.pulse_mean": ("Pulse (meeting usefulness, 1–5)", "of 5"),
    "retention.participants_6m": ("Participants still employed after 6 months", "%"),
    "retention.participants_12m": (
        "Participants still employed after 12 months",
        "%",
    ),
    "growth.mentees_became_mentors": ("Mentees who later mentored", "%"),
    "growth.mentors_again": ("Mentors who mentored again", "%"),
    "growth.promoted": ("Participants promoted within 12 months", "%"),
    "responsiveness.days_to_first_meeting": (
        "Median days from match to first meeting",
        "days",
    ),
    "responsiveness.mentor_utilisation": (
        "Mentors with a touchpoint in the last 30 days",
        "%",
    ),
    "funnel.days_to_match": ("Median days from approval to match", "days"),
}

_ROLE_WORDS = {"mentee": "mentees", "mentor": "mentors", "": "respondents"}


class _Answer(Protocol):
    # Read-only members (properties), so a NamedTuple row satisfies the protocol.
    @property
    def key(self) -> str: ...
    @property
    def item(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def anonymous(self) -> bool: ...
    @property
    def participant_id(self) -> int | None: ...
    @property
    def response_id(self) -> int: ...
    @property
    def survey_kind(self) -> str: ...
    @property
    def submitted_on(self) -> Any: ...
    @property
    def role(self) -> str: ...


def _number(value: Decimal | None) -> str:
    if value is None:
        return "?"
    return f"{value:.1f}".removesuffix(".0")


def target_label(measure: ObjectiveMeasure) -> str:
    """'confidence ≥ 4 for 70 % of mentees' or 'Net Promoter Score ≥ 30 points'."""
    sign = "≥" if measure.comparison == ObjectiveMeasure.Comparison.AT_LEAST else "≤"
    if measure.source == ObjectiveMeasure.Source.QUESTION:
        return (
            f"“{measure.question_key}” ≥ {_number(measure.threshold)} for "
            f"{sign} {_number(measure.target)} % of {_ROLE_WORDS[measure.role]} "
            f"({measure.get_survey_kind_display().lower()} survey)"
        )
    label, unit = METRICS.get(measure.metric, (measure.metric, ""))
    suffix = " %" if unit == "%" else f" {unit}" if unit else ""
    return f"{label} {sign} {_number(measure.target)}{suffix}"


def measure(
    *,
    measure: ObjectiveMeasure,
    figures: Mapping[str, Figure],
    answers: Iterable[_Answer],
) -> Figure | None:
    """The measured value as a selectors ``Figure`` (None when the metric is unknown)."""
    if measure.source == ObjectiveMeasure.Source.METRIC:
        return figures.get(measure.metric)
    chosen = [
        a
        for a in answers
        if a.key == measure.question_key
        and a.survey_kind == measure.survey_kind
        and (not measure.role or a.role == measure.role)
    ]
    latest: dict[tuple, tuple[tuple, int]] = {}
    for answer in chosen:
        person = (
            answer.participant_id if not answer.anonymous else f"r{answer.response_id}"
        )
        key = (answer.item, person)
        rank = (answer.submitted_on, answer.response_id)
        if key not in latest or latest[key][0] < rank:
            latest[key] = (rank, answer.number)
    values = [number for _, number in latest.values()]
    people = {person for _, person in latest}
    anonymous = {a.response_id for a in chosen if a.anonymous}
    threshold = float(measure.threshold or 0)
    met = sum(1 for value in values if value >= threshold)
    return Figure(
        f"objective.{measure.pk}",
        "objectives",
        f"Answered ≥ {_number(measure.threshold)}",
        met / len(values) if values else None,
        "%",
        len(people),
        0 < len(anonymous) < metrics.MIN_GROUP_SIZE,
    )


def is_met(*, measure: ObjectiveMeasure, figure: Figure | None) -> bool | None:
    """Whether the measured figure reaches the target; None when it can't be told."""
    if figure is None or figure.suppressed or figure.value is None:
        return None
    value = figure.value * 100 if figure.unit == "%" else figure.value
    target = float(measure.target)
    if measure.comparison == ObjectiveMeasure.Comparison.AT_MOST:
        return value <= target
    return value >= target
