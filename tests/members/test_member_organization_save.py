import pytest
from django.core.exceptions import ValidationError

from members.services import member_organization_save
from tests.members.factories import MemberOrganizationFactory


def test_creates_and_updates(alpha, coordinator):
    fields = {
        "name": "Dhaka Chamber",
        "country": "BD",
        "city": "Dhaka",
        "languages": ["bn", "en", "bn"],
        "context_economy": "Banks ask for **collateral**.",
    }

    made = member_organization_save(
        member_organization=None, fields=fields, by=coordinator
    )
    changed = member_organization_save(
        member_organization=made, fields={"city": "Chittagong"}, by=coordinator
    )

    changed.refresh_from_db()
    assert (changed.pk, changed.city, changed.languages) == (
        made.pk,
        "Chittagong",
        ["bn", "en"],
    )


def test_refuses_a_taken_name_by_field(alpha, coordinator):
    MemberOrganizationFactory(name="Dhaka Chamber")

    with pytest.raises(ValidationError) as error:
        member_organization_save(
            member_organization=None, fields={"name": "DHAKA CHAMBER"}, by=coordinator
        )

    assert "exists" in str(error.value)


def test_refuses_fields_it_does_not_edit(alpha, coordinator):
    with pytest.raises(ValueError, match="created_at"):
        member_organization_save(
            member_organization=None,
            fields={"name": "X", "created_at": None},
            by=coordinator,
        )
