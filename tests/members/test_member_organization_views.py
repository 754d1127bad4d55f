import pytest
from django.urls import reverse

from members.models import MemberOrganization, Membership
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory

LIST = "/manage/member-organizations/"


def _detail(team: MemberOrganization) -> str:
    return reverse("members:member-organization-detail", args=[team.pk])


def test_empty_list_says_what_to_do(alpha):
    response = alpha.client("coordinator").get(LIST)

    assert response.status_code == 200
    assert "No member organizations yet" in response.content.decode()
    assert reverse("members:member-organization-create") in response.content.decode()


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_members_of_the_organization_are_refused(alpha, persona):
    team = MemberOrganizationFactory()
    client = alpha.client(persona)

    assert client.get(LIST).status_code == 403
    assert client.get(_detail(team)).status_code == 403


def test_anonymous_goes_to_sign_in(alpha):
    response = alpha.client().get(LIST)

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_another_organizations_member_organization_is_not_found(alpha, beta):
    # given one in beta, and (ids restart per schema) no row with its id in alpha
    beta.activate()
    foreign = MemberOrganizationFactory(name="Beta Chamber SNT-beta-only")
    alpha.activate()
    MemberOrganization.objects.filter(pk=foreign.pk).delete()
    MemberOrganizationFactory(name="Alpha Chamber SNT-alpha-only")
    client = alpha.client("coordinator")

    # when / then
    detail = client.get(_detail(foreign))
    assert detail.status_code == 404
    assert "SNT-beta-only" not in detail.content.decode()
    assert "SNT-beta-only" not in client.get(LIST).content.decode()
    assert "SNT-alpha-only" not in beta.client("coordinator").get(LIST).content.decode()


def test_creates_with_a_brief_and_shows_it_rendered(alpha):
    client = alpha.client("coordinator")

    response = client.post(
        reverse("members:member-organization-create"),
        {
            "name": "Sfax Chamber",
            "country": "TN",
            "city": "Sfax",
            "sector": "Chamber of commerce",
            "size": "50-249",
            "website": "chamber.example",
            "languages": ["ar", "fr"],
            "context_economy": "A **new** export law.",
            "context_needs": "- advocacy\n- data",
            "context_tried": "<script>alert(1)</script>",
        },
    )

    team = MemberOrganization.objects.get(name="Sfax Chamber")
    assert response.status_code == 302
    assert team.website == "https://chamber.example"
    page = client.get(_detail(team)).content.decode()
    assert "<strong>new</strong>" in page
    assert "<li>advocacy</li>" in page
    assert "<script>alert" not in page
    assert "Arabic" in page
    assert "Tunisia" in page


def test_invalid_form_answers_422(alpha):
    response = alpha.client("coordinator").post(
        reverse("members:member-organization-create"), {"name": "", "country": "XX"}
    )

    assert response.status_code == 422


def test_edits(alpha):
    team = MemberOrganizationFactory(name="Old name")

    response = alpha.client("hradmin").post(
        reverse("members:member-organization-edit", args=[team.pk]),
        {"name": "New name", "country": "BD"},
    )

    team.refresh_from_db()
    assert response.status_code == 302
    assert (team.name, team.country) == ("New name", "BD")


def test_adds_a_person_by_email(alpha):
    team = MemberOrganizationFactory()

    response = alpha.client("coordinator").post(
        reverse("members:membership-add", args=[team.pk]),
        {
            "email": "rana@assoc.example",
            "full_name": "Rana Akter",
            "role_title": "President",
            "time_zone": "Asia/Dhaka",
            "is_lead": "on",
        },
    )

    assert response.status_code == 302
    membership = Membership.objects.get(member_organization=team)
    assert membership.is_lead
    assert membership.user.time_zone == "Asia/Dhaka"


def test_adding_someone_twice_answers_422_with_the_reason(alpha):
    membership = MembershipFactory()

    response = alpha.client("coordinator").post(
        reverse("members:membership-add", args=[membership.member_organization_id]),
        {"email": membership.user.email, "time_zone": "UTC"},
    )

    assert response.status_code == 422
    assert "already on the team" in response.content.decode()


def test_makes_lead(alpha):
    lead = MembershipFactory(is_lead=True)
    other = MembershipFactory(member_organization=lead.member_organization)

    response = alpha.client("coordinator").post(
        reverse(
            "members:membership-lead-set", args=[other.member_organization_id, other.pk]
        )
    )

    other.refresh_from_db()
    assert response.status_code == 302
    assert other.is_lead


def test_remove_asks_first_then_ends_the_membership(alpha):
    membership = MembershipFactory()
    url = reverse(
        "members:membership-end",
        args=[membership.member_organization_id, membership.pk],
    )
    client = alpha.client("coordinator")

    asked = client.post(url)
    membership.refresh_from_db()
    assert asked.status_code == 200
    assert membership.is_active
    assert "Remove" in asked.content.decode()

    done = client.post(url, {"confirmed": "yes"}, HTTP_HX_REQUEST="true")
    membership.refresh_from_db()
    assert done.status_code == 200
    assert done["HX-Redirect"] == _detail(membership.member_organization)
    assert membership.left_at is not None


def test_membership_of_another_team_is_not_found(alpha):
    membership = MembershipFactory()
    elsewhere = MemberOrganizationFactory()

    response = alpha.client("coordinator").post(
        reverse("members:membership-end", args=[elsewhere.pk, membership.pk]),
        {"confirmed": "yes"},
    )

    assert response.status_code == 404


def test_detail_shows_active_team_only(alpha):
    team = MemberOrganizationFactory()
    MembershipFactory(
        member_organization=team, user=UserFactory(full_name="Stays Here")
    )
    went = MembershipFactory(
        member_organization=team, user=UserFactory(full_name="Went Away")
    )
    Membership.objects.filter(pk=went.pk).update(left_at=went.joined_at)

    page = alpha.client("coordinator").get(_detail(team)).content.decode()

    assert "Stays Here" in page
    assert "Went Away" not in page


def _teams(count: int) -> None:
    for _ in range(count):
        team = MemberOrganizationFactory()
        for zone in ("Asia/Dhaka", "Africa/Tunis"):
            MembershipFactory(
                member_organization=team, user=UserFactory(time_zone=zone)
            )


def test_list_query_count_does_not_grow(alpha, django_assert_max_num_queries):
    client = alpha.client("coordinator")
    _teams(1)
    # session, user, middleware checks, member organizations with counts and zones (1)
    with django_assert_max_num_queries(6) as one:
        small = client.get(LIST)
    _teams(19)
    with django_assert_max_num_queries(6) as twenty:
        large = client.get(LIST)

    assert small.status_code == large.status_code == 200
    assert len(one) == len(twenty)
    assert large.content.decode().count('member-org-card"') == 20


def test_focus_areas_are_saved_and_shown(alpha):
    client = alpha.client("coordinator")
    assert (
        'name="focus_areas"'
        in client.get(reverse("members:member-organization-create")).content.decode()
    )

    response = client.post(
        reverse("members:member-organization-create"),
        {"name": "Dhaka Chamber", "focus_areas": "Advocacy\nmembership growth"},
    )

    team = MemberOrganization.objects.get(name="Dhaka Chamber")
    assert response.status_code == 302
    assert team.focus_areas == ["Advocacy", "membership growth"]
    assert "Advocacy, membership growth" in client.get(_detail(team)).content.decode()
