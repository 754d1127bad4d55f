"""Benchmark: erase one person, and build one person's data export, in an
organization of N people with 20 notifications each (N × 20 outbox rows whose
text names people).

Run from the repository root with the dev database (DATABASE_URL) reachable:

    .venv/bin/python bench/privacy.py [--people 5000]

It creates a throwaway organization (like bench/pages.py), bulk-creates the
people, their profiles and notifications ("Minh proposed a meeting to <name>"),
then times ``privacy.services.erasure.person_erase`` (which scans every text
column of the schema) and ``privacy.services.exports.data_export_zip`` for one
person. Prints a table, then, as its LAST line, one JSON object:
{"people": …, "notifications": …, "erase_seconds": …, "export_seconds": …}.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import get_public_schema_name, schema_context  # noqa: E402

from bench.pages import _template_current, _world  # noqa: E402
from mentorship.accounts.models import User  # noqa: E402
from mentorship.notifications.models import Notification  # noqa: E402
from mentorship.organizations.models import Organization  # noqa: E402
from mentorship.organizations.services import org_create, platform_ensure  # noqa: E402
from privacy.services import erasure, exports  # noqa: E402
from programs.models import Participant  # noqa: E402

PER_PERSON = 20


def seed(count: int) -> list[User]:
    users = User.objects.bulk_create(
        (
            User(
                email=f"person{n}@bench.example",
                full_name=f"Privacy Person {n:05d}",
                password="!unusable",  # noqa: S106
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    Participant.objects.bulk_create(
        (Participant(user=user, city="Kraków", bio="About me") for user in users),
        batch_size=2000,
    )
    now = timezone.now()
    Notification.objects.bulk_create(
        (
            Notification(
                recipient=user,
                kind="meeting-proposed",
                dedupe_key=f"bench:{user.pk}:{k}",
                subject=f"{users[(n + 1) % count].full_name} proposed a meeting",
                body=f"Hello {user.full_name}, {users[(n + 1) % count].email} wrote.",
                due_at=now,
                status=Notification.Status.SENT,
            )
            for n, user in enumerate(users)
            for k in range(PER_PERSON)
        ),
        batch_size=5000,
    )
    return users


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    platform_ensure()
    _template_current()
    slug = "bench-" + secrets.token_hex(4)
    created = org_create(slug=slug, name="Privacy benchmark (throwaway)")
    organization = created.organization
    try:
        connection.set_tenant(organization)
        world = _world(organization, created.domain.domain)
        started = time.perf_counter()
        users = seed(args.people)
        seeded = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        target = users[len(users) // 2]
        started = time.perf_counter()
        exports.data_export_zip(user=target, now=timezone.now())
        export_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result = erasure.person_erase(user=target, by=world.people["hr_admin"])
        erase_seconds = time.perf_counter() - started
    finally:
        connection.set_schema_to_public()
        with schema_context(get_public_schema_name()):
            Organization.objects.get(pk=organization.pk).delete(force_drop=True)
    notifications = args.people * PER_PERSON
    print(
        f"seeded {args.people:,} people, {notifications:,} notifications in {seeded:.1f} s"
    )
    print("what                                   value")
    print(f"erase one person (scan every column)   {erase_seconds:.2f} s")
    print(f"rows where their name was replaced     {result.rows_scrubbed:,}")
    print(f"build one person's export ZIP          {export_seconds:.2f} s")
    print(
        json.dumps(
            {
                "people": args.people,
                "notifications": notifications,
                "erase_seconds": round(erase_seconds, 2),
                "export_seconds": round(export_seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
