"""Reads for success stories and report highlights.

What may leave the pair: a story is *published* when a coordinator approved it
and every person it names agreed to its current version (``published_stories``);
nothing else about a story is shown outside the dashboard and the named people's
portal. Highlights are the pair's reached goals and milestones, listed for the
program's own report (titles, never names) and counted for the sponsor's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.http import Http404

from checkins.models import Goal, GoalEvent, Milestone
from matching.models import Match
from members.models import MemberOrganization
from mentorship.accounts.models import User
from programs.models import Participant, Program
from programs.selectors import program_get_for_coordinator
from reporting import metrics
from reporting.models import Response, StoryPerson, SuccessStory

Consent = StoryPerson.Consent


# Pairs (and engagements) that reached their shared page: what a story can come from.
STARTED = (Match.Status.ACTIVE, Match.Status.COMPLETED, Match.Status.ENDED)


def _not_agreed() -> QuerySet[StoryPerson]:
    return StoryPerson.objects.filter(story=OuterRef("pk")).filter(
        ~Q(consent=Consent.GIVEN) | ~Q(consent_version=OuterRef("version"))
    )


def published_stories(*, program: Program) -> QuerySet[SuccessStory]:
    """Stories that may appear outside the pair: approved, and everyone named agreed
    to this version (a withdrawn or missing consent hides it). 1 query."""
    return (
        SuccessStory.objects.filter(
            program=program, status=SuccessStory.Status.APPROVED
        )
        .exclude(Exists(_not_agreed()))
        .select_related("member_organization")
        .order_by("-approved_at", "-id")
    )


def story_list_for_program(*, program: Program) -> QuerySet[SuccessStory]:
    """Every story of the program (archived last) with named people and their
    consents: 2 queries whatever the number of stories. A draft from an anonymous
    survey stays out of the list while that survey has fewer than 5 responses
    (its words could point at the one person who answered)."""
    people = StoryPerson.objects.select_related("participant__user").order_by("id")
    group = (
        Response.objects.filter(survey=OuterRef("source_response__survey"))
        .order_by()
        .values("survey")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        SuccessStory.objects.filter(program=program)
        .select_related("member_organization")
        .annotate(source_group=Subquery(group))
        .exclude(
            source_response__is_anonymous=True,
            source_group__lt=metrics.MIN_GROUP_SIZE,
        )
        .annotate(
            is_published=Q(status=SuccessStory.Status.APPROVED)
            & ~Exists(_not_agreed()),
            agreed_count=Count(
                "people",
                filter=Q(people__consent=Consent.GIVEN)
                & Q(people__consent_version=F("version")),
            ),
            named_count=Count("people"),
        )
        .prefetch_related(Prefetch("people", queryset=people))
        # Archived stories last; newest first within.
        .order_by(
            Case(When(status=SuccessStory.Status.ARCHIVED, then=1), default=0),
            "-created_on",
            "-id",
        )
    )


def story_get_for_coordinator(
    *, user: User, program_id: int, story_id: int
) -> SuccessStory:
    """A story of a program the viewer manages; 404 otherwise."""
    program = program_get_for_coordinator(user=user, program_id=program_id)
    story = (
        SuccessStory.objects.filter(program=program, pk=story_id)
        .select_related("program", "match", "member_organization")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=StoryPerson.objects.select_related("participant__user"),
            )
        )
        .first()
    )
    if story is None:
        raise Http404("No such story.")
    return story


def story_get_for_person(
    *, user: User, story_id: int
) -> tuple[SuccessStory, StoryPerson]:
    """A story that names the viewer, with their consent row; 404 for anyone else
    (coordinators included: they use the dashboard)."""
    person = (
        StoryPerson.objects.filter(story_id=story_id, participant__user=user)
        .exclude(story__status=SuccessStory.Status.ARCHIVED)
        .select_related("story__program", "story__member_organization")
        .first()
    )
    if person is None:
        raise Http404("No such story.")
    return person.story, person


def story_list_for_person(*, user: User) -> QuerySet[StoryPerson]:
    """The viewer's mentions in live stories (portal list): 1 query."""
    return (
        StoryPerson.objects.filter(participant__user=user)
        .exclude(story__status=SuccessStory.Status.ARCHIVED)
        .select_related("story__program")
        .order_by("-story__created_on", "-story_id")
    )


def story_form_choices(
    *, program: Program
) -> tuple[QuerySet[Match], QuerySet[Participant]]:
    """Pairs and people a coordinator can attach to a story of ``program``."""
    matches = (
        Match.objects.filter(
            program=program,
            status__in=STARTED,
        )
        .select_related(
            "mentor__participant__user",
            "mentee__participant__user",
            "member_organization",
        )
        .order_by("id")
    )
    people = (
        Participant.objects.filter(enrollments__program=program)
        .select_related("user")
        .distinct()
        .order_by("user__full_name", "id")
    )
    return matches, people


def story_member_organization_choices(
    *, program: Program
) -> QuerySet[MemberOrganization]:
    """Member organizations a story of ``program`` can name: the ones engaged in it
    (any engagement that reached the pair's page), by name."""
    return (
        MemberOrganization.objects.filter(
            engagements__program=program,
            engagements__status__in=STARTED,
        )
        .distinct()
        .order_by("name", "id")
    )


def outcome_text(story: SuccessStory) -> str:
    """The outcome in one line: "Credit-history fee reduced from 2 to 1 manat"."""
    unit = f" {story.outcome_unit}" if story.outcome_unit else ""

    def number(value: Decimal) -> str:
        return f"{Decimal(value).normalize():f}"

    before, after = story.outcome_before, story.outcome_after
    if before is not None and after is not None:
        return f"{story.outcome} from {number(before)} to {number(after)}{unit}"
    if after is not None:
        return f"{story.outcome}: {number(after)}{unit}"
    if before is not None:
        return f"{story.outcome} (was {number(before)}{unit})"
    return story.outcome


# --- Highlights: reached goals and milestones ---------------------------------------


@dataclass(frozen=True)
class Highlight:
    """A goal reached (progress 100) or a milestone ticked off, on the day it happened."""

    kind: str  # "goal" | "milestone"
    title: str
    goal_title: str
    objective: str
    at: datetime.datetime


@dataclass(frozen=True)
class Highlights:
    goals_reached: int
    milestones_reached: int
    recent: list[Highlight]


def program_highlights(*, program: Program, limit: int = 12) -> Highlights:
    """Goals at 100 % progress (dated by the first time they reached it, from the
    goal's timeline) and milestones ticked off, in the program's pairs: both counts
    and the ``limit`` most recent of each kind together. 4 queries. A goal moved
    back under 100 % no longer counts."""
    goals = (
        Goal.objects.filter(match__program=program, progress=100)
        .annotate(
            reached_at=Min(
                "events__created_at",
                filter=Q(events__kind=GoalEvent.Kind.PROGRESS, events__progress=100),
            )
        )
        .select_related("objective")
    )
    milestones = Milestone.objects.filter(
        goal__match__program=program, is_done=True
    ).select_related("goal__objective")
    recent = [
        Highlight(
            kind="goal",
            title=goal.title,
            goal_title=goal.title,
            objective=goal.objective.text if goal.objective else "",
            at=goal.reached_at or goal.updated_at,
        )
        for goal in goals.order_by(F("reached_at").desc(nulls_last=True), "-id")[:limit]
    ] + [
        Highlight(
            kind="milestone",
            title=milestone.title,
            goal_title=milestone.goal.title,
            objective=milestone.goal.objective.text if milestone.goal.objective else "",
            at=milestone.done_at or milestone.created_at,
        )
        for milestone in milestones.order_by(F("done_at").desc(nulls_last=True), "-id")[
            :limit
        ]
    ]
    recent.sort(key=lambda item: item.at, reverse=True)
    return Highlights(
        goals_reached=goals.count(),
        milestones_reached=milestones.count(),
        recent=recent[:limit],
    )
