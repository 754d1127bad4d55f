"""Impact metrics of a program (or of every program): one entry point, fixed queries.

Entry points
------------
``program_impact(*, program, cohort=None, period=None, breakdown="", now, zone)``
    -> ``ProgramImpact`` for one program (optionally one cohort of it).
``organization_impact(*, programs, cohort=None, period=None, breakdown="", now, zone)``
    -> ``ProgramImpact`` over several programs (HR admins' page), with one
    ``ProgramRow`` per program in ``impact.programs``.
``impact_compare(*, first, second)`` -> ``list[CompareRow]``: two impacts side by side
    with the change of every figure (two cohorts or two periods of one program).

Shape (dataclasses, read-only; every figure is also a ``Figure``)::

    ProgramImpact
      scope: Scope                (programs, cohort label, period, breakdown, today)
      funnel: Funnel              steps [FunnelStep(label, count, share, drop_off)],
                                  median_days_to_match: Figure
      engagement: Engagement      held, expected, held_share, on_cadence, engaged,
                                  at_risk, updates_per_pair, goals_done,
                                  milestones_done, pulse_mean: Figure;
                                  pulse_trend: [TrendPoint(month, mean, n)]
      outcomes: Outcomes          response_rate, nps, confidence_gain: Figure;
                                  competencies: [CompetencyRow(area, before, after,
                                  change, n, paired, suppressed)]
      retention: Retention        participants_6m, others_6m, participants_12m,
                                  others_12m: Figure; missing: [str]
      growth: Growth              mentees_became_mentors, mentors_again,
                                  promoted, others_promoted: Figure; missing: [str]
      responsiveness: Responsiveness  days_to_first_meeting, mentor_utilisation: Figure
      breakdown: Breakdown | None dimension, label, columns [(key, label)],
                                  groups [BreakdownGroup(label, size, figures {key: Figure})]
      cohorts: [CohortOption]     the program's matching runs, for the filter
      objectives: [ObjectiveResult(objective, target, measured: Figure, is_met)]
      programs: [ProgramRow]      organization_impact only
      notes: [str]                what the figures can't show (anonymous in a cohort)
      kpis -> [Figure]            the tiles at the top
      figures() -> [Figure]       every figure in page order (exports, compare)
      figure(key) -> Figure

    Figure (reporting.figures): key, section, label, value, unit, n, suppressed, note
      .display -> "72 %", "3.5 days", "fewer than 5", "—"

Templates: reporting/_impact_metrics.html (every section: charts + tables; context
impact, charts = reporting.charts.impact_charts(impact), id_prefix),
_impact_objectives.html, _impact_breakdown.html, _impact_kpis.html.

Units: shares are fractions in [0, 1] with unit "%" (pages multiply by 100); days
are calendar days as decimals; "of 5" is a 1–5 scale mean; NPS is in points −100…100.
``value`` None means "no data" (nothing to divide by), never 0.

Scope. People are enrolments (one person in one program in one role). A cohort is
either one matching run of the program (``Cohort(run_id=…)``: the people and pairs of
the matches that run proposed) or a date range (``Period(start, end)``, inclusive, on
the viewer's calendar: the enrolments that applied, and the pairs that were created,
in that range). Activity of a cohort's pairs counts whenever it happened. Anonymous
survey answers can't be tied to a person, so they count only when no cohort or
period is chosen, and only in breakdowns by role, country, time zone, seniority and
program kind (from the answer's segment snapshot).

Small groups. A figure computed from anonymous answers over fewer than 5 people
shows "fewer than 5" (``reporting.metrics.MIN_GROUP_SIZE``), in breakdowns with
complementary suppression (``metrics.suppressed_groups``) so a hidden group can't
be derived from the others.

Queries. A fixed number whatever the data size
(tests/reporting/test_impact_dashboard_view.py): enrolments; pairs with meeting and
update aggregates; goals; pulses by month; at-risk pairs
(checkins.selectors.pairs_at_risk, 4); survey assignments; numeric answers; the
organization's HR records with everyone's mentoring history; objectives — 12 for
``program_impact``, 11 for ``organization_impact``.
"""

from __future__ import annotations

import datetime
import statistics
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from checkins.models import AsyncUpdate, Goal, Meeting, Pulse
from checkins.selectors import pairs_at_risk
from matching.models import Match, MatchRun
from mentorship import reference
from programs.models import Enrollment, Participant, Program, ProgramObjective
from reporting import metrics
from reporting import objectives as measuring
from reporting.figures import Figure
from reporting.models import Answer, SurveyAssignment

TOUCHPOINT_WINDOW = datetime.timedelta(days=30)
TREND_MONTHS = 6
MATCHED = ("proposed", "accepted", "active", "completed", "ended")
STARTED = ("active", "completed", "ended")
IN_PROGRAM = ("approved", "completed")

BREAKDOWNS = {
    "country": "Country",
    "time_zone": "Office time zone",
    "seniority": "Seniority",
    "role": "Role",
    "mentor": "Mentor",
    "kind": "Program kind",
    "cohort": "Cohort (matching run)",
}
# Dimensions an anonymous answer's snapshot can be grouped by.
ANONYMOUS_DIMENSIONS = ("country", "time_zone", "seniority", "role", "kind")


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


def _own_figures(section: object) -> list[Figure]:
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


# --- Loading: the frame -------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    enrollment_id: int
    participant_id: int
    program_id: int
    kind: str
    role: str
    status: str
    applied_at: datetime.datetime
    decided_at: datetime.datetime | None
    name: str
    country: str
    time_zone: str
    seniority: int
    start: datetime.date
    hired_on: datetime.date | None
    left_on: datetime.date | None
    has_left: bool
    promoted_on: datetime.date | None
    pair_ids: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _Pair:
    match_id: int
    program_id: int
    kind: str
    run_id: int | None
    run_label: str
    status: str
    mentor_id: int  # enrolment ids
    mentee_id: int
    created_at: datetime.datetime
    proposed_at: datetime.datetime | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    cadence_days: int
    held: int
    first_held: datetime.datetime | None
    last_held: datetime.datetime | None
    updates: int
    last_update: datetime.datetime | None
    goals: int = 0
    goals_done: int = 0
    milestones: int = 0
    milestones_done: int = 0
    pulses: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)
    at_risk: bool = False


class _Answer(NamedTuple):
    """One numeric answer (a tuple: tens of thousands are read per page)."""

    key: str
    kind: str  # question kind
    item: str
    number: int
    anonymous: bool
    enrollment_id: int | None
    participant_id: int | None
    survey_id: int
    survey_kind: str
    submitted_on: datetime.date
    response_id: int
    program_id: int
    program_kind: str
    role: str
    country: str
    time_zone: str
    seniority: int | None


@dataclass(slots=True)
class _Staff:
    hired_on: datetime.date | None
    left_on: datetime.date | None
    has_left: bool
    promoted_on: datetime.date | None


@dataclass
class _Frame:
    people: list[_Person]
    pairs: list[_Pair]
    answers: list[_Answer]
    # (participant_id, program_id) -> (assigned, answered)
    assignments: dict[int, tuple[int, int]]
    staff: list[_Staff]  # non-participants with a hire date
    later_mentoring: dict[int, list[tuple[int, datetime.datetime]]]
    now: datetime.datetime
    today: datetime.date
    zone: zoneinfo.ZoneInfo
    include_anonymous: bool
    notes: list[str] = field(default_factory=list)

    def subset(
        self,
        people: list[_Person],
        pairs: list[_Pair],
        answers: list[_Answer],
        *,
        include_anonymous: bool,
    ) -> _Frame:
        return _Frame(
            people,
            pairs,
            answers,
            self.assignments,
            self.staff,
            self.later_mentoring,
            self.now,
            self.today,
            self.zone,
            include_anonymous,
        )


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _program_start(program: Program, first_start: datetime.datetime | None, zone):
    if program.starts_on:
        return program.starts_on
    if first_start is not None:
        return first_start.astimezone(zone).date()
    return program.created_at.astimezone(zone).date()


def _load(
    programs: Sequence[Program],
    *,
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    keys: Iterable[str] = (),
) -> _Frame:
    program_ids = [p.pk for p in programs]
    by_id = {p.pk: p for p in programs}
    pairs = _load_pairs(program_ids, by_id, now=now, zone=zone)
    first_start: dict[int, datetime.datetime] = {}
    for pair in pairs.values():
        if pair.started_at and (
            pair.program_id not in first_start
            or pair.started_at < first_start[pair.program_id]
        ):
            first_start[pair.program_id] = pair.started_at
    starts = {
        pk: _program_start(program, first_start.get(pk), zone)
        for pk, program in by_id.items()
    }
    people = _load_people(program_ids, by_id, starts)
    by_enrollment = {person.enrollment_id: person for person in people}
    for pair in pairs.values():
        for enrollment_id in (pair.mentor_id, pair.mentee_id):
            person = by_enrollment.get(enrollment_id)
            if person is not None:
                person.pair_ids.append(pair.match_id)
    staff, history = _load_organization()
    return _Frame(
        people=people,
        pairs=list(pairs.values()),
        answers=_load_answers(program_ids, keys),
        assignments=_load_assignments(program_ids),
        staff=staff,
        later_mentoring=history,
        now=now,
        today=now.astimezone(zone).date(),
        zone=zone,
        include_anonymous=True,
    )


def _load_people(
    program_ids: list[int],
    programs: dict[int, Program],
    starts: dict[int, datetime.date],
) -> list[_Person]:
    """Query: every enrolment of the programs with its person's profile and HR fields."""
    rows = (
        Enrollment.objects.filter(program_id__in=program_ids)
        .order_by()
        .values_list(
            "id",
            "participant_id",
            "program_id",
            "role",
            "status",
            "applied_at",
            "decided_at",
            "participant__user__full_name",
            "participant__user__email",
            "participant__country",
            "participant__user__time_zone",
            "participant__seniority",
            "participant__hired_on",
            "participant__left_on",
            "participant__employment_status",
            "participant__last_promoted_on",
        )
    )
    return [
        _Person(
            enrollment_id=row[0],
            participant_id=row[1],
            program_id=row[2],
            kind=programs[row[2]].kind,
            role=row[3],
            status=row[4],
            applied_at=row[5],
            decided_at=row[6],
            name=row[7] or row[8],
            country=row[9],
            time_zone=row[10],
            seniority=row[11],
            start=starts[row[2]],
            hired_on=row[12],
            left_on=row[13],
            has_left=row[14] == Participant.EmploymentStatus.LEFT,
            promoted_on=row[15],
        )
        for row in rows
    ]


def _load_pairs(
    program_ids: list[int],
    programs: dict[int, Program],
    *,
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> dict[int, _Pair]:
    """Queries: the matches with meeting and update aggregates (1), goals (1),
    pulses per pair and month (1), at-risk pairs (checkins, 4)."""

    # Meetings join once (GROUP BY the match, like the health table's first query);
    # updates are few per pair: two small correlated subqueries on their FK index.
    held = Q(meetings__status=Meeting.Status.HELD, meetings__starts_at__lte=now)
    updates = (
        AsyncUpdate.objects.filter(match=OuterRef("pk")).order_by().values("match")
    )
    records = (
        Match.objects.filter(program_id__in=program_ids, status__in=MATCHED)
        .order_by()
        .annotate(
            held_count=Count("meetings", filter=held),
            first_held=Min("meetings__starts_at", filter=held),
            last_held=Max("meetings__starts_at", filter=held),
            update_count=Coalesce(
                Subquery(updates.annotate(value=Count("id")).values("value")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            last_update=Subquery(
                updates.annotate(value=Max("created_at")).values("value")[:1]
            ),
        )
        .values_list(
            "id",
            "program_id",
            "run_id",
            "run__created_at",
            "status",
            "mentor_id",
            "mentee_id",
            "created_at",
            "proposed_at",
            "started_at",
            "ended_at",
            "held_count",
            "first_held",
            "last_held",
            "update_count",
            "last_update",
        )
    )
    pairs: dict[int, _Pair] = {}
    for row in records:
        program = programs[row[1]]
        pairs[row[0]] = _Pair(
            match_id=row[0],
            program_id=row[1],
            kind=program.kind,
            run_id=row[2],
            run_label=(
                f"Run {row[2]} ({row[3].astimezone(zone):%-d %b %Y})"
                if row[2]
                else "Matched by hand"
            ),
            status=row[4],
            mentor_id=row[5],
            mentee_id=row[6],
            created_at=row[7],
            proposed_at=row[8],
            started_at=row[9],
            ended_at=row[10],
            cadence_days=program.meeting_cadence_days,
            held=row[11],
            first_held=row[12],
            last_held=row[13],
            updates=row[14],
            last_update=row[15],
        )
    if not pairs:
        return pairs
    # The pairs' rows by join, not by a list of thousands of ids.
    in_scope = Q(match__program_id__in=program_ids, match__status__in=MATCHED)
    for match_id, goals, done, milestones, milestones_done in (
        Goal.objects.filter(in_scope)
        .order_by()
        .values("match_id")
        .annotate(
            n_goals=Count("id", distinct=True),
            n_done=Count("id", filter=Q(progress__gte=100), distinct=True),
            n_milestones=Count("milestones", distinct=True),
            n_milestones_done=Count(
                "milestones", filter=Q(milestones__is_done=True), distinct=True
            ),
        )
        .values_list(
            "match_id", "n_goals", "n_done", "n_milestones", "n_milestones_done"
        )
    ):
        pair = pairs[match_id]
        pair.goals, pair.goals_done = goals, done
        pair.milestones, pair.milestones_done = milestones, milestones_done
    for match_id, month, total, count in (
        Pulse.objects.filter(
            meeting__match__program_id__in=program_ids,
            meeting__match__status__in=MATCHED,
        )
        .order_by()
        .annotate(month=TruncMonth("meeting__starts_at", tzinfo=zone))
        .values("meeting__match_id", "month")
        .annotate(total=Sum("usefulness"), count=Count("id"))
        .values_list("meeting__match_id", "month", "total", "count")
    ):
        day = month.date() if isinstance(month, datetime.datetime) else month
        pairs[match_id].pulses[day] = (total, count)
    for row in pairs_at_risk(program_ids=program_ids, now=now):
        if row.match_id in pairs:
            pairs[row.match_id].at_risk = True
    return pairs


def _load_answers(program_ids: list[int], keys: Iterable[str]) -> list[_Answer]:
    """Query: the numeric answers reports use (NPS, competencies, confidence and the
    question keys objectives name), with the response's segment."""
    rows = (
        Answer.objects.filter(
            Q(question__kind="nps")
            | Q(question__key__in=["competencies", "confidence", *keys]),
            response__survey__program_id__in=program_ids,
            number__isnull=False,
        )
        .order_by()
        .values_list(
            "question__key",
            "question__kind",
            "item",
            "number",
            "response__is_anonymous",
            "response__assignment__enrollment_id",
            "response__assignment__participant_id",
            "response__survey_id",
            "response__survey__kind",
            "response__submitted_on",
            "response_id",
            "response__survey__program_id",
            "response__survey__program__kind",
            "response__role",
            "response__country",
            "response__time_zone",
            "response__seniority",
        )
    )
    return [_Answer(*row) for row in rows]


def _load_assignments(program_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Query: assigned and answered survey assignments per enrolment (or, for the
    ones sent without an enrolment, per person and program, keyed negatively)."""
    found: dict[Any, tuple[int, int]] = {}
    for enrollment_id, participant_id, program_id, assigned, answered in (
        SurveyAssignment.objects.filter(survey__program_id__in=program_ids)
        .order_by()
        .values("enrollment_id", "participant_id", "survey__program_id")
        .annotate(
            assigned=Count("id"), answered=Count("id", filter=Q(is_answered=True))
        )
        .values_list(
            "enrollment_id",
            "participant_id",
            "survey__program_id",
            "assigned",
            "answered",
        )
    ):
        key = enrollment_id or (participant_id, program_id)
        a, b = found.get(key, (0, 0))
        found[key] = (a + assigned, b + answered)
    return found


def _load_organization() -> tuple[
    list[_Staff], dict[int, list[tuple[int, datetime.datetime]]]
]:
    """Query: every person's HR dates, whether they ever took part in a program, and
    their mentor enrolments that took part (program, applied), in parallel arrays.

    Returns the staff list (people with a hire date who never took part: the
    comparison group) and, per person, their mentoring history.
    """
    mentoring = Q(enrollments__role="mentor", enrollments__status__in=IN_PROGRAM)
    order = ("enrollments__applied_at", "enrollments__id")
    # One pass over participants ⟕ enrolments: a filtered count, not an EXISTS
    # subplan (whose cost estimate set off PostgreSQL's JIT compiler: +2 s).
    rows = (
        Participant.objects.order_by()
        .annotate(
            took_part=Count(
                "enrollments", filter=Q(enrollments__status__in=IN_PROGRAM)
            ),
            mentor_programs=ArrayAgg(
                "enrollments__program_id", filter=mentoring, order_by=order, default=[]
            ),
            mentor_applied=ArrayAgg(
                "enrollments__applied_at", filter=mentoring, order_by=order, default=[]
            ),
        )
        .values_list(
            "id",
            "hired_on",
            "left_on",
            "employment_status",
            "last_promoted_on",
            "took_part",
            "mentor_programs",
            "mentor_applied",
        )
    )
    staff: list[_Staff] = []
    history: dict[int, list[tuple[int, datetime.datetime]]] = {}
    for pk, hired, left, status, promoted, took_part, programs, applied in rows:
        if programs:
            history[pk] = list(zip(programs, applied, strict=True))
        if hired is not None and not took_part:
            staff.append(
                _Staff(
                    hired, left, status == Participant.EmploymentStatus.LEFT, promoted
                )
            )
    return staff, history


# --- Scoping ------------------------------------------------------------------------


def _scoped(frame: _Frame, cohort: Cohort | None, period: Period | None) -> _Frame:
    if cohort is None and period is None:
        return frame
    if cohort is not None:
        pairs = [p for p in frame.pairs if p.run_id == cohort.run_id]
        ids = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
        people = [p for p in frame.people if p.enrollment_id in ids]
    elif period is not None:

        def within(instant: datetime.datetime) -> bool:
            return period.start <= instant.astimezone(frame.zone).date() <= period.end

        people = [p for p in frame.people if within(p.applied_at)]
        pairs = [p for p in frame.pairs if within(p.created_at)]
    enrollment_ids = {p.enrollment_id for p in people}
    answers = [
        a
        for a in frame.answers
        if not a.anonymous and a.enrollment_id in enrollment_ids
    ]
    scoped = frame.subset(people, pairs, answers, include_anonymous=False)
    if any(a.anonymous for a in frame.answers):
        scoped.notes.append(
            "Anonymous survey answers can't be tied to a cohort or period: "
            "survey figures here count attributed answers only."
        )
    return scoped


# --- Computing ----------------------------------------------------------------------


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _funnel(frame: _Frame) -> Funnel:
    pairs = {p.match_id: p for p in frame.pairs}
    applied = approved = matched = active = completed = in_progress = 0
    waits: list[float] = []
    for person in frame.people:
        if person.status == Enrollment.Status.INVITED:
            continue
        applied += 1
        own = [pairs[i] for i in person.pair_ids if i in pairs]
        is_matched = any(p.status in MATCHED for p in own)
        if person.status in IN_PROGRAM or is_matched:
            approved += 1
        if is_matched:
            matched += 1
            if person.decided_at is not None:
                first = min((p.proposed_at or p.created_at) for p in own)
                waits.append(max(0.0, _days(first - person.decided_at)))
        if any(p.status in STARTED for p in own):
            active += 1
        if person.status == Enrollment.Status.COMPLETED or any(
            p.status == Match.Status.COMPLETED for p in own
        ):
            completed += 1
        elif any(p.status == Match.Status.ACTIVE for p in own):
            in_progress += 1
    counts = [
        ("Applied", applied),
        ("Approved", approved),
        ("Matched", matched),
        ("Active", active),
        ("Completed", completed),
    ]
    steps = []
    for index, (label, count) in enumerate(counts):
        if index == 0:
            steps.append(FunnelStep(label, count, None, 0))
            continue
        previous = counts[index - 1][1]
        waiting = in_progress if label == "Completed" else 0
        steps.append(
            FunnelStep(
                label,
                count,
                count / previous if previous else None,
                max(0, previous - count - waiting),
                waiting,
            )
        )
    return Funnel(
        steps,
        Figure(
            "funnel.days_to_match",
            "funnel",
            "Median days from approval to match",
            _median(waits),
            "days",
            len(waits),
        ),
    )


def _expected(pair: _Pair, now: datetime.datetime) -> int:
    if pair.started_at is None:
        return 0
    end = pair.ended_at if pair.status != Match.Status.ACTIVE and pair.ended_at else now
    cadence = datetime.timedelta(days=pair.cadence_days)
    return max(0, (end - pair.started_at) // cadence)


def _engagement(frame: _Frame) -> Engagement:
    section = "engagement"
    started = [p for p in frame.pairs if p.status in STARTED and p.started_at]
    active = [p for p in started if p.status == Match.Status.ACTIVE]
    held = sum(p.held for p in started)
    expected = sum(_expected(p, frame.now) for p in started)
    on_cadence = [p for p in active if p.held >= _expected(p, frame.now)]
    engaged = [
        p
        for p in active
        if p.held >= _expected(p, frame.now) or p.updates >= _expected(p, frame.now)
    ]
    goals = sum(p.goals for p in frame.pairs)
    milestones = sum(p.milestones for p in frame.pairs)
    months: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for pair in started:
        for month, (total, count) in pair.pulses.items():
            months[month][0] += total
            months[month][1] += count
    pulse_total = sum(v[0] for v in months.values())
    pulse_count = sum(v[1] for v in months.values())
    trend = [
        TrendPoint(month, total / count, count)
        for month, (total, count) in sorted(months.items())[-TREND_MONTHS:]
    ]
    return Engagement(
        held=Figure(f"{section}.held", section, "Meetings held", held, "meetings"),
        expected=Figure(
            f"{section}.expected",
            section,
            "Meetings expected by the cadence",
            expected,
            "meetings",
        ),
        held_share=Figure(
            f"{section}.held_share",
            section,
            "Meetings held of expected",
            held / expected if expected else None,
            "%",
            len(started),
        ),
        on_cadence=_share(
            f"{section}.on_cadence",
            section,
            "Active pairs meeting on cadence",
            len(on_cadence),
            len(active),
        ),
        engaged=_share(
            f"{section}.engaged",
            section,
            "Active pairs engaged (meetings or written updates)",
            len(engaged),
            len(active),
        ),
        at_risk=_share(
            f"{section}.at_risk",
            section,
            "Active pairs at risk",
            sum(p.at_risk for p in active),
            len(active),
        ),
        updates_per_pair=Figure(
            f"{section}.updates_per_pair",
            section,
            "Written updates",
            sum(p.updates for p in started) / len(started) if started else None,
            "per pair",
            len(started),
        ),
        goals_done=_share(
            f"{section}.goals_done",
            section,
            "Goals completed",
            sum(p.goals_done for p in frame.pairs),
            goals,
        ),
        milestones_done=_share(
            f"{section}.milestones_done",
            section,
            "Milestones reached",
            sum(p.milestones_done for p in frame.pairs),
            milestones,
        ),
        pulse_mean=Figure(
            f"{section}.pulse_mean",
            section,
            "Pulse (meeting usefulness)",
            pulse_total / pulse_count if pulse_count else None,
            "of 5",
            pulse_count,
        ),
        pulse_trend=trend,
    )


def _latest(answers: Iterable[_Answer], person: Callable[[_Answer], Any]):
    """{(item, person): number}, each person's latest answer (by day, then response)."""
    found: dict[tuple[str, Any], tuple[tuple, int]] = {}
    for answer in answers:
        key = (answer.item, person(answer))
        rank = (answer.submitted_on, answer.response_id)
        if key not in found or found[key][0] < rank:
            found[key] = (rank, answer.number)
    return {key: number for key, (_, number) in found.items()}


def _person_key(answer: _Answer) -> Any:
    return answer.participant_id if not answer.anonymous else f"r{answer.response_id}"


def _anonymous_too_few(answers: Sequence[_Answer]) -> bool:
    anonymous = {a.response_id for a in answers if a.anonymous}
    return 0 < len(anonymous) < metrics.MIN_GROUP_SIZE


def _usable(frame: _Frame, answers: Iterable[_Answer]) -> list[_Answer]:
    return [a for a in answers if frame.include_anonymous or not a.anonymous]


def _outcomes(frame: _Frame) -> Outcomes:
    section = "outcomes"
    assigned = answered = 0
    for person in frame.people:
        counts = frame.assignments.get(person.enrollment_id)
        if counts is None:
            counts = frame.assignments.get((person.participant_id, person.program_id))
        if counts:
            assigned += counts[0]
            answered += counts[1]
    answers = _usable(frame, frame.answers)
    nps_answers = [a for a in answers if a.kind == "nps"]
    score = metrics.nps(a.number for a in nps_answers)
    nps = Figure(
        f"{section}.nps",
        section,
        "Net Promoter Score",
        score.score,
        "points",
        score.n,
        _anonymous_too_few(nps_answers),
        f"{score.promoters} promoters, {score.passives} passive, "
        f"{score.detractors} detractors",
    )
    competencies = _competencies([a for a in answers if a.key == "competencies"], frame)
    return Outcomes(
        response_rate=Figure(
            f"{section}.response_rate",
            section,
            "Survey response rate",
            metrics.response_rate(answered=answered, assigned=assigned),
            "%",
            assigned,
        ),
        nps=nps,
        confidence_gain=_confidence_gain(
            [a for a in answers if a.key == "confidence"], frame
        ),
        competencies=competencies,
    )


def _before_after(answers: list[_Answer]) -> tuple[list[_Answer], list[_Answer]]:
    before = [a for a in answers if a.survey_kind == "baseline"]
    after = [a for a in answers if a.survey_kind == "closing"]
    return before, after


def _competencies(answers: list[_Answer], frame: _Frame) -> list[CompetencyRow]:
    before, after = _before_after(answers)
    if not before or not after:
        return []
    paired = not any(a.anonymous for a in (*before, *after))
    b = _latest(before, _person_key)
    a = _latest(after, _person_key)
    areas = list(dict.fromkeys([key[0] for key in b] + [key[0] for key in a]))
    rows = []
    for area in areas:
        area_b = {person: n for (item, person), n in b.items() if item == area}
        area_a = {person: n for (item, person), n in a.items() if item == area}
        if paired:
            change = metrics.paired_change(before=area_b, after=area_a)
            rows.append(
                CompetencyRow(
                    area,
                    change.mean_before,
                    change.mean_after,
                    change.mean_change,
                    change.n,
                    True,
                    False,
                )
            )
        else:
            change = metrics.unpaired_change(
                before=area_b.values(), after=area_a.values()
            )
            too_few = not (
                metrics.is_reportable(change.n_before)
                and metrics.is_reportable(change.n_after)
            )
            rows.append(
                CompetencyRow(
                    area,
                    None if too_few else change.mean_before,
                    None if too_few else change.mean_after,
                    None if too_few else change.mean_change,
                    min(change.n_before, change.n_after),
                    False,
                    too_few,
                )
            )
    return rows


def _confidence_gain(answers: list[_Answer], frame: _Frame) -> Figure:
    key, section, label = (
        "outcomes.confidence_gain",
        "outcomes",
        "Mentees reporting a confidence gain",
    )
    mentees = [a for a in answers if (a.role or "mentee") == "mentee"]
    before, after = _before_after(mentees)
    if any(a.anonymous for a in (*before, *after)):
        change = metrics.unpaired_change(
            before=[a.number for a in before], after=[a.number for a in after]
        )
        return Figure(
            key,
            section,
            label,
            None,
            "%",
            None,
            False,
            "Anonymous answers can't be paired per person"
            + (
                f"; mean confidence went from {change.mean_before:.1f} to {change.mean_after:.1f}"
                if change.mean_change is not None
                and metrics.is_reportable(change.n_before)
                and metrics.is_reportable(change.n_after)
                else ""
            ),
        )
    change = metrics.paired_change(
        before={p: n for (_, p), n in _latest(before, _person_key).items()},
        after={p: n for (_, p), n in _latest(after, _person_key).items()},
    )
    return Figure(key, section, label, change.improved_share, "%", change.n)


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _employed_at(hired, left, has_left, day, *, unknown_hire_employed: bool) -> bool:
    if hired is None and not unknown_hire_employed:
        return False
    if hired is not None and hired > day:
        return False
    if has_left and left is None:
        return False  # left on an unknown day: can't say
    return not (left is not None and left < day)


def _still(left, has_left, day) -> bool:
    return not has_left or (left is not None and left >= day)


def _participants(frame: _Frame) -> list[_Person]:
    """One row per person and program start among those who took part."""
    pairs = {p.match_id: p for p in frame.pairs}
    seen: set[tuple[int, datetime.date]] = set()
    found = []
    for person in frame.people:
        took_part = person.status in IN_PROGRAM or any(
            pairs[i].status in MATCHED for i in person.pair_ids if i in pairs
        )
        key = (person.participant_id, person.start)
        if took_part and key not in seen:
            seen.add(key)
            found.append(person)
    return found


def _retention(frame: _Frame) -> Retention:
    section = "retention"
    people = _participants(frame)
    starts = sorted({p.start for p in people})
    missing = []
    if not frame.staff:
        missing.append(
            "No staff list: import every employee with their hire date (and leave "
            "date for leavers) in the admin (Participants › Import) to compare "
            "participants with non-participants."
        )
    unknown_leave = sum(1 for p in people if p.has_left and p.left_on is None)
    if unknown_leave:
        missing.append(
            f"{unknown_leave} participant(s) marked as left have no leave date and are "
            "left out."
        )
    no_hire = sum(1 for p in people if p.hired_on is None)
    if no_hire:
        missing.append(
            f"{no_hire} participant(s) have no hire date; they count as employed at the start."
        )
    figures = {}
    for months in (6, 12):
        elapsed = [s for s in starts if _months_later(s, months) <= frame.today]
        base = kept = 0
        for person in people:
            if person.start not in elapsed:
                continue
            if _employed_at(
                person.hired_on,
                person.left_on,
                person.has_left,
                person.start,
                unknown_hire_employed=True,
            ):
                base += 1
                kept += _still(
                    person.left_on, person.has_left, _months_later(person.start, months)
                )
        other_base = other_kept = 0
        for start in elapsed:
            end = _months_later(start, months)
            for staff in frame.staff:
                if _employed_at(
                    staff.hired_on,
                    staff.left_on,
                    staff.has_left,
                    start,
                    unknown_hire_employed=False,
                ):
                    other_base += 1
                    other_kept += _still(staff.left_on, staff.has_left, end)
        note = ""
        if starts and not elapsed:
            note = f"Known after {_months_later(starts[0], months):%-d %b %Y}"
        figures[f"participants_{months}m"] = _share(
            f"{section}.participants_{months}m",
            section,
            f"Participants still employed after {months} months",
            kept,
            base,
            note=note,
        )
        figures[f"others_{months}m"] = _share(
            f"{section}.others_{months}m",
            section,
            f"Non-participants still employed after {months} months",
            other_kept,
            other_base,
            note=note if frame.staff else "No staff list imported",
        )
    return Retention(**figures, missing=missing)


def _growth(frame: _Frame) -> Growth:
    section = "growth"
    people = [
        p
        for p in frame.people
        if p.status in IN_PROGRAM
        or p.pair_ids  # matched people took part even if withdrawn later
    ]

    def later_mentor(person: _Person) -> bool:
        return any(
            program_id != person.program_id and applied > person.applied_at
            for program_id, applied in frame.later_mentoring.get(
                person.participant_id, []
            )
        )

    mentees = [p for p in people if p.role == "mentee"]
    mentors = [p for p in people if p.role == "mentor"]
    participants = _participants(frame)
    promoted = base = 0
    for person in participants:
        if _employed_at(
            person.hired_on,
            person.left_on,
            person.has_left,
            person.start,
            unknown_hire_employed=True,
        ):
            base += 1
            end = _months_later(person.start, 12)
            promoted += bool(
                person.promoted_on and person.start < person.promoted_on <= end
            )
    other_promoted = other_base = 0
    for start in sorted({p.start for p in participants}):
        end = _months_later(start, 12)
        for staff in frame.staff:
            if _employed_at(
                staff.hired_on,
                staff.left_on,
                staff.has_left,
                start,
                unknown_hire_employed=False,
            ):
                other_base += 1
                other_promoted += bool(
                    staff.promoted_on and start < staff.promoted_on <= end
                )
    missing = []
    if participants and not any(p.promoted_on for p in participants):
        missing.append(
            "No promotion dates: set each person's last promotion date (admin, or the "
            "staff-list import) to count promotions."
        )
    still_open = [p for p in participants if _months_later(p.start, 12) > frame.today]
    note = "so far: the 12 months haven't passed yet" if still_open else ""
    return Growth(
        mentees_became_mentors=_share(
            f"{section}.mentees_became_mentors",
            section,
            "Mentees who later mentored",
            sum(1 for p in mentees if later_mentor(p)),
            len(mentees),
        ),
        mentors_again=_share(
            f"{section}.mentors_again",
            section,
            "Mentors who mentored again",
            sum(1 for p in mentors if later_mentor(p)),
            len(mentors),
        ),
        promoted=_share(
            f"{section}.promoted",
            section,
            "Participants promoted within 12 months",
            promoted,
            base,
            note=note,
        ),
        others_promoted=_share(
            f"{section}.others_promoted",
            section,
            "Non-participants promoted within 12 months",
            other_promoted,
            other_base,
            note="No staff list imported" if not frame.staff else note,
        ),
        missing=missing,
    )


def _responsiveness(frame: _Frame) -> Responsiveness:
    section = "responsiveness"
    waits = [
        max(0.0, _days(p.first_held - p.started_at))
        for p in frame.pairs
        if p.started_at and p.first_held and p.status in STARTED
    ]
    cutoff = frame.now - TOUCHPOINT_WINDOW
    mentors: dict[int, bool] = {}
    for pair in frame.pairs:
        if pair.status != Match.Status.ACTIVE:
            continue
        touched = (pair.last_held is not None and pair.last_held >= cutoff) or (
            pair.last_update is not None and pair.last_update >= cutoff
        )
        mentors[pair.mentor_id] = mentors.get(pair.mentor_id, False) or touched
    return Responsiveness(
        days_to_first_meeting=Figure(
            f"{section}.days_to_first_meeting",
            section,
            "Median days from match to first meeting",
            _median(waits),
            "days",
            len(waits),
        ),
        mentor_utilisation=_share(
            f"{section}.mentor_utilisation",
            section,
            "Mentors with a touchpoint in the last 30 days",
            sum(mentors.values()),
            len(mentors),
        ),
    )


def _compute(frame: _Frame) -> dict[str, Any]:
    return {
        "funnel": _funnel(frame),
        "engagement": _engagement(frame),
        "outcomes": _outcomes(frame),
        "retention": _retention(frame),
        "growth": _growth(frame),
        "responsiveness": _responsiveness(frame),
        "people": len(frame.people),
        "pairs": len(frame.pairs),
    }


def _figures_of(sections: dict[str, Any]) -> list[Figure]:
    return [
        figure
        for name in (
            "funnel",
            "engagement",
            "outcomes",
            "retention",
            "growth",
            "responsiveness",
        )
        for figure in sections[name].figures()
    ]


# --- Breakdowns ---------------------------------------------------------------------


def _label(dimension: str, value: Any) -> str:
    if value in ("", None):
        return "Not given"
    if dimension == "country":
        return reference.country_names().get(value, value)
    if dimension == "seniority":
        try:
            return Participant.Seniority(value).label
        except ValueError:
            return str(value)
    if dimension == "role":
        return {"mentor": "Mentors", "mentee": "Mentees"}.get(value, value)
    if dimension == "kind":
        return Program.Kind(value).label
    return str(value)


def _breakdown(frame: _Frame, dimension: str) -> Breakdown:
    people = {p.enrollment_id: p for p in frame.people}
    pairs_of: dict[int, _Pair] = {p.match_id: p for p in frame.pairs}

    def mentor_of(person: _Person) -> tuple[Any, str]:
        if person.role == "mentor":
            return person.enrollment_id, person.name
        for match_id in person.pair_ids:
            pair = pairs_of.get(match_id)
            if pair and pair.status in MATCHED and pair.mentor_id in people:
                return pair.mentor_id, people[pair.mentor_id].name
        return None, "Not matched"

    def person_key(person: _Person) -> tuple[Any, str]:
        if dimension == "mentor":
            return mentor_of(person)
        if dimension == "cohort":
            for match_id in person.pair_ids:
                pair = pairs_of.get(match_id)
                if pair and pair.status in MATCHED:
                    return pair.run_id, pair.run_label
            return None, "Not matched"
        value = {
            "country": person.country,
            "time_zone": person.time_zone,
            "seniority": person.seniority,
            "role": person.role,
            "kind": person.kind,
        }[dimension]
        return value, _label(dimension, value)

    groups: dict[Any, dict[str, Any]] = {}

    def group(key: Any, label: str) -> dict[str, Any]:
        return groups.setdefault(
            key, {"label": label, "people": [], "pairs": [], "answers": []}
        )

    for person in frame.people:
        key, label = person_key(person)
        group(key, label)["people"].append(person)
    for pair in frame.pairs:
        if dimension == "role":
            for role in ("mentor", "mentee"):
                group(role, _label("role", role))["pairs"].append(pair)
            continue
        if dimension == "mentor":
            mentor = people.get(pair.mentor_id)
            keys = [(pair.mentor_id, mentor.name if mentor else "Unknown")]
        elif dimension == "cohort":
            keys = [(pair.run_id, pair.run_label)]
        else:
            mentee = people.get(pair.mentee_id)
            keys = [person_key(mentee)] if mentee else []
        for key, label in keys:
            group(key, label)["pairs"].append(pair)
    anonymous_counts: dict[Any, set[int]] = defaultdict(set)
    for answer in _usable(frame, frame.answers):
        if answer.anonymous:
            if dimension not in ANONYMOUS_DIMENSIONS:
                continue
            value = {
                "country": answer.country,
                "time_zone": answer.time_zone,
                "seniority": answer.seniority,
                "role": answer.role,
                "kind": answer.program_kind,
            }[dimension]
            key, label = value, _label(dimension, value)
            anonymous_counts[key].add(answer.response_id)
        else:
            person = people.get(answer.enrollment_id)
            if person is None:
                continue
            key, label = person_key(person)
        group(key, label)["answers"].append(answer)
    hidden = metrics.suppressed_groups(
        {key: len(ids) for key, ids in anonymous_counts.items()}
    )
    columns = []
    result = []
    for key, members in groups.items():
        sub = frame.subset(
            members["people"],
            members["pairs"],
            members["answers"],
            include_anonymous=frame.include_anonymous,
        )
        figures = {f.key: f for f in _figures_of(_compute(sub))}
        if key in hidden:
            figures = {
                name: _hide(f)
                if f.section == "outcomes" and name != "outcomes.response_rate"
                else f
                for name, f in figures.items()
            }
        result.append(
            BreakdownGroup(key, members["label"], len(members["people"]), figures)
        )
        if not columns:
            columns = [(k, figures[k].label) for k in HEADLINE if k in figures]
    result.sort(key=lambda g: (-g.size, g.label.casefold()))
    note = ""
    if (
        any(a.anonymous for a in frame.answers)
        and dimension not in ANONYMOUS_DIMENSIONS
    ):
        note = (
            "Anonymous survey answers carry no mentor or cohort: survey figures in this "
            "breakdown count attributed answers only."
        )
    return Breakdown(dimension, BREAKDOWNS[dimension], columns, result, note)


def _hide(figure: Figure) -> Figure:
    return Figure(
        figure.key,
        figure.section,
        figure.label,
        None,
        figure.unit,
        None,
        True,
        figure.note,
    )


# --- Entry points -------------------------------------------------------------------


def _cohort_options(frame: _Frame) -> list[CohortOption]:
    runs: dict[int, str] = {}
    for pair in frame.pairs:
        if pair.run_id:
            runs[pair.run_id] = pair.run_label
    return [CohortOption(run_id, label) for run_id, label in sorted(runs.items())]


def _impact(
    programs: Sequence[Program],
    *,
    cohort: Cohort | None,
    period: Period | None,
    breakdown: str,
    now: datetime.datetime,
    zone: str,
    keys: Iterable[str] = (),
) -> tuple[ProgramImpact, _Frame]:
    tz = _zone(zone)
    frame = _load(programs, now=now, zone=tz, keys=keys)
    scoped = _scoped(frame, cohort, period)
    breakdown = breakdown if breakdown in BREAKDOWNS else ""
    impact = ProgramImpact(
        scope=Scope(tuple(programs), cohort, period, breakdown, frame.today, zone),
        **_compute(scoped),
        cohorts=_cohort_options(frame),
        notes=list(scoped.notes),
    )
    if breakdown:
        impact.breakdown = _breakdown(scoped, breakdown)
    return impact, scoped


def program_impact(
    *,
    program: Program,
    cohort: Cohort | None = None,
    period: Period | None = None,
    breakdown: str = "",
    now: datetime.datetime,
    zone: str = "UTC",
) -> ProgramImpact:
    """Every impact metric of one program (optionally one cohort or date range), with
    an optional breakdown (a key of ``BREAKDOWNS``) and its objectives measured.
    ``zone`` is the viewer's: it sets "today", months and the period's dates.
    12 queries whatever the size (see the module docstring)."""
    objectives = list(
        ProgramObjective.objects.filter(program=program).select_related(
            "impact_measure"
        )
    )
    impact, scoped = _impact(
        [program],
        cohort=cohort,
        period=period,
        breakdown=breakdown,
        now=now,
        zone=zone,
        keys={
            objective.impact_measure.question_key
            for objective in objectives
            if getattr(objective, "impact_measure", None) is not None
            and objective.impact_measure.question_key
        },
    )
    impact.objectives = _objectives(objectives, impact, scoped)
    return impact


def organization_impact(
    *,
    programs: Sequence[Program],
    cohort: Cohort | None = None,
    period: Period | None = None,
    breakdown: str = "",
    now: datetime.datetime,
    zone: str = "UTC",
) -> ProgramImpact:
    """The same metrics over several programs (an HR admin's view of the
    organization), plus the headline figures of each program in ``programs``.
    11 queries whatever the number of programs."""
    programs = list(programs)
    impact, scoped = _impact(
        programs,
        cohort=cohort,
        period=period,
        breakdown=breakdown,
        now=now,
        zone=zone,
    )
    for program in programs:
        sub = scoped.subset(
            [p for p in scoped.people if p.program_id == program.pk],
            [p for p in scoped.pairs if p.program_id == program.pk],
            [a for a in scoped.answers if a.program_id == program.pk],
            include_anonymous=scoped.include_anonymous,
        )
        figures = {f.key: f for f in _figures_of(_compute(sub))}
        impact.programs.append(ProgramRow(program, figures))
    return impact


# --- Objectives ---------------------------------------------------------------------


def _objectives(
    objectives: list[ProgramObjective], impact: ProgramImpact, frame: _Frame
) -> list[ObjectiveResult]:
    """Each objective (with its measure, prefetched) measured against its target."""
    results = []
    for objective in objectives:
        measure = getattr(objective, "impact_measure", None)
        if measure is None:
            results.append(ObjectiveResult(objective, "", None, None))
            continue
        measured = measuring.measure(
            measure=measure,
            figures={f.key: f for f in impact.figures()},
            answers=_usable(frame, frame.answers),
        )
        results.append(
            ObjectiveResult(
                objective,
                measuring.target_label(measure),
                measured,
                measuring.is_met(measure=measure, figure=measured),
            )
        )
    return results


# --- Compare ------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    section: str
    label: str
    first: Figure
    second: Figure

    @property
    def change(self) -> str:
        """second − first, in the figure's unit ("+12 pts" for shares)."""
        a, b = self.first, self.second
        if a.suppressed or b.suppressed or a.value is None or b.value is None:
            return "—"
        delta = b.value - a.value
        if a.unit == "%":
            return f"{delta * 100:+.0f} pts"
        if a.unit == "days":
            return f"{delta:+.1f} days"
        if float(delta).is_integer():
            return f"{delta:+,.0f}"
        return f"{delta:+.1f}"


def impact_compare(*, first: ProgramImpact, second: ProgramImpact) -> list[CompareRow]:
    """Every figure of ``first`` next to the same figure of ``second`` (by key; a
    figure only one side has is shown as "—" on the other)."""
    a = {f.key: f for f in first.figures()}
    b = {f.key: f for f in second.figures()}
    keys = list(dict.fromkeys([*a, *b]))
    rows = []
    for key in keys:
        fa = a.get(key)
        fb = b.get(key)
        template = fa or fb
        if template is not None:
            rows.append(
                CompareRow(
                    template.section,
                    template.label,
                    fa or _empty(template),
                    fb or _empty(template),
                )
            )
    return rows


def _empty(figure: Figure) -> Figure:
    return Figure(figure.key, figure.section, figure.label, None, figure.unit)


SECTIONS = {
    "funnel": "Enrolment funnel",
    "engagement": "Engagement",
    "outcomes": "Outcomes",
    "retention": "Retention",
    "growth": "Growth",
    "responsiveness": "Responsiveness",
}


def figure_sections(figures: Iterable[Figure]) -> list[tuple[str, list[Figure]]]:
    """Figures grouped by section in page order (for tables and exports)."""
    grouped: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        grouped[figure.section].append(figure)
    return [(SECTIONS[name], grouped[name]) for name in SECTIONS if grouped[name]]


def compare_sections(
    rows: Iterable[CompareRow],
) -> list[tuple[str, list[CompareRow]]]:
    """Compare rows grouped by section in page order."""
    grouped: dict[str, list[CompareRow]] = defaultdict(list)
    for row in rows:
        grouped[row.section].append(row)
    return [(SECTIONS[name], grouped[name]) for name in SECTIONS if grouped[name]]


def cohort_options(*, program: Program, zone: str = "UTC") -> list[CohortOption]:
    """The program's matching runs that proposed matches (the cohort filter): 1 query."""
    tz = _zone(zone)
    runs = (
        MatchRun.objects.filter(program=program)
        .filter(Exists(Match.objects.filter(run=OuterRef("pk"), status__in=MATCHED)))
        .order_by("created_at", "id")
        .values_list("id", "created_at")
    )
    return [
        CohortOption(run_id, f"Run {run_id} ({created.astimezone(tz):%-d %b %Y})")
        for run_id, created in runs
    ]
