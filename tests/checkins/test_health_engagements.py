"""Organization mentoring (issue 18): the health view and the coordinator's home
treat an engagement like a pair — the organization's name (with its lead) where
the mentee is shown, in a number of queries that doesn't grow with engagements."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from matching.models import Match
from members.models import MemberOrganization, Membership
from programs.models import Program
from tests.checkins.bulk import bulk_pairs


def _engagements(program: Program, count: int, prefix: str) -> list[Match]:
    """``count`` active engagements: bulk pairs whose mentee leads an organization."""
    matches = bulk_pairs(program=program, count=count, prefix=prefix)
    organizations = MemberOrganization.objects.bulk_create(
        MemberOrganization(name=f"Chamber {prefix} {n:04d}", country="BD")
        for n in range(count)
    )
    matches = list(
        Match.objects.filter(pk__in=[m.pk for m in matches])
        .select_related("mentee__participant")
        .order_by("pk")
    )
    now = timezone.now()
    Membership.objects.bulk_create(
        Membership(
            member_organization=organization,
            user_id=match.mentee.participant.user_id,
            role_title="President",
            is_lead=True,
            joined_at=now,
        )
        for organization, match in zip(organizations, matches, strict=True)
    )
    for organization, match in zip(organizations, matches, strict=True):
        match.member_organization = organization
    Match.objects.bulk_update(matches, ["member_organization"])
    return matches


@pytest.fixture
def program(alpha, coordinator):
    program = Program.objects.create(
        name="Association Mentoring",
        kind=Program.Kind.ORGANIZATION,
        status=Program.Status.ACTIVE,
        meeting_cadence_days=14,
    )
    program.coordinators.add(coordinator)
    return program


@pytest.mark.parametrize("size", [1, 60])
def test_health_names_the_organization_with_its_lead_at_any_size(
    alpha, program, size, django_assert_max_num_queries
):
    _engagements(program, size, f"h{size}")
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/health/"
    client.get(url)  # warm-up: session, content types
    # As for pairs (tests/checkins/test_program_health.py): session, user, program,
    # the 4 health queries, savepoints. No query per engagement.
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"Chamber h{size} 0000 (lead: Mentee h{size} 00000)" in page
    row = response.context["table"].page.object_list[0]
    assert row.mentee_name.startswith(f"Chamber h{size} ")
    assert row.mentor_name.startswith("Mentor ")


@pytest.mark.parametrize("size", [1, 60])
def test_home_counts_engagements_and_names_the_ones_at_risk(
    alpha, program, size, django_assert_max_num_queries
):
    _engagements(program, size, f"m{size}")
    client = alpha.client("coordinator")
    client.get("/manage/")  # warm-up
    # As tests/reporting/test_manage_home_view.py: no query per engagement.
    with django_assert_max_num_queries(16):
        response = client.get("/manage/")
    page = html.unescape(response.content.decode())
    word = "engagement" if size == 1 else "engagements"
    assert f'<span class="label">active {word}' in page
    # Engagement 0 last met 40 days ago (every third is at risk): named by its team.
    assert f"Chamber m{size} 0000 (lead: Mentee m{size} 00000)" in page
