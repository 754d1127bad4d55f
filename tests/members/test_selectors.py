from django.utils import timezone

from members import selectors
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory


def test_list_counts_active_members_and_their_zones(alpha):
    team = MemberOrganizationFactory(name="A team")
    MemberOrganizationFactory(name="B empty")
    for zone in ("Asia/Dhaka", "Africa/Tunis", "Asia/Dhaka"):
        MembershipFactory(member_organization=team, user=UserFactory(time_zone=zone))
    MembershipFactory(
        member_organization=team,
        user=UserFactory(time_zone="America/Toronto"),
        joined_at=timezone.now(),
        left_at=timezone.now(),
    )

    rows = list(selectors.member_organization_list())

    assert [(row.name, row.member_count, row.team_zones) for row in rows] == [
        ("A team", 3, ["Africa/Tunis", "Asia/Dhaka"]),
        ("B empty", 0, []),
    ]
    assert selectors.team_zones(member_organization=team) == [
        "Africa/Tunis",
        "Asia/Dhaka",
    ]


def test_list_is_one_query(alpha, django_assert_num_queries):
    for _ in range(3):
        MembershipFactory()

    with django_assert_num_queries(1):
        list(selectors.member_organization_list())


def test_member_organizations_of_a_person(alpha):
    person = UserFactory()
    first = MembershipFactory(user=person).member_organization
    MembershipFactory(user=person, joined_at=timezone.now(), left_at=timezone.now())
    MembershipFactory()

    assert list(selectors.member_organizations_of(user=person)) == [first]
