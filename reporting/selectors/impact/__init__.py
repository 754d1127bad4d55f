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

Layout. ``shapes`` (scope, sections and their formulas, ``ProgramImpact``, the
KPI and headline keys), ``frame`` (the rows every figure is computed from, and the
scoping to a cohort or period), ``loading`` (the queries that fill the frame),
``activity`` / ``outcomes`` / ``careers`` (one function per section), ``compute``
(every section of a frame), ``breakdowns`` (per-group figures and small-group
suppression), ``entry`` (the entry points), ``compare`` (side by side, and figures
grouped by section). This package re-exports the public names.
"""

from reporting.figures import Figure
from reporting.selectors.impact.activity import TOUCHPOINT_WINDOW, TREND_MONTHS
from reporting.selectors.impact.compare import (
    SECTIONS,
    CompareRow,
    compare_sections,
    figure_sections,
    impact_compare,
)
from reporting.selectors.impact.entry import (
    cohort_options,
    organization_impact,
    program_impact,
)
from reporting.selectors.impact.frame import IN_PROGRAM, MATCHED, STARTED
from reporting.selectors.impact.shapes import (
    ANONYMOUS_DIMENSIONS,
    BREAKDOWNS,
    HEADLINE,
    KPIS,
    Breakdown,
    BreakdownGroup,
    Cohort,
    CohortOption,
    CompetencyRow,
    Engagement,
    Funnel,
    FunnelStep,
    Growth,
    ObjectiveResult,
    Outcomes,
    Period,
    ProgramImpact,
    ProgramRow,
    Responsiveness,
    Retention,
    Scope,
    TrendPoint,
)

__all__ = [
    "ANONYMOUS_DIMENSIONS",
    "BREAKDOWNS",
    "HEADLINE",
    "IN_PROGRAM",
    "KPIS",
    "MATCHED",
    "SECTIONS",
    "STARTED",
    "TOUCHPOINT_WINDOW",
    "TREND_MONTHS",
    "Breakdown",
    "BreakdownGroup",
    "Cohort",
    "CohortOption",
    "CompareRow",
    "CompetencyRow",
    "Engagement",
    "Figure",
    "Funnel",
    "FunnelStep",
    "Growth",
    "ObjectiveResult",
    "Outcomes",
    "Period",
    "ProgramImpact",
    "ProgramRow",
    "Responsiveness",
    "Retention",
    "Scope",
    "TrendPoint",
    "cohort_options",
    "compare_sections",
    "figure_sections",
    "impact_compare",
    "organization_impact",
    "program_impact",
]
