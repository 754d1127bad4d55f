"""What an impact is made of: its scope, its sections and the figures they hold.

Read-only dataclasses (the shape is drawn in the package docstring); the formulas of
each section are in its docstring, the code that computes it in ``activity``,
``outcomes`` and ``careers``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from programs.models import Program, ProgramObjective
from reporting.figures import Figure

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

BREAKDOWNS = {
    "country": "Country",
    "time_zone": "Office time zone",
    "seniority": "Seniority",
    "role": "Role",
    "mentor": "Mentor",
    "kind": "Program kind",
    "cohort": "Cohort (matching run)",
    "member_organization": "Member organization",
    "member_organization_country": "Member organization's country",
}
# Dimensions an anonymous answer's snapshot can be grouped by.
ANONYMOUS_DIMENSIONS = (
    "country",
    "time_zone",
    "seniority",
    "role",
    "kind",
    "member_organization",
    "member_organization_country",
)


# --- Figures ------------------------------------------------------------------------


def _share(
    key: str,
    section: str,
    label: str,
    part: int,
    whole: int,
    *,
    note: str = "",
    suppressed: bool = False,
) -> Figure:
    return Figure(
        key,
        section,
        label,
        part / whole if whole else None,
        "%",
        whole,
        suppressed,
        note,
    )


# --- Scope --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cohort:
    """One matching run of a program: the people and pairs its matches proposed."""

    run_id: int


@dataclass(frozen=True)
class Period:
    """A date range on the viewer's calendar, both ends included."""

    start: datetime.date
    end: datetime.date

    @property
    def label(self) -> str:
        return f"{self.start:%-d %b %Y} – {self.end:%-d %b %Y}"


@dataclass(frozen=True)
class CohortOption:
    run_id: int
    label: str


@dataclass(frozen=True)
class Scope:
    programs: tuple[Program, ...]
    cohort: Cohort | None
    period: Period | None
    breakdown: str
    today: datetime.date
    zone: str

    @property
    def label(self) -> str:
        if self.cohort is not None:
            return f"Matching run {self.cohort.run_id}"
        if self.period is not None:
            return self.period.label
        return "Everyone"

    @property
    def is_filtered(self) -> bool:
        return self.cohort is not None or self.period is not None


# --- Sections -----------------------------------------------------------------------


def _own_figures(section: DataclassInstance) -> list[Figure]:
    """A section's ``Figure`` fields, in the order the dataclass declares them."""
    return [
        value
        for value in (getattr(section, f.name) for f in fields(section))
        if isinstance(value, Figure)
    ]


@dataclass(frozen=True)
class FunnelStep:
    label: str
    count: int
    # Share of the previous step that reached this one (None for the first step).
    share: float | None
    drop_off: int
    # People of the previous step who haven't reached this one *yet* (still in an
    # active pair): not counted as dropped. Only the "Completed" step has them.
    in_progress: int = 0


@dataclass
class Funnel:
    """applied → approved → matched → active → completed, each a count of enrolments.

    - applied: every enrolment except invitations not yet accepted;
    - approved: approved or completed, or matched (someone matched was approved);
    - matched: has a match that was proposed to them (proposed, accepted, active,
      completed or ended early; a declined proposal alone doesn't count);
    - active: has a match that started (active, completed or ended early);
    - completed: enrolment completed (the program closed with them in it) or a
      match completed.
    Drop-off at a step = previous count − this count, except that people still in an
    active pair are "in progress", not dropped, at the Completed step. Median days approval → match:
    the median over matched enrolments with an approval date of (first match
    proposed, or created, − approval), in days.
    """

    steps: list[FunnelStep]
    median_days_to_match: Figure

    def figures(self) -> list[Figure]:
        found = [
            Figure(
                f"funnel.{step.label.lower()}",
                "funnel",
                step.label,
                step.count,
                "people",
                note=(
                    f"{step.share * 100:.0f} % of the previous step; {step.drop_off} dropped"
                    + (
                        f", {step.in_progress} still in a pair"
                        if step.in_progress
                        else ""
                    )
                    if step.share is not None
                    else ""
                ),
            )
            for step in self.steps
        ]
        return [*found, self.median_days_to_match]

    @property
    def first(self) -> int:
        return self.steps[0].count if self.steps else 0


@dataclass(frozen=True)
class TrendPoint:
    month: datetime.date
    mean: float
    n: int


@dataclass
class Engagement:
    """Pairs that started (active, completed or ended early).

    - expected meetings of a pair = whole cadence periods from its start to its end
      (or now): ⌊(end − start) / cadence⌋; held = meetings with status held;
      held_share = Σ held / Σ expected;
    - on_cadence: share of active pairs with held ≥ expected;
    - engaged: share of active pairs on cadence, or whose written updates keep up
      instead (updates ≥ expected: pairs that rarely overlap count when they write);
    - at_risk: share of active pairs flagged by checkins.selectors.pairs_at_risk
      (out of touch counts a written update as a touchpoint, checkins.rhythm);
    - updates_per_pair: async updates ÷ pairs;
    - goals_done: goals at 100 % ÷ goals; milestones_done: done ÷ milestones;
    - pulse_mean: mean usefulness (1–5) of every pulse on the pairs' meetings;
      pulse_trend: the same per calendar month of the meeting (viewer's zone), the
      last 6 months with ratings.
    """

    held: Figure
    expected: Figure
    held_share: Figure
    on_cadence: Figure
    engaged: Figure
    at_risk: Figure
    updates_per_pair: Figure
    goals_done: Figure
    milestones_done: Figure
    pulse_mean: Figure
    pulse_trend: list[TrendPoint]

    def figures(self) -> list[Figure]:
        return _own_figures(self)


@dataclass(frozen=True)
class CompetencyRow:
    """Change of one focus area from the baseline to the closing survey."""

    area: str
    before: float | None
    after: float | None
    change: float | None
    n: int
    paired: bool
    suppressed: bool

    @property
    def display_change(self) -> str:
        if self.suppressed:
            return "fewer than 5"
        return "—" if self.change is None else f"{self.change:+.1f}"


@dataclass
class Outcomes:
    """From the program's impact surveys (reporting.models).

    - response_rate: answered ÷ assigned assignments of the people in scope
      (metrics.response_rate);
    - nps: Net Promoter Score of every NPS answer (metrics.nps), in points, with n;
    - competencies: per focus area of the ``competencies`` matrix, baseline survey →
      closing survey: paired (metrics.paired_change, people who answered both, their
      latest answer to each) when both are attributed, else unpaired group means;
    - confidence_gain: share of mentees who answered ``confidence`` in both surveys
      and rated it higher at the end (attributed surveys only; anonymous answers
      can't be paired, so it is empty with a note).
    """

    response_rate: Figure
    nps: Figure
    confidence_gain: Figure
    competencies: list[CompetencyRow]

    def figures(self) -> list[Figure]:
        rows = [
            Figure(
                f"outcomes.competency.{row.area}",
                "outcomes",
                f"Change in {row.area} (1–5)",
                row.change,
                "",
                row.n,
                row.suppressed,
                "paired" if row.paired else "unpaired group means",
            )
            for row in self.competencies
        ]
        return [*_own_figures(self), *rows]


@dataclass
class Retention:
    """Share of people employed at the program start still employed 6 and 12 months
    later, participants next to non-participants.

    Participants: enrolments approved or completed (or matched). Non-participants:
    people of the organization with a hire date who never took part in any program
    (the staff list). Employed at start S: hired on or before S (participants with no
    hire date count as employed) and not left before S. Still employed at S + m
    months: no leave date, or a leave date (last day) on or after S + m. Shown once
    S + m has passed. Over several programs each person is counted at their own
    program's start.
    """

    participants_6m: Figure
    others_6m: Figure
    participants_12m: Figure
    others_12m: Figure
    missing: list[str]

    def figures(self) -> list[Figure]:
        return _own_figures(self)


@dataclass
class Growth:
    """- mentees_became_mentors: mentees in scope with a later mentor enrolment
      (approved or completed, applied after this one) in another program;
    - mentors_again: mentors in scope with such a later mentor enrolment;
    - promoted / others_promoted: people employed at the start whose last promotion
      falls within 12 months after it (start < date ≤ start + 12 months),
      participants vs non-participants. Only the last promotion date is known, so a
      second promotion hides the first.
    """

    mentees_became_mentors: Figure
    mentors_again: Figure
    promoted: Figure
    others_promoted: Figure
    missing: list[str]

    def figures(self) -> list[Figure]:
        return _own_figures(self)


@dataclass
class Responsiveness:
    """- days_to_first_meeting: median over started pairs with a held meeting of
      (first held meeting − pair start), in days (0 if they met before the start);
    - mentor_utilisation: share of mentors with an active pair who had a
      touchpoint in the last 30 days (a held meeting or a written update in one of
      their active pairs).
    """

    days_to_first_meeting: Figure
    mentor_utilisation: Figure

    def figures(self) -> list[Figure]:
        return _own_figures(self)


@dataclass
class BreakdownGroup:
    key: Any
    label: str
    size: int
    figures: dict[str, Figure]


@dataclass
class Breakdown:
    dimension: str
    label: str
    columns: list[tuple[str, str]]
    groups: list[BreakdownGroup]
    note: str = ""


@dataclass(frozen=True)
class ObjectiveResult:
    objective: ProgramObjective
    target: str
    measured: Figure | None
    # True / False once measured against a target; None when not measurable yet.
    is_met: bool | None


@dataclass
class ProgramRow:
    program: Program
    figures: dict[str, Figure]


@dataclass
class ProgramImpact:
    scope: Scope
    funnel: Funnel
    engagement: Engagement
    outcomes: Outcomes
    retention: Retention
    growth: Growth
    responsiveness: Responsiveness
    breakdown: Breakdown | None = None
    cohorts: list[CohortOption] = field(default_factory=list)
    objectives: list[ObjectiveResult] = field(default_factory=list)
    programs: list[ProgramRow] = field(default_factory=list)
    people: int = 0
    pairs: int = 0
    # What the figures can't show (anonymous answers in a cohort, ...).
    notes: list[str] = field(default_factory=list)

    @property
    def kpis(self) -> list[Figure]:
        """The tiles at the top of the dashboard."""
        return [f for key in KPIS if (f := self.figure(key)) is not None]

    def figures(self) -> list[Figure]:
        return [
            *self.funnel.figures(),
            *self.engagement.figures(),
            *self.outcomes.figures(),
            *self.retention.figures(),
            *self.growth.figures(),
            *self.responsiveness.figures(),
        ]

    @property
    def is_empty(self) -> bool:
        return self.people == 0

    def figure(self, key: str) -> Figure | None:
        return next((f for f in self.figures() if f.key == key), None)


KPIS = (
    "funnel.matched",
    "engagement.on_cadence",
    "engagement.at_risk",
    "outcomes.response_rate",
    "outcomes.nps",
    "retention.participants_12m",
)

# Figures shown per group in a breakdown and per program on the organization page.
HEADLINE = (
    "funnel.applied",
    "funnel.matched",
    "engagement.held_share",
    "engagement.on_cadence",
    "engagement.at_risk",
    "engagement.goals_done",
    "engagement.pulse_mean",
    "outcomes.response_rate",
    "outcomes.nps",
    "retention.participants_12m",
    "growth.mentees_became_mentors",
    "responsiveness.days_to_first_meeting",
)
