"""The demo seed (demo/seed.py): Meridian's story is told once, Bridges is left
ready for a live matching run, and a second seed creates nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Model
from django.utils import timezone
from django_tenants.utils import schema_context

from checkins.models import (
    AsyncUpdate,
    Goal,
    GoalEvent,
    Meeting,
    MeetingLog,
    Milestone,
    PrivateNote,
    Pulse,
)
from checkins.selectors import HealthFilters, program_health
from demo.data.associations import PROGRAM as ASSOCIATION_PROGRAM
from demo.data.associations import SYLHET
from demo.data.programs import PROGRAMS
from demo.data.stories import MINH
from demo.seed import seed_demo
from matching.models import Match, MatchRun
from members.models import MemberOrganization, Membership
from members.selectors import member_organization_list
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.organizations.models import Organization
from programs.models import Enrollment, Participant, Program
from reporting.models import SuccessStory, Survey
from reporting.selectors.stories import published_stories
from reporting.selectors.surveys import ResultFilters, survey_results

DEMO_SCHEMAS = ("org_meridian", "org_bridges")
COUNTED: tuple[type[Model], ...] = (
    User,
    Participant,
    Program,
    Enrollment,
    MatchRun,
    Match,
    Meeting,
    MeetingLog,
    PrivateNote,
    Pulse,
    Goal,
    Milestone,
    GoalEvent,
    AsyncUpdate,
    Notification,
    MemberOrganization,
    Membership,
    SuccessStory,
)


def _counts() -> dict[str, int]:
    counts = {"organizations": Organization.objects.count()}
    for schema in DEMO_SCHEMAS:
        with schema_context(schema):
            for model in COUNTED:
                counts[f"{schema}.{model.__name__}"] = model.objects.count()
    return counts


def _program(slug: str) -> Program:
    return Program.objects.get(name=PROGRAMS[slug]["fields"]["name"])


def test_tells_meridians_story_once_and_leaves_bridges_to_match(db):
    # when
    created = seed_demo()

    # then: Meridian matched, its pairs meeting, one at risk, Minh's pair going well
    now = timezone.now()
    assert created
    # two-factor is required of the demo's HR admins (issue 9)
    assert set(
        Organization.objects.filter(
            schema_name__in=["org_meridian", "org_bridges"]
        ).values_list("staff_two_factor", flat=True)
    ) == {Organization.StaffTwoFactor.HR_ADMINS}
    with schema_context("org_meridian"):
        program = _program("meridian")
        assert program.status == Program.Status.ACTIVE
        assert MatchRun.objects.get(program=program).status == "published"
        matches = Match.objects.filter(program=program)
        assert matches.filter(status=Match.Status.ACTIVE).count() > 0
        assert matches.filter(status=Match.Status.PROPOSED).count() == 1
        risky = program_health(
            program=program, filters=HealthFilters(at_risk=True), now=now
        )
        assert risky.at_risk_count >= 1
        assert any(
            risk.startswith("No meeting for")
            for row in risky.page.object_list
            for risk in row.risks
        )
        minh = Meeting.objects.filter(match__mentee__participant__user__email=MINH)
        held = minh.get(status=Meeting.Status.HELD)
        assert held.logs.count() == 2
        assert held.pulses.count() == 2
        assert minh.filter(
            status=Meeting.Status.CONFIRMED,
            starts_at__gt=now,
            starts_at__lt=now + timedelta(days=14),
        ).exists()
        goal = Goal.objects.get(match=held.match)
        assert goal.progress > 0
        assert goal.milestones.filter(is_done=True).exists()
        # Surveys: the baseline answered by mentees, the anonymous check-in by 7
        # people (so its results show), the closing survey waiting for the close.
        surveys = {s.kind: s for s in Survey.objects.filter(program=program)}
        assert surveys["baseline"].responses.count() >= 5
        midpoint = survey_results(
            survey=surveys["midpoint"], filters=ResultFilters.from_query({})
        )
        assert midpoint.respondents == 7
        assert not midpoint.is_suppressed
        assert surveys["closing"].status == Survey.Status.OPEN
        assert surveys["closing"].trigger == Survey.Trigger.PROGRAM_CLOSE
        # A success story in the reports, another waiting for the pair's consent.
        assert [s.title for s in published_stories(program=program)] == [
            "The QA guild runs itself now"
        ]
        assert program.success_stories.filter(status="draft").count() == 1
        # The story's past is not mailed again on the demo's first start.
        assert not Notification.objects.filter(
            status__in=["scheduled", "queued"], due_at__lte=now
        ).exists()
    # ... and Bridges approved and waiting for a coordinator to run matching.
    with schema_context("org_bridges"):
        program = _program("bridges")
        assert program.status == Program.Status.ENROLLING
        assert not MatchRun.objects.filter(program=program).exists()
        approved = Enrollment.objects.filter(
            program=program, status=Enrollment.Status.APPROVED
        )
        assert {"mentor", "mentee"} <= set(approved.values_list("role", flat=True))
        # Organization mentoring (issue 18): associations from four countries, each
        # with a team of 2–3 and a brief, one engagement under way.
        program = Program.objects.get(name=ASSOCIATION_PROGRAM["fields"]["name"])
        assert program.kind == Program.Kind.ORGANIZATION
        assert program.status == Program.Status.ACTIVE
        teams = member_organization_list()
        assert {team.country for team in teams} == {"BD", "TN", "KE", "CO"}
        assert all(2 <= team.member_count <= 3 for team in teams)
        assert all(team.has_brief for team in teams)
        assert {len(team.team_zones) for team in teams} == {1}
        engagement = Match.objects.get(program=program)
        assert engagement.status == Match.Status.ACTIVE
        assert engagement.member_organization.name == SYLHET
        assert engagement.mentee.participant.user.memberships.get().is_lead
        assert engagement.meetings.filter(status=Meeting.Status.HELD).count() == 1
        assert engagement.goals.get().progress == 100
        (story,) = published_stories(program=program)
        assert story.member_organization == engagement.member_organization
        health = program_health(program=program, filters=HealthFilters(), now=now)
        assert health.page.object_list[0].mentee_name.startswith(SYLHET)
        assert not Notification.objects.filter(
            status__in=["scheduled", "queued"], due_at__lte=now
        ).exists()

    # when: seeded again
    before = _counts()
    again = seed_demo()

    # then
    assert again == []
    assert _counts() == before
