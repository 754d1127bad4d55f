"""The sweep's member organizations (issue 18): one with a team member in the home
and one in the other id set, all staff may read them; members may not.

Called once from ``world.seed_tenant``; registers the URL kwargs it seeds.
"""

from __future__ import annotations

from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory
from tests.security import world  # the module: world imports this one first
from tests.security.url_roles import COORD, HR, OTHER_COORD

STAFF = (COORD, OTHER_COORD, HR)


def seed_member_organizations(
    secret: world.Secrets, *, home: world.Ids, sibling: world.Ids, other: world.Ids
) -> None:
    """One member organization with one member for ``home`` (shared by ``sibling``)
    and one for ``other``, their names and brief as sentinels for staff only."""
    world.KWARG_OBJECTS.setdefault("member_organization_id", "member_organization")
    world.KWARG_OBJECTS.setdefault("membership_id", "membership")
    for ids, tag in ((home, "mo"), (other, "mo2")):
        team = MemberOrganizationFactory(
            name=f"Chamber {secret(tag + '.name', *STAFF)}",
            context_economy=secret(tag + ".economy", *STAFF),
            context_needs=secret(tag + ".needs", *STAFF),
            context_tried=secret(tag + ".tried", *STAFF),
        )
        membership = MembershipFactory(
            member_organization=team,
            user=UserFactory(full_name=f"Member {secret(tag + '.person', *STAFF)}"),
            role_title=secret(tag + ".role", *STAFF),
            is_lead=True,
        )
        ids.member_organization = team.pk
        ids.membership = membership.pk
        ids.admin[("members", "memberorganization")] = team.pk
        ids.admin[("members", "membership")] = membership.pk
    sibling.member_organization = home.member_organization
    sibling.membership = home.membership
    sibling.admin[("members", "memberorganization")] = home.member_organization
    sibling.admin[("members", "membership")] = home.membership
