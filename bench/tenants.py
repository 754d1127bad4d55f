"""How long creating an organization takes as the number of tenants grows.

Clones the template schema (the product path) at 1, 50 and 200 existing tenants and
reports median and worst per level, next to creating one by running every migration
(the baseline), in the same process. Uses the database named by DATABASE_URL and
drops every organization it made. Run: `python bench/tenants.py` (or `make bench`).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
os.environ.setdefault("DEBUG", "true")


def _use_own_database() -> None:
    """Run on a fresh database of our own, so "1 existing tenant" means one."""
    from bench._support.schemas import server_connection

    url = os.environ.get(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentorship"
    )
    name = "mentorship_bench_tenants"
    keep = os.environ.get("BENCH_KEEP_DB") == "1"
    with server_connection(url) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and not keep:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        if not exists or not keep:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name


_use_own_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench._support.schemas import replay_schema, template_ddl  # noqa: E402
from mentorship.organizations.models import Domain, Organization  # noqa: E402
from mentorship.organizations.services import (  # noqa: E402
    catalog_statistics_refresh,
    org_create,
    platform_ensure,
    spare_pool_fill,
)

LEVELS = (1, 50, 200)
SAMPLES = 5
PREFIX = "bench-t"


def bench_orgs() -> list[Organization]:
    return list(Organization.objects.filter(schema_name__startswith="org_bench_t"))


def tenant_count() -> int:
    return (
        Organization.objects.filter(is_template=False)
        .exclude(schema_name="public")
        .count()
    )


class Counter:
    value = 0

    def next_slug(self) -> str:
        self.value += 1
        return f"{PREFIX}{self.value:04d}"


def timed_create(counter: Counter) -> tuple[float, bool]:
    started = time.perf_counter()
    created = org_create(slug=counter.next_slug(), name="Bench")
    return time.perf_counter() - started, created.from_spare


def populate_one(slug: str, ddl: str) -> None:
    schema = "org_" + slug.replace("-", "_")
    replay_schema(schema, ddl)
    with transaction.atomic():
        organization = Organization(schema_name=schema, name="Bench filler")
        organization.save(verbosity=0)  # the schema exists: nothing is cloned
        Domain.objects.create(
            domain=f"{slug}.bench.localhost", tenant=organization, is_primary=True
        )
    connection.set_schema_to_public()


def drop(orgs: list[Organization]) -> None:
    connection.set_schema_to_public()
    for org in orgs:
        org.delete(force_drop=True)


def summary(samples: list[float]) -> dict[str, float]:
    return {"median": statistics.median(samples), "max": max(samples)}


def main() -> None:
    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    drop(bench_orgs())
    spare_pool_fill(size=0)
    counter = Counter()

    # Baseline: build a tenant by running every migration (no template).
    migrate_times = []
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False):
        for _ in range(3):
            migrate_times.append(timed_create(counter)[0])
    drop(bench_orgs())

    rows = []
    ddl = template_ddl()
    for level in LEVELS:
        while tenant_count() < level:
            populate_one(counter.next_slug(), ddl)
        existing = tenant_count()
        # The product path: a background worker keeps spares ready between sign-ups
        # (the refill is not timed: nobody waits for it).
        pooled = []
        for _ in range(SAMPLES):
            spare_pool_fill(size=1)
            seconds, from_spare = timed_create(counter)
            assert from_spare
            pooled.append(seconds)
        # The fallback when sign-ups outrun the refill: clone while the caller waits.
        direct = []
        for _ in range(SAMPLES):
            seconds, from_spare = timed_create(counter)
            assert not from_spare
            direct.append(seconds)
        catalog_statistics_refresh()
        rows.append(
            {"existing": existing, "pool": summary(pooled), "direct": summary(direct)}
        )
        print(f"  ... {existing} tenants measured", flush=True)

    if os.environ.get("BENCH_KEEP_DB") != "1":
        drop(bench_orgs())
    migrate_median = statistics.median(migrate_times)

    print()
    print("Creating an organization, seconds (median / worst of 5), this machine")
    header = f"{'existing':>9} | {'create_org (spare ready)':>24} | {'direct clone':>15} | {'by migrations':>13}"
    print(header)
    print("-" * len(header))
    for row in rows:
        pool, direct = row["pool"], row["direct"]
        print(
            f"{row['existing']:>9} | {pool['median']:>11.3f} / {pool['max']:>10.3f} | "
            f"{direct['median']:>6.3f} / {direct['max']:>6.3f} | {migrate_median:>13.3f}"
        )
    print(
        "create_org renames a spare clone of the template when one is ready (the pool is "
        "refilled by a Celery task after each creation); 'direct clone' is the fallback."
    )
    top = rows[-1]
    print(
        json.dumps(
            {
                "tenants": top["existing"],
                "clone_s": round(top["pool"]["median"], 3),
                "clone_max_s": round(max(r["pool"]["max"] for r in rows), 3),
                "migrate_s": round(migrate_median, 3),
                "direct_clone_s": round(top["direct"]["median"], 3),
                "direct_clone_max_s": round(max(r["direct"]["max"] for r in rows), 3),
                "levels": {
                    str(r["existing"]): {
                        "clone_s": round(r["pool"]["median"], 3),
                        "clone_max_s": round(r["pool"]["max"], 3),
                        "direct_clone_s": round(r["direct"]["median"], 3),
                        "direct_clone_max_s": round(r["direct"]["max"], 3),
                    }
                    for r in rows
                },
            }
        )
    )


if __name__ == "__main__":
    main()
