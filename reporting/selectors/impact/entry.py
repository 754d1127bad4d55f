"""The entry points: ``program_impact``, ``organization_impact`` and the cohort filter's
``cohort_options`` (load the frame, scope it, compute, break down, measure objectives)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db.models import Exists, OuterRef

from matching.models import Match, MatchRun
from programs.models import Program, ProgramObjective
from reporting import objectives as measuring
from reporting.selectors.impact.breakdowns import _breakdown
from reporting.selectors.impact.compute import _compute, _figures_of
from reporting.selectors.impact.frame import MATCHED, _Frame, _scoped, _zone
from reporting.selectors.impact.loading import _load
from reporting.selectors.impact.outcomes import _usable
from reporting.selectors.impact.shapes import (
    BREAKDOWNS,
    Cohort,
    CohortOption,
    ObjectiveResult,
    Period,
    ProgramImpact,
    ProgramRow,
    Scope,
)


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
