"""Bridges' organization-mentoring program for `manage.py seed_demo` (issue 18):
member associations with their teams and briefs, volunteer mentors enrolled, and
one engagement under way — a meeting held, a goal reached, a story naming the
association. The data is in demo/data/associations.py.

Idempotent: people, profiles, associations and memberships are brought in line on
every run; the program is created once and its engagement's story told once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from checkins.selectors import pair_of
from checkins.services import goal_create, goal_progress_set
from demo.clock import clock
from demo.data.associations import (
    ASSOCIATIONS,
    ENGAGEMENT_GOAL,
    ENGAGEMENT_MEETING,
    ENGAGEMENT_MENTOR,
    ENGAGEMENT_STARTS_DAYS_AGO,
    MENTORS,
    PROGRAM,
    STORY,
    SYLHET,
)
from demo.programs import demo_user, enroll_approved, profile_save, program_from_spec
from demo.stories import held_meeting
from demo.surveys import story_agreed_and_approved
from matching.models import Match
from members.models import MemberOrganization, Membership
from members.services import member_organization_save, membership_add
from mentorship.accounts.models import User
from mentorship.notifications.services import notifications_record_sent
from programs.models import Enrollment, Participant, Program
from programs.services import program_transition
from reporting.services import stories

COORDINATOR = "coordinator@bridges.example"


def seed_associations(
    users: dict[str, User], *, password_hash: str, now: datetime
) -> list[str]:
    """The associations, their teams, the program and its engagement; returns what
    it created."""
    created: list[str] = []
    coordinator = users[COORDINATOR]
    leads: dict[str, Participant] = {}
    for association in ASSOCIATIONS:
        organization = MemberOrganization.objects.filter(
            name=association.fields["name"]
        ).first()
        if organization is None:
            created.append(association.fields["name"])
        organization = member_organization_save(
            member_organization=organization, fields=association.fields
        )
        for member in association.team:
            user, made = demo_user(member.person, password_hash)
            if made:
                created.append(member.person.email)
            participant = profile_save(member.person, user)
            if not Membership.objects.filter(
                member_organization=organization, user=user, left_at__isnull=True
            ).exists():
                membership_add(
                    member_organization=organization,
                    by=coordinator,
                    user=user,
                    role_title=member.role_title,
                    is_lead=member.is_lead,
                )
            if member.is_lead:
                leads[organization.name] = participant
    with clock(now - timedelta(days=ENGAGEMENT_STARTS_DAYS_AGO + 14)):
        program, made = program_from_spec(PROGRAM, coordinator, starts_in_days=14)
        if made:
            created.append(program.name)
        for email in MENTORS:
            participant = Participant.objects.get(user=users[email])
            if enroll_approved(participant, program, "mentor", coordinator):
                created.append(f"{email} as mentor of {program.name}")
        for name, participant in leads.items():
            if enroll_approved(participant, program, "mentee", coordinator):
                created.append(f"{name} (its lead) as mentee of {program.name}")
    created.extend(_engagement(program, users, now=now))
    return created


def _engagement(
    program: Program, users: dict[str, User], *, now: datetime
) -> list[str]:
    """Sylhet's chamber with its mentor: matched, a meeting held, the goal reached
    and the story approved; once (skipped when the program has moved on)."""
    if program.status != Program.Status.ENROLLING or program.matches.exists():
        return []
    coordinator = users[COORDINATOR]
    organization = MemberOrganization.objects.get(name=SYLHET)
    lead = Membership.objects.get(member_organization=organization, is_lead=True).user
    started = now - timedelta(days=ENGAGEMENT_STARTS_DAYS_AGO)
    with clock(started - timedelta(days=3)):
        program = program_transition(
            program=program, to=Program.Status.MATCHING, by=coordinator
        )
    with clock(started):
        # Matching teams is its own feature (issue 18): the coordinator's pick,
        # accepted by both, stands in for it here.
        match = Match.objects.create(
            program=program,
            mentor=Enrollment.objects.get(
                program=program, participant__user=users[ENGAGEMENT_MENTOR]
            ),
            mentee=Enrollment.objects.get(program=program, participant__user=lead),
            member_organization=organization,
            status=Match.Status.ACTIVE,
            proposed_at=started - timedelta(days=2),
            mentor_accepted_at=started - timedelta(days=1),
            mentee_accepted_at=started,
            started_at=started,
        )
        program = program_transition(
            program=program, to=Program.Status.ACTIVE, by=coordinator
        )
    created = [f"engagement of {organization.name}"]
    pair = pair_of(match)
    meeting = held_meeting(
        pair, ENGAGEMENT_MEETING, now=now, minutes=program.meeting_length_minutes
    )
    created.append(f"held {meeting}")
    title, progress = ENGAGEMENT_GOAL
    with clock(now - timedelta(days=ENGAGEMENT_MEETING.days_ago - 1)):
        goal = goal_create(pair=pair, by=lead, title=title)
    with clock(now - timedelta(days=6)):
        goal_progress_set(pair=pair, goal=goal, by=lead, progress=progress)
    created.append(f"goal {goal}")
    with clock(now - timedelta(days=5)):
        story = stories.story_create(
            program=program,
            by=coordinator,
            fields=stories.StoryFields(
                title=STORY["title"],
                what_happened=STORY["what_happened"],
                outcome=STORY["outcome"],
                outcome_before=Decimal(STORY["outcome_before"]),
                outcome_after=Decimal(STORY["outcome_after"]),
                outcome_unit=STORY["outcome_unit"],
            ),
            match=match,
        )
    story_agreed_and_approved(story, coordinator, now=now, days_ago=4)
    created.append(f"story {story.title}: approved, names {organization.name}")
    # The engagement's past emails were due then: recorded as sent, not mailed now.
    notifications_record_sent(due_by=now)
    return created
