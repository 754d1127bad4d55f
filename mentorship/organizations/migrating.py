"""Deploy-time migrations for many schemas: find the lagging ones, migrate only those.

`migrate_schemas` plans every schema from scratch (0.24 s each here even when nothing is
to be done: 4 minutes at 1,000 organizations). Here:

- ``lagging_schemas()`` learns in ONE catalog query which schemas lack one of the code's
  leaf migrations (each schema's ``django_migrations`` against the leaf set);
- ``migrate_schemas_fast()`` migrates only those: public first (django-tenants' own
  ``migrate_schemas --shared``: one schema, and a fresh install's path), then the tenants in
  ``jobs`` worker processes (the connection budget: ``jobs`` + 1 connections). Each
  worker keeps one connection and one project state per starting point, so a schema
  costs its DDL plus a few queries. Every schema's plan runs in one transaction: a
  schema whose migration fails is left exactly as it was, the others go on, and the
  failures are returned by name.
- ``schema_is_current()`` backs the 503 middleware: a request to an organization whose
  schema lags gets "being updated" instead of errors from missing columns.

Workers are forked by a ``ProcessPoolExecutor`` after the parent closed its database
connections (no socket is shared; each worker opens its own). A worker that dies breaks
the pool with an error instead of hanging it, as ``multiprocessing.Pool`` does (the
multiprocessing-executor hangs of django-tenants#1123). A worker's memory holds one
prepared plan per starting point, not per schema (the OOMs of django-tenants#1211 came
from per-tenant growth).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import cache
from multiprocessing import get_context
from typing import Protocol, cast

from django.conf import settings
from django.db import NotSupportedError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django_tenants.utils import get_public_schema_name


class _TenantConnection(Protocol):
    """What django-tenants' database wrapper adds to Django's (no stubs for it)."""

    def set_schema(self, schema_name: str, include_public: bool = True) -> None: ...

    def set_schema_to_public(self) -> None: ...


# The same default-connection proxy, typed with django-tenants' schema switching.
_tenant_connection = cast(_TenantConnection, connection)

# Operations that change which models exist, so content types and permissions must be
# refreshed (the post_migrate signal) after them; anything else skips that step.
_MODEL_LEVEL_OPERATIONS = frozenset(
    {"CreateModel", "DeleteModel", "RenameModel", "AlterModelOptions"}
)


@cache
def expected_leaves() -> tuple[str, ...]:
    """The code's leaf migrations of the tenant apps, as sorted ``"app.name"`` strings.

    A schema that has recorded all of them is current (history is applied in order).
    Shared-only apps are left out: their migrations change nothing in a tenant schema.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {label.rsplit(".", 1)[-1] for label in settings.TENANT_APPS}
    return tuple(
        sorted(
            f"{app}.{name}"
            for app, name in loader.graph.leaf_nodes()
            if app in tenant_labels
        )
    )


@cache
def _all_leaves() -> tuple[str, ...]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return tuple(sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes()))


# One statement over every schema: query_to_xml runs a count in each schema's own
# django_migrations (a schema without that table counts -1), so no Python loop of
# queries and no UNION ALL thousands of branches long.
_LAG_SQL = """
SELECT o.schema_name,
       CASE WHEN to_regclass(format('%%I.django_migrations', o.schema_name)) IS NULL
            THEN -1
            ELSE (xpath('/row/n/text()', query_to_xml(format(
              'SELECT count(*) AS n FROM %%I.django_migrations '
              'WHERE app || ''.'' || name = ANY(%%L::text[])',
              o.schema_name,
              CASE WHEN o.schema_name = %(public)s THEN %(all)s::text[]
                   ELSE %(tenant)s::text[] END
            ), false, true, '')))[1]::text::int
       END
FROM (SELECT schema_name FROM public.{table} UNION SELECT %(public)s) o
"""

# Set once a server answers query_to_xml with "requires libxml" (the embedded
# pgserver used by `make run`/`make test` without DATABASE_URL is built without it).
_server_lacks_xml: list[bool] = []

_LAG_CHUNK = 500  # schemas per UNION ALL statement in the fallback


# Identifiers come only from the model's table name and quote_name(); values are bound.
_SCHEMAS_SQL = """
SELECT o.schema_name,
       to_regclass(format('%%I.django_migrations', o.schema_name)) IS NOT NULL
FROM (SELECT schema_name FROM public.{table} UNION SELECT %(public)s) o
"""


def _lag_counts_without_xml(table: str, params: dict) -> dict[str, int]:
    """The same counts as ``_LAG_SQL`` without XML: the schemas and whether they
    have a django_migrations table in one query, then one UNION ALL count per
    chunk of ``_LAG_CHUNK`` schemas (a few queries at 1,000 organizations)."""
    public = params["public"]
    with connection.cursor() as cursor:
        cursor.execute(_SCHEMAS_SQL.format(table=table), {"public": public})
        rows = cursor.fetchall()
        found = {name: -1 for name, has_table in rows if not has_table}
        names = [name for name, has_table in rows if has_table]
        for start in range(0, len(names), _LAG_CHUNK):
            branches, args = [], []
            for name in names[start : start + _LAG_CHUNK]:
                quoted = connection.ops.quote_name(name)
                branches.append(
                    f"SELECT %s, count(*) FROM {quoted}.django_migrations "  # noqa: S608
                    "WHERE app || '.' || name = ANY(%s::text[])"
                )
                args += [name, params["all"] if name == public else params["tenant"]]
            cursor.execute(" UNION ALL ".join(branches), args)
            found.update(dict(cursor.fetchall()))
    return found


# Schemas this process has seen current, per leaf set (a new deploy's code has a new
# one). Only ever grows: migrations are not unapplied under a running server.
_current: dict[tuple[str, ...], set[str]] = {}


def _known_current() -> set[str]:
    return _current.setdefault(expected_leaves(), set())


def lagging_schemas() -> list[str]:
    """Schemas (public first, then tenants by name) missing one of the code's leaf
    migrations, from ONE query whatever the number of organizations.

    Public is judged by every app's leaves, tenants by the tenant apps'
    (``expected_leaves()``): a tenant lagging only on shared-only apps has nothing to
    do. The others are remembered as current by this process (the 503 check).
    """
    from mentorship.organizations.models import Organization

    public = get_public_schema_name()
    tenant_leaves, all_leaves = expected_leaves(), _all_leaves()
    params = {"tenant": list(tenant_leaves), "all": list(all_leaves), "public": public}
    table = Organization._meta.db_table
    found: dict[str, int] | None = None
    if not _server_lacks_xml:
        try:
            # A savepoint inside a transaction, so a refusal doesn't abort it.
            guard = (
                transaction.atomic() if connection.in_atomic_block else nullcontext()
            )
            with guard, connection.cursor() as cursor:
                cursor.execute(_LAG_SQL.format(table=table), params)
                found = dict(cursor.fetchall())
        except NotSupportedError:  # a server built without libxml (the embedded one)
            _server_lacks_xml.append(True)
    if found is None:
        found = _lag_counts_without_xml(table, params)
    lagging = []
    for name, count in found.items():
        wanted = len(all_leaves) if name == public else len(tenant_leaves)
        if count < wanted:
            lagging.append(name)
        else:
            _known_current().add(name)
    return sorted(lagging, key=lambda name: (name != public, name))


def schema_is_current(schema_name: str) -> bool:
    """Whether ``schema_name`` has every tenant leaf migration. One small query the
    first time this process asks about a schema that is current; none after."""
    known = _known_current()
    if schema_name in known:
        return True
    leaves = list(expected_leaves())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(format('%%I.django_migrations', %s::text)) IS NOT NULL",
            [schema_name],
        )
        if not cursor.fetchone()[0]:
            return False
        cursor.execute(
            f'SELECT count(*) FROM "{schema_name}".django_migrations '  # noqa: S608
            "WHERE app || '.' || name = ANY(%s::text[])",
            [leaves],
        )
        (found,) = cursor.fetchone()
    if found == len(leaves):
        known.add(schema_name)
        return True
    return False


def remember_current(schema_name: str) -> None:
    """Note a schema known to be current without asking (a fresh clone of the
    current template, a schema just migrated)."""
    _known_current().add(schema_name)


@dataclass
class SchemaResult:
    """What happened to one schema: ``applied`` migration names, or an ``error``."""

    schema_name: str
    applied: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class DeployResult:
    """A deploy's outcome. ``failed`` names each schema whose migration failed."""

    checked: int
    lagging: list[str]
    results: list[SchemaResult]
    jobs: int
    seconds: float

    @property
    def failed(self) -> list[SchemaResult]:
        return [r for r in self.results if not r.ok]

    @property
    def migrated(self) -> list[SchemaResult]:
        return [r for r in self.results if r.ok]


@dataclass
class _Prepared:
    """A plan worked out once for every schema that has the same migrations applied:
    each operation with the project states before and after it, already rendered."""

    executor: MigrationExecutor
    plan: list
    steps: list  # [(migration, [(operation, state_before, state_after), ...]), ...]
    final_state: ProjectState
    refresh_models: bool  # the plan creates/renames/deletes models: post_migrate


class _SchemaMigrator:
    """Migrates schemas one after another on one connection, in this process.

    Planning is the costly part of a migrate: Django replays the migration history into
    a project state and re-renders the models each operation touches (0.85 s per
    schema for one AddField + AddIndex here). That work depends only on which
    migrations a schema has applied - the same for nearly every lagging schema - so it
    is done once per applied set (``_Prepared``); each schema then runs only the
    operations' database side (``Operation.database_forwards``, as Django's
    ``Migration.apply`` does) and the record, in one transaction.
    """

    def __init__(self) -> None:
        self._prepared: dict[frozenset, _Prepared] = {}

    def migrate(self, schema_name: str) -> SchemaResult:
        started = time.perf_counter()
        result = SchemaResult(schema_name)
        try:
            result.applied = self._migrate(schema_name)
        except Exception as error:  # noqa: BLE001 - reported by schema, others go on
            result.error = f"{type(error).__name__}: {error}".strip()
        finally:
            _tenant_connection.set_schema_to_public()
        result.seconds = time.perf_counter() - started
        return result

    def _enter(self, schema_name: str) -> None:
        """Point the connection at the schema, with a django_migrations of its own
        (otherwise public's would answer for it)."""
        if schema_name == get_public_schema_name():
            _tenant_connection.set_schema_to_public()
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(format('%%I.django_migrations', %s::text))",
                [schema_name],
            )
            exists = cursor.fetchone()[0] is not None
        if not exists:
            _tenant_connection.set_schema(schema_name, include_public=False)
            MigrationRecorder(connection).ensure_schema()
        _tenant_connection.set_schema(schema_name)

    def _prepare(self, applied: frozenset) -> _Prepared:
        from django.core.management.sql import emit_pre_migrate_signal

        prepared = self._prepared.get(applied)
        if prepared is not None:
            return prepared
        executor = MigrationExecutor(connection)
        executor.loader.check_consistent_history(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if any(backwards for _, backwards in plan):
            raise RuntimeError("the plan unapplies migrations; run `migrate` by hand")
        # Django's migrate command does the same (a private API of Django 5.2).
        state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]  # private, unstubbed
        state.apps  # noqa: B018 - render once
        # pre_migrate handlers (contenttypes adds RenameContentType after RenameModel)
        # edit these migration objects, which every schema of this applied set shares.
        emit_pre_migrate_signal(0, False, connection.alias, apps=state.apps, plan=plan)
        steps = []
        for migration, _ in plan:
            operations = []
            for operation in migration.operations:
                before = state.clone()
                operation.state_forwards(migration.app_label, state)
                operations.append((operation, before, state.clone()))
            steps.append((migration, operations))
        refresh = any(
            type(operation).__name__ in _MODEL_LEVEL_OPERATIONS
            for migration, _ in plan
            for operation in migration.operations
        )
        prepared = _Prepared(executor, plan, steps, state, refresh)
        self._prepared[applied] = prepared
        return prepared

    def _migrate(self, schema_name: str) -> list[str]:
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.sql import emit_post_migrate_signal

        self._enter(schema_name)
        recorder = MigrationRecorder(connection)
        recorder._has_table = True  # type: ignore[attr-defined]  # private; checked by _enter
        prepared = self._prepare(frozenset(recorder.applied_migrations()))
        if not prepared.plan:
            return []
        executor = prepared.executor
        # Private, unstubbed; checked by _enter, for this schema.
        executor.recorder._has_table = True  # type: ignore[attr-defined]
        atomic = all(migration.atomic for migration, _ in prepared.plan)
        ContentType.objects.clear_cache()  # ids are per schema
        with transaction.atomic() if atomic else nullcontext():
            for migration, operations in prepared.steps:
                self._apply(executor, migration, operations)
            executor.check_replacements()
            if prepared.refresh_models:
                emit_post_migrate_signal(
                    0,
                    False,
                    connection.alias,
                    apps=prepared.final_state.apps,
                    plan=prepared.plan,
                )
        ContentType.objects.clear_cache()
        return [f"{m.app_label}.{m.name}" for m, _ in prepared.plan]

    @staticmethod
    def _apply(executor: MigrationExecutor, migration, operations: list) -> None:
        """Django's ``MigrationExecutor.apply_migration`` + ``Migration.apply``, with
        the states worked out beforehand."""
        recorded = False
        with connection.schema_editor(atomic=migration.atomic) as editor:
            for operation, before, after in operations:
                atomic_operation = operation.atomic or (
                    migration.atomic and operation.atomic is not False
                )
                if not editor.atomic_migration and atomic_operation:
                    with transaction.atomic(connection.alias):
                        operation.database_forwards(
                            migration.app_label, editor, before, after
                        )
                else:
                    operation.database_forwards(
                        migration.app_label, editor, before, after
                    )
            if not editor.deferred_sql:
                # Django 5.2 takes the migration; the stubs have a later signature.
                executor.record_migration(migration)  # type: ignore[call-arg]
                recorded = True
        if not recorded:
            executor.record_migration(migration)  # type: ignore[call-arg]


def _migrate_public() -> SchemaResult:
    """Public through django-tenants' own ``migrate_schemas --shared``: one schema
    whatever the number of organizations, and the path a fresh install takes."""
    from django.core.management import call_command

    started = time.perf_counter()
    result = SchemaResult(get_public_schema_name())
    _tenant_connection.set_schema_to_public()
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        call_command("migrate_schemas", "--shared", verbosity=0, interactive=False)
        result.applied = [f"{m.app_label}.{m.name}" for m, _ in plan]
    except Exception as error:  # noqa: BLE001 - reported, the deploy stops there
        result.error = f"{type(error).__name__}: {error}".strip()
    finally:
        _tenant_connection.set_schema_to_public()
    result.seconds = time.perf_counter() - started
    return result


# -- worker processes ------------------------------------------------------------------

_worker_migrator: _SchemaMigrator | None = None


def _worker_start() -> None:
    """A forked worker: Django is set up already; the parent closed its connections
    before forking, so this process opens its own."""
    global _worker_migrator
    _worker_migrator = _SchemaMigrator()


def _worker_migrate(schema_names: list[str]) -> list[SchemaResult]:
    assert _worker_migrator is not None  # noqa: S101
    # One connection for the worker's life (closed when the pool shuts it down):
    # reconnecting per batch showed up to 6 sessions at once for --jobs 2.
    return [_worker_migrator.migrate(name) for name in schema_names]


def _batches(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def migrate_schemas_fast(
    *,
    jobs: int = 2,
    schemas: list[str] | None = None,
    on_result: Callable[[SchemaResult], None] | None = None,
) -> DeployResult:
    """Migrate every lagging schema; return what happened to each.

    ``jobs``: worker processes for the tenant schemas, each with one PostgreSQL
    connection (1: in this process). Public, when it lags, is migrated first and alone;
    if it fails nothing else is tried. ``schemas`` limits the run to those names (still
    only the lagging ones). ``on_result`` is called with each schema's result as it
    lands. Raises nothing for a failing schema: see ``DeployResult.failed``.
    """
    started = time.perf_counter()
    from mentorship.organizations.models import Organization

    results: list[SchemaResult] = []

    def record(result: SchemaResult) -> None:
        results.append(result)
        if on_result is not None:
            on_result(result)

    public = get_public_schema_name()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(%s) IS NULL", [f"public.{Organization._meta.db_table}"]
        )
        fresh = cursor.fetchone()[0]
    if fresh:  # a fresh install: no organizations table to ask yet
        record(_migrate_public())
    lagging = [public] if fresh and not results[-1].ok else lagging_schemas()
    checked = Organization.objects.count() if not results or results[-1].ok else 0
    if schemas is not None:
        wanted = set(schemas)
        lagging = [name for name in lagging if name in wanted]
    tenants = [name for name in lagging if name != public]
    migrator = _SchemaMigrator()
    if public in lagging and not fresh:
        record(_migrate_public())
    if results and not results[-1].ok:
        tenants = []
    jobs = max(1, min(jobs, len(tenants)))
    if jobs == 1:
        for name in tenants:
            record(migrator.migrate(name))
    elif tenants:
        connections.close_all()  # no socket crosses into the workers
        # Small batches spread the work evenly and keep the results flowing.
        size = max(1, min(25, len(tenants) // (jobs * 4) or 1))
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=get_context("fork"), initializer=_worker_start
        ) as pool:
            futures = [
                pool.submit(_worker_migrate, batch) for batch in _batches(tenants, size)
            ]
            for future in as_completed(futures):
                for result in future.result():
                    record(result)
    results.sort(key=lambda r: (r.schema_name != public, r.schema_name))
    return DeployResult(
        checked=checked,
        lagging=lagging,
        results=results,
        jobs=jobs,
        seconds=time.perf_counter() - started,
    )


def default_jobs() -> int:
    """Worker processes for a deploy: ``DEPLOY_MIGRATION_JOBS`` or the CPU count (max 4)."""
    configured = os.environ.get("DEPLOY_MIGRATION_JOBS")
    if configured:
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))
