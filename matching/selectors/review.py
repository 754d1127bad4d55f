"""Reads for a run's review page: proposals, unmatched people, circles, swaps,
and what publishing would send.

Every function here runs a fixed number of queries whatever the data size; the
tests assert it (tests/matching/test_review_view.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from matching import engine
from matching.display import Segment, explanation_segments, local_time_label
from matching.models import Circle, Match, MatchingCriteria, MatchRun, MatchSuggestion
from matching.selectors.input import matching_input_build
from matching.selectors.teams import team_members, team_overlap
from members.models import MemberOrganization
from mentorship import localtime
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program
from programs.selectors import (
    TRAINING_NOT_COMPLETED,
    program_get_for_coordinator,
    working_pattern_of,
)

PROPOSAL_PAGE_SIZE = 50


# --- Review page ------------------------------------------------------------------------


def run_latest(*, program: Program) -> MatchRun | None:
    """The run the review page shows: the newest one not discarded."""
    return (
        MatchRun.objects.filter(program=program)
        .exclude(status=MatchRun.Status.DISCARDED)
        .select_related("started_by")
        .order_by("-created_at", "-id")
        .first()
    )


def run_get_for_coordinator(*, user: User, program_id: int, run_id: int) -> MatchRun:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    run = (
        MatchRun.objects.filter(program=program, pk=run_id)
        .select_related("program")
        .first()
    )
    if run is None:
        raise Http404("No such run.")
    return run


@dataclass(frozen=True)
class ProposalRow:
    match: Match
    mentee: User
    mentor: User
    mentee_time: str
    mentor_time: str
    score: int
    segments: list[Segment]
    overlap_text: str = ""  # "2 h 30 min": shared working time a week
    overlap_warning: bool = False  # below OVERLAP_WARNING_HOURS
    least_bad: str = ""  # the least-bad hour, on both clocks, when flagged
    # Organization mentoring: the team's name, e.g. "Dhaka Chamber"; ``mentee``
    # is then its lead contact (the enrolment the engagement stands on).
    team: str = ""


# Proposed pairs sharing less working time a week than this are flagged on the
# review page, with their least-bad meeting hour: under two hours a week leaves
# barely one meeting inside both working days.
OVERLAP_WARNING_HOURS = 2


def _overlap_flag(match: Match, week: datetime.date) -> dict[str, Any]:
    mentee, mentor = match.mentee.participant, match.mentor.participant
    a, b = working_pattern_of(mentee), working_pattern_of(mentor)
    shared = localtime.weekly_overlap(a, b, week)
    if shared >= datetime.timedelta(hours=OVERLAP_WARNING_HOURS):
        return {"overlap_text": localtime.hours_text(shared)}
    slot = localtime.least_bad_slot(a, b, week)
    clocks = []
    for person, outside in ((mentee, slot.outside_a), (mentor, slot.outside_b)):
        at = localtime.wall_clock(person.user.time_zone, slot.start)
        stretch = (
            f", {localtime.hours_text(outside)} outside their hours" if outside else ""
        )
        clocks.append(f"{at:%a %H:%M} for {person.user.greeting_name}{stretch}")
    return {
        "overlap_text": localtime.hours_text(shared),
        "overlap_warning": True,
        "least_bad": " · ".join(clocks),
    }


def team_overlap_text(
    mentor: Participant, members: list[Participant], week: datetime.date
) -> str:
    """ "3 h/week with the whole team; 9 h/week with Rahim": the hours everyone
    shares with the mentor, then the best-placed member's (what the score counts)."""
    best, best_hours, whole_team = team_overlap(mentor, members, week)
    if best is None:
        return "no one on the team now"
    return (
        f"{localtime.hours_text(whole_team)}/week with the whole team; "
        f"{localtime.hours_text(best_hours)}/week with {best.user.greeting_name}"
    )


def _team_flag(
    match: Match,
    organization: MemberOrganization,
    teams: dict[int, list[Participant]],
    week: datetime.date,
) -> dict[str, Any]:
    return {
        "team": organization.name,
        "overlap_text": team_overlap_text(
            match.mentor.participant, teams.get(organization.pk, []), week
        ),
    }


PROPOSAL_SORTS = {
    "score": ("score", "id"),
    "-score": ("-score", "id"),
    "mentee": ("mentee__participant__user__full_name", "id"),
    "mentor": ("mentor__participant__user__full_name", "id"),
}


@dataclass
class ProposalTable:
    page: Page
    rows: list[ProposalRow]
    sort: str

    @property
    def page_query(self) -> str:
        """Keeps the sort and page when an edit re-renders the table."""
        if self.sort == "score" and self.page.number == 1:
            return ""
        return f"?sort={self.sort}&page={self.page.number}"

    @property
    def previous_query(self) -> str:
        """The query string of the page before, or "" on the first."""
        if not self.page.has_previous():
            return ""
        return f"sort={self.sort}&page={self.page.previous_page_number()}"

    @property
    def next_query(self) -> str:
        """The query string of the page after, or "" on the last."""
        if not self.page.has_next():
            return ""
        return f"sort={self.sort}&page={self.page.next_page_number()}"


def proposal_table(
    *, run: MatchRun, sort: str = "score", page: int | str = 1
) -> ProposalTable:
    """One page of a run's suggested pairs, weakest first by default: 2 queries
    (COUNT, then the page with both people joined), and 1 for the teams on the
    page in organization mentoring. ``page`` may be the raw ``?page=`` value:
    ``Paginator.get_page`` falls back to a valid page."""
    sort = sort if sort in PROPOSAL_SORTS else "score"
    matches = (
        Match.objects.filter(run=run, status=Match.Status.SUGGESTED)
        .select_related(
            "mentee__participant__user",
            "mentor__participant__user",
            "member_organization",
        )
        .order_by(*PROPOSAL_SORTS[sort])
    )
    paginated = Paginator(matches, PROPOSAL_PAGE_SIZE).get_page(page)
    now = timezone.now()
    week = localtime.overlap_week(now)
    engaged = {
        m.member_organization_id
        for m in paginated.object_list
        if m.member_organization_id is not None
    }
    teams = team_members(member_organization_ids=engaged) if engaged else {}
    rows = [
        ProposalRow(
            match=match,
            mentee=match.mentee.participant.user,
            mentor=match.mentor.participant.user,
            mentee_time=local_time_label(match.mentee.participant.user.time_zone, now),
            mentor_time=local_time_label(match.mentor.participant.user.time_zone, now),
            score=round(match.score),
            segments=explanation_segments(match.explanation),
            **(
                _team_flag(match, match.member_organization, teams, week)
                if match.member_organization is not None
                else _overlap_flag(match, week)
            ),
        )
        for match in paginated.object_list
    ]
    return ProposalTable(page=paginated, rows=rows, sort=sort)


@dataclass(frozen=True)
class UnmatchedRow:
    enrollment: Enrollment | None
    name: str
    reason: str

    @property
    def is_training(self) -> bool:
        """Left out by the training gate (the page links to the training page)."""
        return self.reason == TRAINING_NOT_COMPLETED


def unmatched_rows(*, run: MatchRun) -> list[UnmatchedRow]:
    """The run's unmatched mentees with their reasons: 1 query."""
    ids = [item["enrollment"] for item in run.unmatched]
    found = Enrollment.objects.filter(pk__in=ids).select_related("participant__user")
    by_id = {e.pk: e for e in found}
    rows = []
    for item in run.unmatched:
        enrollment = by_id.get(item["enrollment"])
        name = str(enrollment.participant.user) if enrollment else "(withdrawn)"
        rows.append(UnmatchedRow(enrollment, name, item["reason"]))
    return rows


@dataclass(frozen=True)
class CircleRow:
    circle: Circle
    facilitators: list[Enrollment]
    members: list[Enrollment]


def circle_rows(*, run: MatchRun) -> list[CircleRow]:
    """The circles of a run with their people: 3 queries."""
    people = Enrollment.objects.select_related("participant__user").order_by(
        "participant__user__full_name", "id"
    )
    circles = (
        Circle.objects.filter(run=run)
        .prefetch_related(
            Prefetch("facilitators", queryset=people),
            Prefetch("members", queryset=people),
        )
        .order_by("id")
    )
    return [
        CircleRow(c, list(c.facilitators.all()), list(c.members.all())) for c in circles
    ]


def suggestion_counts(*, run: MatchRun) -> tuple[int, int]:
    """(mentees with suggestions, suggestions) of a mentee-choice run: 1 query."""
    totals = MatchSuggestion.objects.filter(run=run).aggregate(
        mentees=Count("mentee", distinct=True), suggestions=Count("id")
    )
    return totals["mentees"], totals["suggestions"]


@dataclass(frozen=True)
class SwapOption:
    mentor: Enrollment
    score: int
    room: int
    segments: list[Segment]


def swap_options(
    *, match: Match, criteria: MatchingCriteria, limit: int = 30
) -> list[SwapOption]:
    """Mentors this suggested pair's mentee could move to: feasible under the hard
    rules, with room left after this review's other suggestions, best first."""
    built = matching_input_build(
        program=match.program,
        criteria=criteria,
        run=match.run,
        ignore_match_id=match.pk,
        mentee_ids=[match.mentee_id],
        mentor_ids=Enrollment.objects.filter(
            program=match.program, role="mentor", status=Enrollment.Status.APPROVED
        ).values_list("pk", flat=True),
    )
    if not built.mentees or not built.mentors:
        return []
    problem = without_floor(built.problem)
    scores = engine.score(problem)
    row = scores.score[0]
    capacity = problem.capacity
    order = [
        j
        for j in np.argsort(-row, kind="stable")
        if np.isfinite(row[j])
        and capacity[j] > 0
        and built.mentors[j].pk != match.mentor_id
    ][:limit]
    points = engine.explain(problem, [0] * len(order), order)
    return [
        SwapOption(
            mentor=built.mentors[j],
            score=round(float(sum(p))),
            room=int(capacity[j]),
            segments=explanation_segments(dict(zip(engine.CRITERIA, p, strict=True))),
        )
        for j, p in zip(order, points.tolist(), strict=True)
    ]


def without_floor(problem: engine.MatchingProblem) -> engine.MatchingProblem:
    """A coordinator may override the minimum score by hand, never a hard rule."""
    return replace(problem, rules=replace(problem.rules, min_score=None))


def match_get_for_coordinator(*, user: User, program_id: int, match_id: int) -> Match:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    match = (
        Match.objects.filter(program=program, pk=match_id)
        .select_related(
            "program", "run", "mentee__participant__user", "mentor__participant__user"
        )
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    return match


@dataclass(frozen=True)
class PublishAudience:
    """Who publishing a run in review tells: ``offers`` pairs (or mentees with
    choices, or circles) and ``people``, the distinct people messaged."""

    offers: int
    people: int


def run_publish_audience(*, run: MatchRun) -> PublishAudience:
    """What ``services.match_run_publish`` would send now, counted the way it
    sends (one message per person per pair, mentee or circle seat): 1 query."""
    if run.mode == MatchRun.Mode.MENTEE_CHOICE:
        mentees = (
            MatchSuggestion.objects.filter(run=run, rank=1)
            .values("mentee")
            .distinct()
            .count()
        )
        return PublishAudience(offers=mentees, people=mentees)
    if run.mode == MatchRun.Mode.CIRCLES:
        totals = Circle.objects.filter(run=run).aggregate(
            circles=Count("id", distinct=True),
            facilitators=Count("facilitators", distinct=True),
            members=Count("members", distinct=True),
        )
        return PublishAudience(
            offers=totals["circles"],
            people=totals["facilitators"] + totals["members"],
        )
    totals = Match.objects.filter(run=run, status=Match.Status.SUGGESTED).aggregate(
        pairs=Count("id"),
        mentees=Count("mentee__participant", distinct=True),
        mentors=Count("mentor__participant", distinct=True),
    )
    return PublishAudience(
        offers=totals["pairs"], people=totals["mentees"] + totals["mentors"]
    )
