"""People for browser tests. The server is another process, so they are COMMITTED to
the test database with throwaway addresses (``e2e-<role>-<tag>@alpha.example``) and
removed by ``people_remove``."""

from __future__ import annotations

from collections.abc import Iterable

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from tests.conftest import PASSWORD

# (mentor, mentee) names of the other pairs a browser test's program holds.
OTHER_PAIRS = [
    ("Amara Okafor", "Jonas Weber"),
    ("Lucía Fernández", "Kenji Sato"),
    ("Fatima Zahra", "Tomasz Nowak"),
    ("Grace Mensah", "Arjun Mehta"),
    ("Sofia Rossi", "Daniel Kim"),
    ("Hannah Schmidt", "Mateo Silva"),
]

# (role key, full name, organization role, time zone)
Spec = tuple[str, str, str, str]


def people_create(tag: str, specs: Iterable[Spec]) -> dict[str, User]:
    """One verified user per spec, keyed by its role key; password ``PASSWORD``."""
    return {
        key: user_create(
            email=f"e2e-{key}-{tag}@alpha.example",
            password=PASSWORD,
            full_name=name,
            role=org_role,
            time_zone=zone,
            verified=True,
        )
        for key, name, org_role, zone in specs
    }


def people_remove(tag: str, people: dict[str, User]) -> None:
    """Delete them and the bulk pairs' people made with the same tag."""
    User.objects.filter(pk__in=[user.pk for user in people.values()]).delete()
    User.objects.filter(
        email__startswith=f"e2e-{tag}-", email__endswith="@bulk.example"
    ).delete()
