from django.urls import reverse

from members.models import Membership
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory


def test_hr_admin_sees_both_lists_and_a_team(alpha):
    membership = MembershipFactory()
    client = alpha.client("hradmin")

    for name in ("members_memberorganization", "members_membership"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    change = reverse(
        "admin:members_memberorganization_change",
        args=[membership.member_organization_id],
    )
    assert client.get(change).status_code == 200


def test_adding_a_membership_goes_through_the_service(alpha):
    team = MemberOrganizationFactory()
    person = UserFactory()

    response = alpha.client("hradmin").post(
        reverse("admin:members_membership_add"),
        {"member_organization": team.pk, "user": person.pk, "role_title": "Treasurer"},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(member_organization=team)
    assert membership.user == person
    assert membership.joined_at is not None


def test_end_action_sets_left_at(alpha):
    membership = MembershipFactory(is_lead=True)

    alpha.client("hradmin").post(
        reverse("admin:members_membership_changelist"),
        {"action": "end_memberships", "_selected_action": [membership.pk]},
    )

    membership.refresh_from_db()
    assert membership.left_at is not None
    assert not membership.is_lead
