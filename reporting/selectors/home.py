"""The coordinator's home (/manage/): per program, its stage, the one next step,
and the figures that need attention, each linking to the filtered list behind it.

A fixed number of queries whatever the number of programs or people
(tests/reporting/test_manage_home_view.py, bench/pages.py ``manage_home``): the
programs with their enrolment counts (1); pairs by status and the programs with a
run in review (2, ``matching.selectors.match_counts_by_program``); at-risk pairs
(4, ``checkins.selectors.pairs_at_risk``); people held back by training (1,
``programs.selectors.training_blocked_counts``); survey answers due (1).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count
from django.urls import reverse

from checkins.selectors import HealthRow, pairs_at_risk
from matching.selectors import (
    PROPOSAL_STALE_AFTER,
    ProgramMatchCounts,
    match_counts_by_program,
)
from mentorship.accounts.models import User
from programs.models import Program
from programs.selectors import program_list_for_coordinator, training_blocked_counts
from reporting.models import SurveyAssignment


class _ProgramCounts(TypedDict):
    """The count program_list_for_coordinator annotates that the home reads."""

    applied_count: int


if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

    # A Program from program_list_for_coordinator (with its annotated counts).
    _ListedProgram = WithAnnotations[Program, _ProgramCounts]

# Surveys whose answers are due within this many days (or overdue) count as "due".
SURVEYS_DUE_WITHIN = datetime.timedelta(days=7)
# At-risk pairs named on a program's card (the rest behind the figure's link).
AT_RISK_NAMED = 3
_STAGE_ORDER: dict[str, int] = {
    Program.Status.ACTIVE: 0,
    Program.Status.MATCHING: 1,
    Program.Status.ENROLLING: 2,
    Program.Status.DRAFT: 3,
    Program.Status.CLOSED: 4,
}


@dataclass(frozen=True)
class Figure:
    """One number on a card, with the list behind it; ``needs_attention`` marks
    the figures that ask the coordinator to act."""

    label: str
    value: int
    url: str
    needs_attention: bool = False


@dataclass(frozen=True)
class NextStep:
    label: str
    url: str
    why: str = ""


@dataclass
class ProgramCard:
    program: Program
    next_step: NextStep
    figures: list[Figure] = field(default_factory=list)
    at_risk: list[HealthRow] = field(default_factory=list)
    at_risk_count: int = 0


def _next_step(
    program: _ListedProgram,
    pairs: ProgramMatchCounts,
    at_risk: int,
    today: datetime.date,
) -> NextStep:
    """The one thing to do next in the program, by stage."""
    detail = reverse("programs:program-detail", args=[program.pk])
    review = reverse("matching:review", args=[program.pk])
    matches = reverse("matching:match-list", args=[program.pk])
    health = reverse("checkins:program-health", args=[program.pk])
    status = program.status
    if status == Program.Status.DRAFT:
        return NextStep("Open enrolment", detail, "People can apply once it opens.")
    if status == Program.Status.ENROLLING:
        if program.applied_count:
            return NextStep(
                f"Decide {program.applied_count} application"
                f"{'s' if program.applied_count != 1 else ''}",
                f"{detail}?status=applied",
            )
        closes = program.enrollment_closes_on
        if closes and closes <= today:
            return NextStep(
                "Close enrolment", detail, "The enrolment window has passed."
            )
        return NextStep(
            "Close enrolment when ready",
            detail,
            f"Open until {closes:%-d %b}." if closes else "",
        )
    if status == Program.Status.MATCHING:
        if pairs.has_run_in_review:
            return NextStep("Review and publish the proposals", review)
        if not (pairs.active or pairs.ready or pairs.waiting):
            return NextStep("Run matching", review)
        if pairs.stale:
            return NextStep(
                f"Follow up {pairs.stale} stale proposals", f"{matches}?stale=1"
            )
        return NextStep("Start the program", detail, "Pairs are matched.")
    if status == Program.Status.ACTIVE:
        if at_risk:
            return NextStep(
                f"Check on {at_risk} pair{'s' if at_risk != 1 else ''} at risk",
                f"{health}?at_risk=1",
            )
        if pairs.stale:
            return NextStep(
                f"Follow up {pairs.stale} stale proposals", f"{matches}?stale=1"
            )
        return NextStep("Watch relationship health", health, "Every pair is on track.")
    return NextStep(
        "Read the impact report",
        reverse("reporting:impact-dashboard", args=[program.pk]),
    )


def _pair_word(program: Program) -> str:
    """An organization-mentoring program's pairs are engagements (a mentor and a
    member organization's team)."""
    return "engagement" if program.kind == Program.Kind.ORGANIZATION else "pair"


def _follow_up(stale: int) -> str:
    return f"Follow up {stale} stale proposal{'s' if stale != 1 else ''}"


def _figures(
    program: _ListedProgram,
    pairs: ProgramMatchCounts,
    at_risk: int,
    blocked: int,
    surveys_due: int,
) -> list[Figure]:
    detail = reverse("programs:program-detail", args=[program.pk])
    matches = reverse("matching:match-list", args=[program.pk])
    health = reverse("checkins:program-health", args=[program.pk])
    days = PROPOSAL_STALE_AFTER.days
    stale_label = "proposal" if pairs.stale == 1 else "proposals"
    figures = [
        Figure(
            "application to decide"
            if program.applied_count == 1
            else "applications to decide",
            program.applied_count,
            f"{detail}?status=applied",
            needs_attention=bool(program.applied_count),
        ),
        Figure(
            f"active {_pair_word(program)}{'s' if pairs.active != 1 else ''}",
            pairs.active,
            f"{matches}?status=active",
        ),
        Figure(
            "at risk", at_risk, f"{health}?at_risk=1", needs_attention=bool(at_risk)
        ),
        Figure(
            f"{stale_label} waiting over {days} days",
            pairs.stale,
            f"{matches}?stale=1",
            needs_attention=bool(pairs.stale),
        ),
        # The training page's "held back from matching" list (the training gate).
        Figure(
            "blocked by training",
            blocked,
            reverse("programs:training", args=[program.pk]) + "?blocked=1",
            needs_attention=bool(blocked),
        ),
        Figure(
            "survey answer due this week"
            if surveys_due == 1
            else "survey answers due this week",
            surveys_due,
            reverse("reporting:survey-list", args=[program.pk]),
        ),
    ]
    if pairs.ready:
        figures.insert(
            2,
            Figure(
                "ready, waiting for the start", pairs.ready, f"{matches}?status=active"
            ),
        )
    return figures


def _surveys_due(program_ids: list[int], today: datetime.date) -> dict[int, int]:
    rows = (
        SurveyAssignment.objects.filter(
            survey__program_id__in=program_ids,
            is_answered=False,
            due_on__lte=today + SURVEYS_DUE_WITHIN,
            due_on__gte=today - SURVEYS_DUE_WITHIN,
        )
        .values("survey__program_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("survey__program_id", "count")
    )
    return dict(rows)


def program_cards_for_coordinator(
    *, user: User, now: datetime.datetime, today: datetime.date
) -> list[ProgramCard]:
    """The home's cards, active programs first: 9 queries at any size (see the
    module docstring). ``today`` is the viewer's local date."""
    listed = cast("QuerySet[_ListedProgram]", program_list_for_coordinator(user=user))
    programs = sorted(
        listed,
        key=lambda p: (_STAGE_ORDER.get(p.status, 9), p.name.lower(), p.pk),
    )
    if not programs:
        return []
    ids = [program.pk for program in programs]
    pairs = match_counts_by_program(program_ids=ids, now=now)
    risky: dict[int, list[HealthRow]] = {}
    for row in pairs_at_risk(program_ids=ids, now=now):
        risky.setdefault(row.program_id, []).append(row)
    blocked = training_blocked_counts(program_ids=ids)
    surveys = _surveys_due(ids, today)
    cards = []
    for program in programs:
        counts = pairs.get(program.pk, ProgramMatchCounts())
        at_risk = risky.get(program.pk, [])
        cards.append(
            ProgramCard(
                program=program,
                next_step=_next_step(program, counts, len(at_risk), today),
                figures=_figures(
                    program,
                    counts,
                    len(at_risk),
                    blocked.get(program.pk, 0),
                    surveys.get(program.pk, 0),
                ),
                at_risk=at_risk[:AT_RISK_NAMED],
                at_risk_count=len(at_risk),
            )
        )
    return cards
