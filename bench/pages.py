"""Benchmark pages: queries and median render time at several data sizes.

Run from the repository root with the dev database (DATABASE_URL) reachable:

    .venv/bin/python bench/pages.py [--runs 7] [--only enrollment_table]

It creates a throwaway organization (cloned from the template schema), fills it
per page, requests each page through Django's test client on that organization's
host, and drops the organization again. Prints a table, then, as its LAST line,
one JSON object: {"pages": {"<name>@<size>": {"queries": q, "ms": median_ms}}}.

To add a page, register a builder: a function that receives a `World` (the
organization's people and helpers) and the size, builds its data inside the
tenant schema, and returns the URL to time (optionally with request headers):

    @page("match_list", sizes=(200, 2000))
    def match_list(world: World, size: int) -> str | tuple[str, dict]:
        ...
        return f"/manage/programs/{program.pk}/matches/"
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/; the apps live at the repository root.
sys.path[:] = [str(REPO)] + [
    p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"
]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_tenants.utils import get_public_schema_name, schema_context  # noqa: E402

from mentorship.accounts.models import User  # noqa: E402
from mentorship.accounts.services import user_create  # noqa: E402
from mentorship.organizations.models import Organization  # noqa: E402
from mentorship.organizations.services import (  # noqa: E402
    org_create,
    platform_ensure,
    template_missing_migrations,
)

Builder = Callable[["World", int], "str | tuple[str, dict]"]


@dataclass(frozen=True)
class PageSpec:
    name: str
    sizes: tuple[int, ...]
    build: Builder
    persona: str = "coordinator"


REGISTRY: dict[str, PageSpec] = {}


def page(name: str, *, sizes: tuple[int, ...], persona: str = "coordinator"):
    """Register a page builder under `name`, timed at each of `sizes`."""

    def register(build: Builder) -> Builder:
        REGISTRY[name] = PageSpec(name, sizes, build, persona)
        return build

    return register


@dataclass
class World:
    organization: Organization
    host: str
    people: dict[str, User] = field(default_factory=dict)
    _serial: int = 0

    def client(self, persona: str) -> Client:
        client = Client(HTTP_HOST=self.host)
        client.force_login(self.people[persona])
        return client

    def next_serial(self, count: int) -> int:
        start, self._serial = self._serial, self._serial + count
        return start


# --- Pages --------------------------------------------------------------------------


@page("enrollment_table", sizes=(200, 2000))
def enrollment_table(world: World, size: int) -> str:
    from programs.models import Enrollment, Participant, Program

    program = Program.objects.create(
        name=f"Bench program {size}",
        status=Program.Status.ENROLLING,
    )
    program.coordinators.add(world.people["coordinator"])
    start = world.next_serial(size)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{start + n}@bench.example",
                full_name=f"Bench Person {start + n:05d}",
                password="!unusable",  # noqa: S106
            )
            for n in range(size)
        ]
    )
    participants = Participant.objects.bulk_create(
        [
            Participant(user=user, title="Engineer", department="Platform")
            for user in users
        ]
    )
    statuses = ["applied", "approved", "waitlisted"]
    Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role=("mentor", "mentee")[n % 2],
                status=statuses[n % 3],
            )
            for n, participant in enumerate(participants)
        ]
    )
    return f"/manage/programs/{program.pk}/?sort=-applied"


@page("match_review", sizes=(100, 1000))
def match_review(world: World, size: int) -> str:
    """A finished matching run with `size` proposals waiting for review."""
    from matching import engine
    from matching.models import Match, MatchRun
    from programs.models import Enrollment, Participant, Program

    program = Program.objects.create(
        name=f"Bench matching {size}", status=Program.Status.MATCHING
    )
    program.coordinators.add(world.people["coordinator"])
    mentors = max(1, size // 5)
    start = world.next_serial(size + mentors)
    zones = ("Europe/Warsaw", "Asia/Kolkata", "America/Chicago")
    users = User.objects.bulk_create(
        [
            User(
                email=f"bench{start + n}@bench.example",
                full_name=f"Bench Person {start + n:05d}",
                time_zone=zones[n % 3],
                password="!unusable",  # noqa: S106
            )
            for n in range(size + mentors)
        ]
    )
    participants = Participant.objects.bulk_create(
        [Participant(user=user, title="Engineer", languages=["en"]) for user in users]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role="mentor" if n < mentors else "mentee",
                status=Enrollment.Status.APPROVED,
            )
            for n, participant in enumerate(participants)
        ]
    )
    run = MatchRun.objects.create(
        program=program,
        mode=MatchRun.Mode.OPTIMAL,
        status=MatchRun.Status.DONE,
        progress=100,
        mentee_count=size,
        mentor_count=mentors,
        matched_count=size,
    )
    points = dict(
        zip(engine.CRITERIA, (30.0, 18.0, 9.0, 6.0, 4.0, 3.0, 0.0), strict=True)
    )
    Match.objects.bulk_create(
        [
            Match(
                program=program,
                run=run,
                mentor=enrollments[n % mentors],
                mentee=mentee,
                status=Match.Status.SUGGESTED,
                score=sum(points.values()),
                explanation=points,
            )
            for n, mentee in enumerate(enrollments[mentors:])
        ]
    )
    return f"/manage/programs/{program.pk}/matching/"


@page("health", sizes=(100, 1000))
def program_health(world: World, size: int) -> str:
    """The coordinator's relationship-health table (checkins): every active pair with
    a held, logged and rated meeting, a pending proposal and a goal."""
    from programs.models import Program
    from tests.checkins.bulk import bulk_pairs

    program = Program.objects.create(
        name=f"Bench health {size}",
        status=Program.Status.ACTIVE,
        meeting_cadence_days=14,
    )
    program.coordinators.add(world.people["coordinator"])
    bulk_pairs(program=program, count=size, prefix=f"health{world.next_serial(1)}")
    return f"/manage/programs/{program.pk}/health/"


@page("impact_dashboard", sizes=(500, 5000))
def impact_dashboard(world: World, size: int) -> str:
    """A program's impact page (reporting): ``size`` participants, 0.4 × size
    matches, 4 × size meetings, 2 × size survey responses, HR dates and a staff
    list of ``size`` non-participants (tests/reporting/impact_bulk.py)."""
    from tests.reporting.impact_bulk import bulk_impact_program

    program = bulk_impact_program(
        size=size,
        prefix=f"impact{world.next_serial(1)}",
        coordinator=world.people["coordinator"],
    )
    return f"/manage/programs/{program.pk}/impact/"


@page("manage_home", sizes=(1, 20))
def manage_home(world: World, size: int) -> str:
    """The coordinator's home (reporting): ``size`` active programs with 2,000 people
    each, 1,000 pairs per program (stale proposals, pairs at risk)."""
    from tests.reporting.home_bulk import bulk_home_programs

    bulk_home_programs(
        coordinator=world.people["coordinator"],
        programs=size,
        participants=2000,
        prefix=f"home{world.next_serial(1)}",
    )
    return "/manage/"


# --- Running ------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    key: str
    queries: int
    ms: float
    status: int


def _time(client: Client, url: str, headers: dict, runs: int) -> Result:
    response = client.get(url, **headers)  # warm-up: templates, caches
    timings, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **headers)
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    return Result(
        "", queries, round(statistics.median(timings), 1), response.status_code
    )


def _world(organization: Organization, host: str) -> World:
    world = World(organization, host)
    for persona, role in [
        ("coordinator", User.Role.COORDINATOR),
        ("hr_admin", User.Role.HR_ADMIN),
        ("member", User.Role.MEMBER),
    ]:
        world.people[persona] = user_create(
            email=f"{persona}@bench.example",
            password=None,
            full_name=f"Bench {persona}",
            role=role,
            time_zone="Europe/Warsaw",
            verified=True,
        )
    return world


def _template_current() -> None:
    """The throwaway organization is cloned from the template: bring it up to date
    (only the template schema; the dev database's organizations are left alone)."""
    missing = template_missing_migrations()
    if missing:
        print(f"Migrating the template schema first ({len(missing)} migrations)…")
        call_command(
            "migrate_schemas", schema_name=settings.TENANT_BASE_SCHEMA, verbosity=0
        )


def run(*, runs: int, only: set[str]) -> list[Result]:
    platform_ensure()
    _template_current()
    slug = "bench-" + secrets.token_hex(4)
    created = org_create(slug=slug, name="Page benchmark (throwaway)")
    organization, host = created.organization, created.domain.domain
    results: list[Result] = []
    try:
        connection.set_tenant(organization)
        world = _world(organization, host)
        for spec in REGISTRY.values():
            if only and spec.name not in only:
                continue
            client = world.client(spec.persona)
            for size in spec.sizes:
                connection.set_tenant(organization)
                built = spec.build(world, size)
                url, headers = built if isinstance(built, tuple) else (built, {})
                result = _time(client, url, headers, runs)
                results.append(
                    Result(
                        f"{spec.name}@{size}", result.queries, result.ms, result.status
                    )
                )
    finally:
        connection.set_schema_to_public()
        with schema_context(get_public_schema_name()):
            Organization.objects.get(pk=organization.pk).delete(force_drop=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--only", nargs="*", default=[])
    args = parser.parse_args()
    results = run(runs=args.runs, only=set(args.only))
    width = max([len(r.key) for r in results] + [4])
    print(f"{'page'.ljust(width)}  queries  median ms  status")
    for result in results:
        print(
            f"{result.key.ljust(width)}  {result.queries:7d}  {result.ms:9.1f}  {result.status:6d}"
        )
    print(
        json.dumps(
            {"pages": {r.key: {"queries": r.queries, "ms": r.ms} for r in results}}
        )
    )


if __name__ == "__main__":
    main()
