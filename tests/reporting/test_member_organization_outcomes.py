"""Outcomes at the organization level (issue 18): stories naming a member
organization, and the impact dashboard's and report's member organizations table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from checkins.models import Goal, Meeting
from programs.models import Program
from reporting.models import SuccessStory
from reporting.selectors.member_organizations import member_organization_rows
from reporting.services import stories as services
from reporting.services.stories import StoryFields
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.reporting.factories import engagement, survey_program

FIELDS = StoryFields(
    title="Half the credit-history fee",
    what_happened="Our advocacy led the central bank to halve the fee.",
    outcome="Credit-history fee",
    outcome_before=Decimal("500"),
    outcome_after=Decimal("250"),
    outcome_unit="taka",
)


def _engagement(program, name="Sylhet Chamber of Commerce", *, country="BD", size=3):
    organization, _, match = engagement(program, name, country=country, size=size)
    return organization, match


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(
        coordinators=[coordinator],
        name="Association Mentoring",
        kind=Program.Kind.ORGANIZATION,
    )


def test_a_story_from_an_engagement_names_its_organization(program, coordinator):
    organization, match = _engagement(program)
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=match
    )
    assert story.member_organization == organization


def test_a_story_names_only_an_organization_of_the_program(program, coordinator):
    stranger = MemberOrganizationFactory(name="Not in this program")
    with pytest.raises(ValidationError) as error:
        services.story_create(
            program=program,
            by=coordinator,
            fields=FIELDS,
            member_organization=stranger,
        )
    assert "member_organization" in error.value.message_dict


def test_naming_another_organization_asks_everyone_again(program, coordinator):
    _, match = _engagement(program)
    second, _ = _engagement(program, "Tunis Business Women")
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=match
    )
    for named in story.people.all():
        services.story_consent_set(story=story, by=named.participant.user, agree=True)
    services.story_approve(story=story, by=coordinator)
    story = services.story_update(
        story=story,
        by=coordinator,
        fields=FIELDS,
        match=match,
        member_organization=second,
    )
    assert story.member_organization == second
    assert (story.version, story.status) == (2, SuccessStory.Status.DRAFT)


def test_the_story_form_offers_the_engaged_organizations(alpha, program):
    organization, match = _engagement(program)
    MemberOrganizationFactory(name="Never engaged")
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/stories/"
    page = client.get(base + "new/").content.decode()
    assert organization.name in page
    assert "Never engaged" not in page
    response = client.post(
        base + "new/",
        {
            "title": FIELDS.title,
            "what_happened": FIELDS.what_happened,
            "match": match.pk,
            "member_organization": organization.pk,
        },
    )
    assert response.status_code == 302
    assert SuccessStory.objects.get().member_organization == organization
    assert organization.name in client.get(base).content.decode()


def test_a_one_to_one_program_has_no_organization_choice(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    page = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/impact/stories/new/"
    )
    assert 'name="member_organization"' not in page.content.decode()


def _published(program, coordinator, match):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=match
    )
    for named in story.people.all():
        services.story_consent_set(story=story, by=named.participant.user, agree=True)
    return services.story_approve(story=story, by=coordinator)


def test_rows_count_team_meetings_goals_and_published_stories(
    program, coordinator, django_assert_num_queries
):
    organization, match = _engagement(program, size=3)
    other, other_match = _engagement(program, "Association Tunisienne", country="TN")
    now = timezone.now()
    MembershipFactory(
        member_organization=organization,
        joined_at=now - datetime.timedelta(days=30),
        left_at=now - datetime.timedelta(days=2),
    )
    for days, status in ((20, "held"), (6, "held"), (3, "missed")):
        Meeting.objects.create(
            match=match,
            starts_at=now - datetime.timedelta(days=days),
            status=status,
            proposed_at=now - datetime.timedelta(days=days + 5),
        )
    Goal.objects.create(match=match, title="Halve the fee", progress=100)
    Goal.objects.create(match=match, title="Grow membership", progress=40)
    _published(program, coordinator, match)
    services.story_create(  # a draft: not counted
        program=program, by=coordinator, fields=FIELDS, match=other_match
    )
    with django_assert_num_queries(1):
        rows = member_organization_rows(program=program, now=now)
    assert [row.name for row in rows] == [other.name, organization.name]
    row = rows[1]
    assert row.country == "Bangladesh"
    assert row.team_size == 3  # the one who left isn't counted
    assert row.lead == str(match.mentee.participant.user.full_name)
    assert (row.meetings_held, row.goals, row.goals_reached, row.stories) == (
        2,
        2,
        1,
        1,
    )
    assert (rows[0].meetings_held, rows[0].stories) == (0, 0)


def test_no_rows_and_no_query_for_a_one_to_one_program(
    alpha, coordinator, django_assert_num_queries
):
    program = survey_program(coordinators=[coordinator])
    with django_assert_num_queries(0):
        assert member_organization_rows(program=program, now=timezone.now()) == []


def _dashboard_queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(captured)


def test_dashboard_and_report_show_the_table_in_constant_queries(
    alpha, program, coordinator, django_assert_max_num_queries
):
    organization, match = _engagement(program)
    _published(program, coordinator, match)
    client = alpha.client("coordinator")
    dashboard = f"/manage/programs/{program.pk}/impact/"
    report = f"/manage/programs/{program.pk}/impact/report/"
    client.get(dashboard)  # warm-up
    page, one = _dashboard_queries(client, dashboard, django_assert_max_num_queries, 60)
    text = page.content.decode()
    assert "Member organizations" in text
    assert organization.name in text
    printed = client.get(report).content.decode()
    assert "Member organizations" in printed
    assert printed.count(organization.name) >= 2  # the table and the story
    for index in range(4):
        _engagement(program, f"Chamber {index}", country="KE")
    _, many = _dashboard_queries(client, dashboard, django_assert_max_num_queries, 60)
    assert many == one
    by_team = client.get(dashboard + "?by=member_organization")
    assert by_team.status_code == 200
    assert "By member organization" in by_team.content.decode()
