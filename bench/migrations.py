"""How long a deploy's migrations take with 1,000 organizations.

Builds a database of its own (``<DATABASE_URL's name>_bench_migrations``, dropped at the
end unless BENCH_KEEP_DB=1) with N organizations (default 1,000; the template's DDL
replayed, bench/_support/schemas.py), then times the project's deploy command,
``manage.py deploy``, as a deploy runs it (a fresh process, start-up included):

  (a) nothing to migrate: every schema is current;
  (b) one new additive migration on every organization: a nullable column and an index
      on ``checkins_meeting``. The migration exists only for the run: a settings module
      and a copy of checkins' migrations plus the new one, in a temporary directory
      (MIGRATION_MODULES), so nothing is left in the repository.

While (b) runs, PostgreSQL connections to the database are sampled (pg_stat_activity)
against the stated budget of --jobs + 1. Afterwards a catalog query checks that every
organization has the column, its index and the migration recorded.

    .venv/bin/python bench/migrations.py [--tenants 1000] [--jobs 2]

Last line: {"tenants": N, "noop_s": …, "additive_s": …, "per_tenant_ms": …, …}.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Run as a script, sys.path[0] is bench/ (whose matching.py would shadow the app).
sys.path[:] = [str(REPO)] + [
    p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"
]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
os.environ.setdefault("DEBUG", "true")

from bench._support.schemas import replay_schema, server_connection, template_ddl  # noqa: E402

SOURCE_URL = os.environ.get(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentorship"
)
DB_NAME = SOURCE_URL.rsplit("/", 1)[1].split("?")[0] + "_bench_migrations"
BENCH_URL = SOURCE_URL.rsplit("/", 1)[0] + "/" + DB_NAME
KEEP = os.environ.get("BENCH_KEEP_DB") == "1"


def _admin_connection():
    return server_connection(SOURCE_URL)


def database_create() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def database_drop() -> None:
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


REUSE = "--reuse" in sys.argv


def database_exists() -> bool:
    with _admin_connection() as conn:
        return bool(
            conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
            ).fetchone()
        )


os.environ["DATABASE_URL"] = BENCH_URL
REUSED = REUSE and database_exists()
if not REUSED:
    database_create()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.loader import MigrationLoader  # noqa: E402

from mentorship.organizations.models import Domain, Organization  # noqa: E402
from mentorship.organizations.services import platform_ensure  # noqa: E402

ADDITIVE_NAME = "9001_bench_nullable_column_and_index"
SETTINGS_TEXT = '''"""Benchmark settings: the project's, plus a temporary migration when asked."""
import os

from mentorship.settings import *  # noqa: F403

if os.environ.get("BENCH_ADDITIVE") == "1":
    MIGRATION_MODULES = {"checkins": "bench_checkins_migrations"}
'''
ADDITIVE_TEXT = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("checkins", "{leaf}")]
    operations = [
        migrations.AddField(
            model_name="meeting",
            name="bench_note",
            field=models.CharField(max_length=100, null=True, blank=True),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["bench_note"], name="bench_note_idx"),
        ),
    ]
"""


UNDO_SQL = """
DO $$ DECLARE s text; BEGIN
  FOR s IN SELECT schema_name FROM organizations_organization LOOP
    EXECUTE format('DELETE FROM %I.django_migrations WHERE app = %L AND name = %L',
                   s, 'checkins', '{name}');
    IF s <> 'public' THEN
      EXECUTE format('DROP INDEX IF EXISTS %I.bench_note_idx', s);
      EXECUTE format('ALTER TABLE %I.checkins_meeting DROP COLUMN IF EXISTS bench_note', s);
    END IF;
  END LOOP;
END $$;
"""


def undo_additive() -> int:
    """With --reuse: take the additive migration back out of every schema; return the
    number of filler organizations there."""
    with connection.cursor() as cursor:
        cursor.execute(UNDO_SQL.replace("{name}", ADDITIVE_NAME))
        cursor.execute(
            "SELECT count(*) FROM organizations_organization "
            "WHERE schema_name LIKE 'org_mig%%'"
        )
        return cursor.fetchone()[0]


def temporary_migration(workdir: Path) -> None:
    """Write the bench settings module and checkins' migrations + the additive one."""
    (workdir / "bench_migrations_settings.py").write_text(SETTINGS_TEXT)
    package = workdir / "bench_checkins_migrations"
    shutil.copytree(
        REPO / "checkins" / "migrations",
        package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = [name for app, name in loader.graph.leaf_nodes() if app == "checkins"]
    (package / f"{ADDITIVE_NAME}.py").write_text(ADDITIVE_TEXT.format(leaf=leaf))


def build(tenants: int, threads: int) -> None:
    """Public, the template (by migrations), then ``tenants`` filler organizations,
    replayed on ``threads`` connections (each thread has its own)."""
    call_command("migrate_schemas", "--shared", verbosity=0)
    platform_ensure()
    ddl = template_ddl()
    slugs = [f"mig{index:04d}" for index in range(tenants)]
    started = time.perf_counter()

    def replay(slug: str) -> None:
        try:
            replay_schema(f"org_{slug}", ddl)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for done, _ in enumerate(pool.map(replay, slugs), start=1):
            if done % 50 == 0:
                rate = (time.perf_counter() - started) / done
                print(f"  ... {done} schemas ({rate:.2f} s each)", flush=True)
    # The schemas exist, so rows are all that is missing (save() would only check).
    organizations = Organization.objects.bulk_create(
        Organization(schema_name=f"org_{slug}", name=f"Bench {slug}") for slug in slugs
    )
    Domain.objects.bulk_create(
        Domain(domain=f"{o.schema_name[4:]}.bench.localhost", tenant=o, is_primary=True)
        for o in organizations
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the product does this as organizations are created


class ConnectionSampler(threading.Thread):
    """The largest number of sessions on the bench database, sampled every 0.1 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with _admin_connection() as conn:
            while not self.stop.is_set():
                (count,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND backend_type = 'client backend'",  # not autovacuum's
                    [DB_NAME],
                ).fetchone()
                self.peak = max(self.peak, count)
                time.sleep(0.1)


def deploy(workdir: Path, *, jobs: int, additive: bool) -> tuple[float, str]:
    """Run ``manage.py deploy`` as a deploy would; return (wall seconds, its summary)."""
    env = dict(
        os.environ,
        DATABASE_URL=BENCH_URL,
        DJANGO_SETTINGS_MODULE="bench_migrations_settings",
        PYTHONPATH=os.pathsep.join([str(workdir), str(REPO)]),
        BENCH_ADDITIVE="1" if additive else "0",
        # A deployed image has its bytecode compiled (Dockerfile); without it every
        # start compiles ~1,200 modules first (7 s of CPU here). Cached outside the
        # repository, after the untimed warm-up run.
        PYTHONPYCACHEPREFIX=str(workdir / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "deploy", "--jobs", str(jobs)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"deploy failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout.strip().splitlines()[-1]


def check_applied() -> dict[str, int]:
    """Organizations (template included) with the column, the index, the record."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT
              (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = 'checkins_meeting' AND a.attname = 'bench_note'
                  AND n.nspname <> 'public'),
              (SELECT count(*) FROM pg_indexes
                WHERE indexname = 'bench_note_idx' AND schemaname <> 'public'),
              (SELECT count(*) FROM organizations_organization
                WHERE schema_name <> 'public')
            """
        )
        column, index, organizations = cursor.fetchone()
        recorded = 0
        for (schema,) in Organization.objects.exclude(schema_name="public").values_list(
            "schema_name"
        ):
            cursor.execute(
                f'SELECT count(*) FROM "{schema}".django_migrations '  # noqa: S608
                "WHERE app = 'checkins' AND name = %s",
                [ADDITIVE_NAME],
            )
            recorded += cursor.fetchone()[0]
    return {
        "organizations": organizations,
        "column": column,
        "index": index,
        "recorded": recorded,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--noop-runs", type=int, default=3)
    parser.add_argument(
        "--build-threads", type=int, default=3, help="connections building the filler"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database a BENCH_KEEP_DB=1 run left (same --tenants)",
    )
    args = parser.parse_args()

    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="bench_migrations_"))
    try:
        print(f"Building {args.tenants} organizations in {DB_NAME} ...", flush=True)
        build_started = time.perf_counter()
        if REUSED and undo_additive() == args.tenants:
            print("  (reused the filler of an earlier run: --reuse)", flush=True)
        else:
            build(args.tenants, args.build_threads)
        build_s = time.perf_counter() - build_started
        temporary_migration(workdir)
        connection.close()

        cold_s, _ = deploy(workdir, jobs=args.jobs, additive=False)  # warm-up
        noop = [
            deploy(workdir, jobs=args.jobs, additive=False)
            for _ in range(args.noop_runs)
        ]
        noop_s = statistics.median(seconds for seconds, _ in noop)

        sampler = ConnectionSampler()
        sampler.start()
        additive_s, additive_summary = deploy(workdir, jobs=args.jobs, additive=True)
        sampler.stop.set()
        sampler.join()
        applied = check_applied()
        again_s, again_summary = deploy(workdir, jobs=args.jobs, additive=True)
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        connection.close()
        if not KEEP:
            database_drop()

    organizations = applied["organizations"]
    per_tenant_ms = additive_s * 1000 / max(1, organizations)
    print()
    print(
        f"Deploy (manage.py deploy --jobs {args.jobs}, a fresh process each, "
        f"start-up included), {organizations} organizations + public"
    )
    print(f"{'case':<40} | {'seconds':>8}")
    print("-" * 51)
    for seconds, _ in noop:
        print(f"{'(a) nothing to migrate':<40} | {seconds:>8.2f}")
    print(f"{'(b) nullable column + index everywhere':<40} | {additive_s:>8.2f}")
    print(f"{'(a) again, after (b)':<40} | {again_s:>8.2f}")
    print(f"{'(a) first run, compiling bytecode':<40} | {cold_s:>8.2f}")
    print(f"  (a) said: {noop[0][1]}")
    print(f"  (b) said: {additive_summary}")
    print(f"  after (b): {again_summary}")
    print(
        f"  (b) applied: column in {applied['column']}, index in {applied['index']}, "
        f"recorded in {applied['recorded']} of {organizations} organization schemas"
    )
    print(
        f"  PostgreSQL sessions on the database during (b): peak {sampler.peak} "
        f"(budget --jobs + 1 = {args.jobs + 1})"
    )
    print(
        f"  filler built in {build_s:.0f} s; load average before "
        f"{load_before[0]:.2f}, after {load_after[0]:.2f} (2 cores, shared machine)"
    )
    assert applied["column"] == applied["index"] == applied["recorded"] == organizations
    print(
        json.dumps(
            {
                "tenants": organizations,
                "noop_s": round(noop_s, 2),
                "additive_s": round(additive_s, 2),
                "per_tenant_ms": round(per_tenant_ms, 1),
                "noop_after_additive_s": round(again_s, 2),
                "jobs": args.jobs,
                "peak_connections": sampler.peak,
                "load_average": [round(load_before[0], 2), round(load_after[0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
