import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from members import selectors
from members.models import Membership
from members.services import (
    membership_add,
    membership_end,
    membership_lead_set,
)
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory


def _audited(action: str, membership: Membership) -> int:
    entries = LogEntry.objects.get_for_object(membership)
    return entries.filter(additional_data__action=action).count()


def test_adds_an_existing_person_without_inviting(alpha, coordinator):
    team = MemberOrganizationFactory()
    person = UserFactory()

    membership = membership_add(
        member_organization=team, by=coordinator, email=person.email.upper()
    )

    assert membership.user == person
    assert membership.is_active
    assert not Notification.objects.filter(recipient=person).exists()
    assert _audited("membership.added", membership) == 1


def test_invites_someone_new_by_email(alpha, coordinator):
    team = MemberOrganizationFactory(name="Tunis Chamber")

    membership = membership_add(
        member_organization=team,
        by=coordinator,
        email="amira@chamber.example",
        full_name="Amira Ben Salah",
        time_zone="Africa/Tunis",
        role_title="President",
        is_lead=True,
    )

    user = User.objects.get(email="amira@chamber.example")
    assert (user.full_name, user.time_zone) == ("Amira Ben Salah", "Africa/Tunis")
    assert not user.has_usable_password()
    assert membership.is_lead
    assert membership.role_title == "President"
    invitation = Notification.objects.get(recipient=user)
    assert invitation.kind == "member-invitation"
    assert "Tunis Chamber" in invitation.subject
    assert "/accounts/password/reset/key/" in invitation.link


def test_refuses_someone_already_on_the_team(alpha, coordinator):
    membership = MembershipFactory()

    with pytest.raises(ValidationError, match="already on the team"):
        membership_add(
            member_organization=membership.member_organization,
            by=coordinator,
            user=membership.user,
        )


def test_lead_moves_from_one_person_to_another(alpha, coordinator):
    lead = MembershipFactory(is_lead=True)
    other = MembershipFactory(member_organization=lead.member_organization)

    membership_lead_set(membership=other, by=coordinator)

    lead.refresh_from_db()
    other.refresh_from_db()
    assert other.is_lead
    assert not lead.is_lead
    assert _audited("membership.lead_set", other) == 1


def test_adding_a_lead_replaces_the_current_one(alpha, coordinator):
    lead = MembershipFactory(is_lead=True)

    added = membership_add(
        member_organization=lead.member_organization,
        by=coordinator,
        user=UserFactory(),
        is_lead=True,
    )

    lead.refresh_from_db()
    assert added.is_lead
    assert not lead.is_lead


def test_someone_who_left_cannot_become_lead(alpha, coordinator):
    membership = MembershipFactory()
    membership_end(membership=membership, by=coordinator)

    with pytest.raises(ValidationError, match="left"):
        membership_lead_set(membership=membership, by=coordinator)


def test_leaving_sets_left_at_and_ends_active_membership(alpha, coordinator):
    # given a team of two, the leaver its lead
    leaver = MembershipFactory(is_lead=True)
    team = leaver.member_organization
    stayer = MembershipFactory(member_organization=team)

    # when
    membership_end(membership=leaver, by=coordinator)

    # then
    leaver.refresh_from_db()
    assert leaver.left_at is not None
    assert not leaver.is_lead
    assert selectors.active_member_user_ids(member_organization=team) == {
        stayer.user_id
    }
    assert list(selectors.member_organizations_of(user=leaver.user)) == []
    assert _audited("membership.ended", leaver) == 1


def test_leaving_twice_is_refused(alpha, coordinator):
    membership = MembershipFactory()
    membership_end(membership=membership, by=coordinator)

    with pytest.raises(ValidationError, match="already left"):
        membership_end(membership=membership, by=coordinator)


def test_rejoining_starts_a_new_membership(alpha, coordinator):
    first = MembershipFactory()
    team, person = first.member_organization, first.user
    membership_end(membership=first, by=coordinator)

    again = membership_add(member_organization=team, by=coordinator, user=person)

    assert again.pk != first.pk
    assert Membership.objects.filter(member_organization=team, user=person).count() == 2
    assert selectors.active_member_user_ids(member_organization=team) == {person.pk}
    assert list(selectors.member_organizations_of(user=person)) == [team]
