"""Organization mentoring's outcomes per member organization (issue 18): one row per
engagement for the impact dashboard and the printable report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from checkins.models import Goal, Meeting
from matching.models import Match
from members.models import Membership
from programs.models import Program
from reporting.selectors.stories import STARTED, published_stories


@dataclass(frozen=True)
class MemberOrganizationRow:
    """One engagement: the organization mentored, its team and what came of it."""

    match_id: int
    organization_id: int
    name: str
    country: str  # its name ("Tunisia"), "" when not set
    lead: str
    team_size: int
    mentor: str
    status: str
    meetings_held: int
    goals: int
    goals_reached: int
    stories: int  # published: approved, and everyone named agreed


def _count(queryset: Any, field: str = "pk") -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(field).annotate(n=Count("pk")).values("n")[:1]
        ),
        Value(0),
        output_field=IntegerField(),
    )


def member_organization_rows(
    *, program: Program, now: datetime.datetime
) -> list[MemberOrganizationRow]:
    """Every engagement of ``program`` that started, by organization name: team
    size (active members), meetings held by ``now``, goals set and reached, and
    the program's published stories naming the organization. 1 query (none for a
    program that isn't organization mentoring)."""
    if program.kind != Program.Kind.ORGANIZATION:
        return []
    team = Membership.objects.filter(
        member_organization=OuterRef("member_organization"), left_at__isnull=True
    )
    lead = team.filter(is_lead=True).values("user__full_name")[:1]
    meetings = Meeting.objects.filter(
        match=OuterRef("pk"), status=Meeting.Status.HELD, starts_at__lte=now
    )
    goals = Goal.objects.filter(match=OuterRef("pk"))
    published = published_stories(program=program).filter(
        member_organization=OuterRef("member_organization")
    )
    rows = (
        Match.objects.filter(
            program=program, member_organization__isnull=False, status__in=STARTED
        )
        .annotate(
            team_size=_count(team, "member_organization"),
            lead_name=Subquery(lead),
            held=_count(meetings, "match"),
            goal_count=_count(goals, "match"),
            goals_reached=_count(goals.filter(progress__gte=100), "match"),
            story_count=_count(published, "member_organization"),
        )
        .select_related("member_organization", "mentor__participant__user")
        .order_by("member_organization__name", "id")
    )
    return [
        MemberOrganizationRow(
            match_id=match.pk,
            organization_id=organization.pk,
            name=organization.name,
            country=organization.get_country_display() if organization.country else "",
            lead=match.lead_name or "",
            team_size=match.team_size,
            mentor=str(match.mentor.participant.user),
            status=match.get_status_display(),
            meetings_held=match.held,
            goals=match.goal_count,
            goals_reached=match.goals_reached,
            stories=match.story_count,
        )
        for match in rows
        if (organization := match.member_organization) is not None
    ]
