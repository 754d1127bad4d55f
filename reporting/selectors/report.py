"""A program's report: what the printable page and the published (shared) page show.

The metrics are ``reporting.selectors.impact``'s (one computation for the
dashboard, the exports and these pages). The published page for sponsors is
stricter than the dashboard: every figure over fewer than 5 people is hidden
("fewer than 5"), whether or not it comes from an anonymous survey — counts of
people included — competency rows and pulse months over fewer than 5 are hidden
too, there is no breakdown, and highlights are counts (goal titles are the
pair's words). Stories are the published ones only (approved, everyone named
agreed: ``stories.published_stories``).
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from programs.models import Program
from reporting import charts, metrics
from reporting.models import SuccessStory
from reporting.selectors import impact as impact_selectors
from reporting.selectors import stories
from reporting.selectors.member_organizations import (
    MemberOrganizationRow,
    member_organization_rows,
)
from reporting.selectors.stories import Highlights

Figure = impact_selectors.Figure


@dataclass(frozen=True)
class StoryView:
    story: SuccessStory
    outcome: str


@dataclass
class ProgramReport:
    program: Program
    impact: impact_selectors.ProgramImpact
    sections: list[tuple[str, list[Figure]]]
    stories: list[StoryView]
    highlights: Highlights
    generated_at: datetime.datetime
    zone: str
    is_public: bool
    # The dashboard's charts (printable report only; sponsors get bars per figure).
    charts: charts.ImpactCharts | None = None
    # Organization mentoring: one row per engagement (printable report only: a
    # team's counts are of fewer than 5 people).
    member_organizations: list[MemberOrganizationRow] = dataclasses.field(
        default_factory=list
    )

    @property
    def id_prefix(self) -> str:
        """Unique per program on a page that prints several."""
        return f"report-{self.program.pk}"

    @property
    def headcount(self) -> str:
        """E.g. "14 people, 7 pairs"; published: a count under 5 says so."""
        people, pairs = self.impact.people, self.impact.pairs
        return (
            f"{self._count(people, 'person', 'people')}, "
            f"{self._count(pairs, 'pair', 'pairs')}"
        )

    @property
    def highlight_counts(self) -> tuple[str, str]:
        """("3 goals", "1 milestone"); published: under 5 says "fewer than 5", as
        the goal and milestone figures above it do."""
        highlights = self.highlights
        return (
            self._count(highlights.goals_reached, "goal", "goals"),
            self._count(highlights.milestones_reached, "milestone", "milestones"),
        )

    def _count(self, number: int, one: str, many: str) -> str:
        if self.is_public and _too_small(number):
            return f"fewer than 5 {many}"
        return f"{number} {one if number == 1 else many}"


def _too_small(count: float | None) -> bool:
    return count is not None and 0 < count < metrics.MIN_GROUP_SIZE


def public_figure(figure: Figure) -> Figure:
    """The figure as a sponsor may see it: hidden when over fewer than 5 people
    (its ``n``), or when it *is* a count of fewer than 5 people."""
    if figure.suppressed:
        return figure
    if _too_small(figure.n) or (figure.unit == "people" and _too_small(figure.value)):
        return dataclasses.replace(figure, value=None, n=None, suppressed=True)
    return figure


def _public(value: Any) -> Any:
    """A deep copy of an impact dataclass with every small group hidden."""
    if isinstance(value, Figure):
        return public_figure(value)
    if isinstance(value, impact_selectors.CompetencyRow):
        if value.suppressed or not _too_small(value.n):
            return value
        return dataclasses.replace(
            value, before=None, after=None, change=None, suppressed=True
        )
    if isinstance(value, impact_selectors.FunnelStep) and _too_small(value.count):
        return dataclasses.replace(
            value, count=0, share=None, drop_off=0, in_progress=0
        )
    if isinstance(value, list):
        return [
            _public(item)
            for item in value
            if not (
                isinstance(item, impact_selectors.TrendPoint) and _too_small(item.n)
            )
        ]
    if isinstance(value, dict):
        return {key: _public(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: _public(getattr(value, field.name))
            for field in dataclasses.fields(value)
            if field.init
        }
        return dataclasses.replace(value, **changes)
    return value


MAX_PROGRAMS = 30


def organization_report(
    *, programs: list[Program], now: datetime.datetime, zone: str
) -> list[ProgramReport]:
    """The printable report of each program, in order, at most ``MAX_PROGRAMS``
    (each costs ``program_report``'s fixed queries: the page grows with the
    number of programs printed, not with their size)."""
    return [
        program_report(program=program, now=now, zone=zone)
        for program in programs[:MAX_PROGRAMS]
    ]


def program_report(
    *,
    program: Program,
    now: datetime.datetime,
    zone: str,
    public: bool = False,
) -> ProgramReport:
    """Everything the report of ``program`` shows, computed once. ``public``: the
    sponsor's version (see the module docstring). Queries: the impact metrics'
    fixed count + 1 for stories + 4 for highlights (+ 1 for the member
    organizations' table of an organization-mentoring program, printable only)."""
    impact = impact_selectors.program_impact(program=program, now=now, zone=zone)
    if public:
        impact = _public(impact)
        impact.breakdown = None
    return ProgramReport(
        program=program,
        impact=impact,
        sections=impact_selectors.figure_sections(impact.figures()),
        stories=[
            StoryView(story=story, outcome=stories.outcome_text(story))
            for story in stories.published_stories(program=program)
        ],
        highlights=stories.program_highlights(program=program),
        generated_at=now,
        zone=zone,
        is_public=public,
        charts=None if public else charts.impact_charts(impact),
        member_organizations=[]
        if public
        else member_organization_rows(program=program, now=now),
    )
