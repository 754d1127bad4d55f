"""The demo: two organizations with realistic people, created idempotently
(``manage.py seed_demo``).

The demo app sits above every domain app (import-linter's top layer): it may name
them all. The people, programs and stories are data in demo/data/; the code that
makes them is here, in demo/programs.py and in demo/stories.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from demo.associations import seed_associations
from demo.clock import clock
from demo.data.people import (
    BRIDGES,
    DEMO_ORGS,
    DEMO_PASSWORD,
    MERIDIAN,
    PREFERRED_NAMES,
    DemoOrg,
)
from demo.programs import demo_user, seed_programs
from demo.stories import meridian_story
from mentorship.organizations.models import Organization
from mentorship.organizations.services import org_create, organization_domain


def _login_rows(org: DemoOrg) -> list[tuple[str, str]]:
    rows = [("HR admin", org.people[0].email), ("Coordinator", org.people[1].email)]
    rows.append(("Mentor", f"mentor@{org.slug}.example"))
    rows.append(("Mentee", f"mentee@{org.slug}.example"))
    return rows


DEMO_LOGINS = {organization_domain(org.slug): _login_rows(org) for org in DEMO_ORGS}


def seed_demo() -> list[str]:
    """Create the demo organizations, people and programs if absent, and tell
    Meridian's story (matching, pairs meeting). Returns what it created."""
    created: list[str] = []
    # One hash for every demo login: hashing per user would cost seconds of PBKDF2.
    password_hash = make_password(DEMO_PASSWORD)
    now = timezone.now()
    for org in DEMO_ORGS:
        schema = f"org_{org.slug}"
        if not Organization.objects.filter(schema_name=schema).exists():
            org_create(slug=org.slug, name=org.name)
            # The demo shows "require two-factor for staff": HR admins set it up
            # on their first sign-in.
            Organization.objects.filter(schema_name=schema).update(
                staff_two_factor=Organization.StaffTwoFactor.HR_ADMINS
            )
            created.append(org.name)
        with schema_context(schema), transaction.atomic():
            users = {}
            for person in org.people:
                user, made = demo_user(
                    person,
                    password_hash,
                    preferred_name=PREFERRED_NAMES.get(person.email, ""),
                )
                if made:
                    created.append(person.email)
                users[person.email] = user
            # Participant profiles and the demo program (demo/programs.py), set up
            # on the day the organization's story begins.
            with clock(now - timedelta(days=org.story_days)):
                created.extend(seed_programs(org, users))
            if org.slug == MERIDIAN.slug:
                created.extend(meridian_story(users, now=now))
            if org.slug == BRIDGES.slug:
                created.extend(
                    seed_associations(users, password_hash=password_hash, now=now)
                )
    return created
