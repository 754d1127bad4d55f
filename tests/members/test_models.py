import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import MemberOrganization, Membership
from tests.members.factories import MemberOrganizationFactory, MembershipFactory


def test_one_lead_per_member_organization(alpha):
    team = MemberOrganizationFactory()
    MembershipFactory(member_organization=team, is_lead=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(member_organization=team, is_lead=True)


def test_leads_of_different_organizations_coexist(alpha):
    MembershipFactory(is_lead=True)
    MembershipFactory(is_lead=True)

    assert Membership.objects.filter(is_lead=True).count() == 2


def test_one_active_membership_per_person(alpha):
    first = MembershipFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            member_organization=first.member_organization, user=first.user
        )


def test_a_person_who_left_may_have_a_new_membership(alpha):
    now = timezone.now()
    first = MembershipFactory(joined_at=now - datetime.timedelta(days=30), left_at=now)

    again = MembershipFactory(
        member_organization=first.member_organization, user=first.user
    )

    assert again.is_active
    assert not first.is_active


def test_leaving_before_joining_is_refused(alpha):
    joined = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(joined_at=joined, left_at=joined - datetime.timedelta(days=1))


def test_someone_who_left_cannot_be_lead(alpha):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            is_lead=True, joined_at=timezone.now(), left_at=timezone.now()
        )


def test_name_is_unique_ignoring_capitals(alpha):
    MemberOrganizationFactory(name="Bangladesh Women Chamber")

    with pytest.raises(ValidationError, match="exists"):
        MemberOrganization(name="bangladesh women chamber").full_clean()


@pytest.mark.parametrize(
    ("field", "value"),
    [("country", "XX"), ("languages", ["xx"]), ("size", "huge")],
)
def test_refuses_unknown_vocabulary(alpha, field, value):
    team = MemberOrganizationFactory.build(**{field: value})

    with pytest.raises(ValidationError) as error:
        team.full_clean()

    assert field in error.value.message_dict


def test_has_brief_only_with_some_text():
    assert not MemberOrganizationFactory.build(context_needs="  ").has_brief
    assert MemberOrganizationFactory.build(context_tried="A fee study").has_brief
