"""Organization mentoring's input: a member organization's team as one mentee row
(``Team``), built from its active members, with its hours, languages and wants.

Every function here runs a fixed number of queries whatever the number of teams.
"""

from __future__ import annotations

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import QuerySet

from matching import engine
from matching.models import Match
from matching.selectors.weeks import week_mask_of
from members.models import MemberOrganization, Membership
from mentorship import reference
from programs.models import Enrollment, Participant, Program

# Organization mentoring: why an approved mentee has no team to be matched with.
NO_MEMBER_ORGANIZATION = (
    "not on the team of a member organization: in organization mentoring a mentor "
    "is matched to a team (add them to their association on its page)"
)


@dataclass(frozen=True)
class Team:
    """A member organization as one mentee: its active members (lead first) with
    their working hours, and the enrolment that stands for it in a match."""

    member_organization: MemberOrganization
    enrollment: Enrollment
    members: list[Participant]


def team_overlap(
    mentor: Participant, members: Sequence[Participant], week_of: datetime.date
) -> tuple[Participant | None, datetime.timedelta, datetime.timedelta]:
    """(best-placed member, the hours they share with ``mentor``, the hours the
    mentor shares with the whole team at once) in the week containing
    ``week_of``: the figures the engine scores and the review page explains."""
    if not members:
        return None, datetime.timedelta(), datetime.timedelta()
    mentor_mask = week_mask_of(mentor, week_of)
    masks = [week_mask_of(p, week_of) for p in members]
    shared = [int(np.count_nonzero(mentor_mask & mask)) for mask in masks]
    best = int(np.argmax(shared))
    everyone = int(np.count_nonzero(np.logical_and.reduce([mentor_mask, *masks])))
    quarter = datetime.timedelta(minutes=15)
    return members[best], shared[best] * quarter, everyone * quarter


def teams_build(
    program: Program, mentees: list[Enrollment]
) -> tuple[list[Team], list[Enrollment]]:
    """Organization mentoring: one ``Team`` per member organization with an
    approved mentee here and no live engagement in the program yet, and the
    mentees on no team: 2 queries. A person on two teams stands in for the first
    by name; every active member (enrolled or not) counts for the hours."""
    by_user = {e.participant.user_id: e for e in mentees}
    memberships = list(
        _active_memberships().filter(
            member_organization__in=MemberOrganization.objects.filter(
                memberships__user_id__in=list(by_user),
                memberships__left_at__isnull=True,
            ),
        )
    )
    engaged = set(
        Match.objects.filter(
            program=program,
            status__in=Match.LIVE,
            member_organization__isnull=False,
        ).values_list("member_organization_id", flat=True)
    )
    teams: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        teams[membership.member_organization_id].append(membership)
    built: list[Team] = []
    on_a_team: set[int] = set()
    for organization_id, team in teams.items():
        enrolled = [by_user[m.user_id] for m in team if m.user_id in by_user]
        on_a_team.update(e.pk for e in enrolled)
        if organization_id in engaged or not enrolled:
            continue
        members = [_profile_of(m) for m in team]
        built.append(Team(team[0].member_organization, enrolled[0], members))
    return built, [e for e in mentees if e.pk not in on_a_team]


def _active_memberships() -> QuerySet[Membership]:
    """Active memberships by organization, lead first, with each member's profile."""
    return (
        Membership.objects.filter(left_at__isnull=True)
        .select_related("member_organization", "user__participant")
        .order_by(
            "member_organization__name",
            "member_organization_id",
            "-is_lead",
            "joined_at",
            "id",
        )
    )


def _profile_of(membership: Membership) -> Participant:
    """The member's participant profile; a member who never enrolled anywhere
    gets the default one (9 to 5, Monday to Friday, in their time zone)."""
    try:
        return membership.user.participant
    except Participant.DoesNotExist:
        return Participant(user=membership.user)


def team_members(
    *, member_organization_ids: Iterable[int]
) -> dict[int, list[Participant]]:
    """The active members of each member organization (lead first) with their
    profiles and users loaded, for working-hour figures: 1 query."""
    teams: dict[int, list[Participant]] = defaultdict(list)
    for membership in _active_memberships().filter(
        member_organization_id__in=list(member_organization_ids)
    ):
        teams[membership.member_organization_id].append(_profile_of(membership))
    return teams


def team_profile(team: Team) -> Participant:
    """The team's row as one person: the standing enrolment's profile with the
    organization's country and the languages of the organization and the team."""
    profile = copy.copy(team.enrollment.participant)
    organization = team.member_organization
    profile.languages = sorted(
        {*organization.languages, *(code for p in team.members for code in p.languages)}
    )
    profile.country = organization.country or profile.country
    return profile


def team_skills(team: Team, program_mentees: dict[int, Enrollment]) -> list[str]:
    """What a team wants: the organization's focus areas and the skills its
    enrolled members want."""
    wanted = list(team.member_organization.focus_areas)
    for person in team.members:
        if person.user_id in program_mentees:
            wanted += person.skills_wanted
    return reference.skills_normalize(wanted)


def teams_hours(teams: list[Team], week_of: datetime.date) -> engine.Teams:
    return engine.Teams(
        hours=np.stack(
            [week_mask_of(p, week_of) for team in teams for p in team.members]
        ),
        row=np.asarray(
            [i for i, team in enumerate(teams) for _ in team.members], dtype=np.int64
        ),
    )
