"""Back up one organization and restore it alone (manage.py org_backup / org_restore).

An archive (``.tar.gz``) holds everything that is the organization's and nothing else:

- ``manifest.json``: the organization's public rows (``Organization`` without its id,
  its ``Domain`` rows), the tenant migrations its schema has applied, each table's
  columns, row count and SHA-256, and each sequence's position;
- ``tables/<table>.copy``: every table of its schema in PostgreSQL's COPY text
  format, rows sorted so that the checksum is stable;
- ``media/``: its uploaded files (``MEDIA_ROOT/<schema>/``).

The data travels through COPY on the application's own connection (psycopg), not
through ``pg_dump``: nothing has to match the server's major version, and it works
against the embedded development server, which has no client tools on PATH. The
table definitions are not in the archive: a restore clones the migrated template
schema (``org_template``) and loads the rows into it, so the target must run the same
code (the same tenant migrations); it refuses otherwise.

A restore runs in one transaction and checks every table's count and checksum against
the manifest before it commits: it either replaces the organization completely or
changes nothing. Other organizations' schemas and rows are never read or written.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from mentorship.organizations.models import Domain, Organization
from mentorship.organizations.services import (
    catalog_statistics_refresh,
    template_missing_migrations,
)

FORMAT_VERSION = 1


@dataclass(frozen=True)
class TableState:
    """A table's content in short: its row count and the SHA-256 of its sorted rows."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupResult:
    path: Path
    schema_name: str
    tables: dict[str, TableState]
    media_files: int


@dataclass(frozen=True)
class RestoreResult:
    schema_name: str
    replaced: bool
    tables: dict[str, TableState]
    media_files: int


def _q(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def schema_tables(schema_name: str) -> dict[str, list[str]]:
    """{table: [columns in order]} for every base table of the schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, a.attname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_attribute a ON a.attrelid = c.oid "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') "
            "AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY c.relname, a.attnum",
            [schema_name],
        )
        tables: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            tables.setdefault(table, []).append(column)
    return tables


def _copy_out_sql(schema_name: str, table: str, columns: list[str]) -> str:
    cols = ", ".join(_q(c) for c in columns)
    # Sorted by the whole row as text in the C collation: the same bytes for the same
    # rows on any server, whatever order they were stored in.
    return (
        f"COPY (SELECT {cols} FROM {_q(schema_name)}.{_q(table)} t "  # noqa: S608 (quoted names)
        f'ORDER BY (t.*)::text COLLATE "C") TO STDOUT'
    )


def _copy_out(schema_name: str, table: str, columns: list[str]) -> Iterator[bytes]:
    connection.ensure_connection()
    with (
        connection.connection.cursor() as cursor,
        cursor.copy(_copy_out_sql(schema_name, table, columns)) as copy,
    ):
        for chunk in copy:
            yield bytes(chunk)


def _state_of(
    chunks: Iterator[bytes], sink: io.BufferedIOBase | None = None
) -> TableState:
    digest = hashlib.sha256()
    rows = 0
    for chunk in chunks:
        digest.update(chunk)
        rows += chunk.count(b"\n")  # COPY text escapes newlines inside values
        if sink is not None:
            sink.write(chunk)
    return TableState(rows=rows, sha256=digest.hexdigest())


def schema_fingerprint(schema_name: str) -> dict[str, TableState]:
    """{table: TableState} for every table of the schema (what a restore must match)."""
    return {
        table: _state_of(_copy_out(schema_name, table, columns))
        for table, columns in schema_tables(schema_name).items()
    }


def _sequences(schema_name: str) -> dict[str, int | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = %s",
            [schema_name],
        )
        return dict(cursor.fetchall())


def _applied_migrations(schema_name: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT app, name FROM {_q(schema_name)}.django_migrations "  # noqa: S608
            "ORDER BY app, name"
        )
        return [list(row) for row in cursor.fetchall()]


def _row_fields(obj: Any, *, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A row's fields as strings its fields' ``to_python`` reads back exactly
    (DjangoJSONEncoder would cut datetimes to milliseconds)."""
    return {
        field.attname: None
        if field.value_from_object(obj) is None
        else field.value_to_string(obj)
        for field in obj._meta.concrete_fields
        if not field.primary_key and field.attname not in skip
    }


def _media_dir(schema_name: str) -> Path:
    with schema_context(schema_name):
        return Path(default_storage.location)  # type: ignore[attr-defined]


def _organization(schema_name: str) -> Organization:
    organization = Organization.objects.filter(schema_name=schema_name).first()
    if organization is None:
        raise ValidationError(f"No organization has the schema {schema_name!r}.")
    if organization.is_template or schema_name == get_public_schema_name():
        raise ValidationError("The platform and the template are not organizations.")
    return organization


def org_backup(schema_name: str, path: Path) -> BackupResult:
    """Write one organization's archive to `path` (``.tar.gz``).

    Its tables are locked against writes (SHARE mode; reads go on) while they are
    read, so they agree with each other even while the organization is in use.
    Raises ValidationError for an unknown schema, the platform or the template.
    """
    with schema_context(get_public_schema_name()):
        organization = _organization(schema_name)
        tables = schema_tables(schema_name)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE "
                    + ", ".join(f"{_q(schema_name)}.{_q(t)}" for t in tables)
                    + " IN SHARE MODE"
                )
            manifest: dict[str, Any] = {
                "format": FORMAT_VERSION,
                "schema_name": schema_name,
                "organization": _row_fields(organization, skip=("schema_name",)),
                "domains": [
                    _row_fields(d, skip=("tenant_id",))
                    for d in Domain.objects.filter(tenant=organization).order_by("id")
                ],
                "migrations": _applied_migrations(schema_name),
                "sequences": _sequences(schema_name),
                "tables": {},
            }
            with tempfile.TemporaryDirectory() as scratch:
                tables_dir = Path(scratch) / "tables"
                tables_dir.mkdir()
                for table, columns in tables.items():
                    with (tables_dir / f"{table}.copy").open("wb") as sink:
                        state = _state_of(_copy_out(schema_name, table, columns), sink)
                    manifest["tables"][table] = {
                        "columns": columns,
                        "rows": state.rows,
                        "sha256": state.sha256,
                    }
                media = _media_dir(schema_name)
                media_files = (
                    [p for p in media.rglob("*") if p.is_file()]
                    if media.is_dir()
                    else []
                )
                manifest["media"] = sorted(
                    str(p.relative_to(media)) for p in media_files
                )
                (Path(scratch) / "manifest.json").write_text(
                    json.dumps(manifest, indent=1)
                )
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_name(path.name + ".partial")
                with tarfile.open(partial, "w:gz") as tar:
                    tar.add(Path(scratch) / "manifest.json", "manifest.json")
                    tar.add(tables_dir, "tables")
                    for file in media_files:
                        tar.add(file, f"media/{file.relative_to(media)}")
                partial.replace(path)
    return BackupResult(
        path=path,
        schema_name=schema_name,
        tables={
            t: TableState(v["rows"], v["sha256"]) for t, v in manifest["tables"].items()
        },
        media_files=len(manifest["media"]),
    )


@contextmanager
def _unpacked(path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as scratch:
        try:
            with tarfile.open(path, "r:gz") as tar:
                tar.extractall(scratch, filter="data")
            manifest = json.loads((Path(scratch) / "manifest.json").read_text())
        except (OSError, tarfile.TarError, ValueError, KeyError) as error:
            raise ValidationError(
                f"{path} is not an organization archive: {error}"
            ) from error
        if manifest.get("format") != FORMAT_VERSION:
            raise ValidationError(
                f"{path} has archive format {manifest.get('format')!r}; "
                f"this code reads format {FORMAT_VERSION}."
            )
        yield Path(scratch), manifest


def _check_migrations_match(manifest: dict[str, Any]) -> None:
    missing = template_missing_migrations()
    if missing:
        raise ValidationError(
            "The template schema lags behind the code (missing: "
            + ", ".join(missing[:5])
            + "). Run `manage.py migrate_schemas` first."
        )
    here = {tuple(m) for m in _applied_migrations(settings.TENANT_BASE_SCHEMA)}
    there = {tuple(m) for m in manifest["migrations"]}
    if here != there:
        only_there = sorted(f"{a}.{n}" for a, n in there - here)
        only_here = sorted(f"{a}.{n}" for a, n in here - there)
        raise ValidationError(
            "The archive was made by a different version of the code. "
            f"Migrations only in the archive: {', '.join(only_there[:5]) or 'none'}; "
            f"only here: {', '.join(only_here[:5]) or 'none'}. Restore it with the "
            "version that made it, then migrate."
        )


def _load_tables(schema_name: str, folder: Path, manifest: dict[str, Any]) -> None:
    existing = schema_tables(schema_name)
    archived = manifest["tables"]
    if set(existing) != set(archived):
        raise ValidationError(
            "The archive's tables differ from this code's: "
            f"{sorted(set(existing) ^ set(archived))[:5]}"
        )
    with connection.cursor() as cursor:
        # Django's foreign keys are DEFERRABLE: tables load in any order.
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    raw = connection.connection
    for table, info in archived.items():
        columns = info["columns"]
        unknown = set(columns) - set(existing[table])
        if unknown:
            raise ValidationError(
                f"Table {table} has no columns {sorted(unknown)} here."
            )
        cols = ", ".join(_q(c) for c in columns)
        with (
            raw.cursor() as cursor,
            cursor.copy(
                f"COPY {_q(schema_name)}.{_q(table)} ({cols}) FROM STDIN"
            ) as copy,
            (folder / "tables" / f"{table}.copy").open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
    with connection.cursor() as cursor:
        for sequence, last_value in manifest["sequences"].items():
            cursor.execute(
                "SELECT setval(%s::regclass, %s, %s)",
                [
                    f"{_q(schema_name)}.{_q(sequence)}",
                    last_value or 1,
                    last_value is not None,
                ],
            )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _verify(schema_name: str, manifest: dict[str, Any]) -> dict[str, TableState]:
    states = {}
    for table, info in manifest["tables"].items():
        state = _state_of(_copy_out(schema_name, table, info["columns"]))
        if (state.rows, state.sha256) != (info["rows"], info["sha256"]):
            raise ValidationError(
                f"Table {table} did not restore identically "
                f"({state.rows} rows, expected {info['rows']}); nothing was changed."
            )
        states[table] = state
    return states


def _restore_public_rows(
    schema_name: str, manifest: dict[str, Any], existing: Organization | None
) -> None:
    hosts = [d["domain"] for d in manifest["domains"]]
    taken = Domain.objects.filter(domain__in=hosts)
    if existing is not None:
        taken = taken.exclude(tenant=existing)
    if taken.exists():
        raise ValidationError(
            "These domains belong to another organization here: "
            + ", ".join(taken.values_list("domain", flat=True))
        )
    organization = existing or Organization(schema_name=schema_name)
    fields = {
        attname: Organization._meta.get_field(attname).to_python(value)
        for attname, value in manifest["organization"].items()
    }
    for attname, value in fields.items():
        setattr(organization, attname, value)
    # The schema exists by now, so saving a new organization clones nothing.
    organization.save(verbosity=0)
    # auto_now_add overwrites created_at on a new row.
    Organization.objects.filter(pk=organization.pk).update(**fields)
    Domain.objects.filter(tenant=organization).delete()
    for row in manifest["domains"]:
        Domain.objects.create(
            tenant=organization,
            **{k: Domain._meta.get_field(k).to_python(v) for k, v in row.items()},
        )


def _replace_media(schema_name: str, folder: Path) -> int:
    target = _media_dir(schema_name)
    source = folder / "media"
    if target.exists():
        shutil.rmtree(target)
    if not source.is_dir():
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source, target)
    return sum(1 for p in target.rglob("*") if p.is_file())


def org_restore(path: Path, *, replace: bool = False) -> RestoreResult:
    """Restore the organization in archive `path`, alone.

    Without `replace` the organization must not exist here (a restore into another
    deployment, or after it was deleted); with it, an existing organization of that
    schema is replaced whole — its schema, public rows and media — and every other
    organization is left as it was. Raises ValidationError, changing nothing, when
    the archive is not one, comes from other code (other tenant migrations), names a
    domain another organization holds here, or does not reload identically.
    """
    with (
        _unpacked(path) as (folder, manifest),
        schema_context(get_public_schema_name()),
    ):
        schema_name = manifest["schema_name"]
        if schema_name in (get_public_schema_name(), settings.TENANT_BASE_SCHEMA):
            raise ValidationError(
                "The platform and the template are not organizations."
            )
        _check_migrations_match(manifest)
        with transaction.atomic():
            existing = (
                Organization.objects.select_for_update()
                .filter(schema_name=schema_name)
                .first()
            )
            if existing is not None and not replace:
                raise ValidationError(
                    f"The organization {existing.name!r} ({schema_name}) exists here; "
                    "restore with --replace to overwrite it."
                )
            if existing is None and schema_exists(schema_name):
                raise ValidationError(
                    f"A schema {schema_name!r} exists without an organization; "
                    "remove it first."
                )
            if existing is not None:
                with connection.cursor() as cursor:
                    # Checks deferred by the caller's transaction must not pend on
                    # tables about to go.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f"DROP SCHEMA {_q(schema_name)} CASCADE")
            catalog_statistics_refresh()
            CloneSchema().clone_schema(
                settings.TENANT_BASE_SCHEMA, schema_name, clone_mode="NODATA"
            )
            _load_tables(schema_name, folder, manifest)
            states = _verify(schema_name, manifest)
            _restore_public_rows(schema_name, manifest, existing)
        media_files = _replace_media(schema_name, folder)
    return RestoreResult(
        schema_name=schema_name,
        replaced=existing is not None,
        tables=states,
        media_files=media_files,
    )


def archive_schema_name(path: Path) -> str:
    """The schema an archive restores (reads only its manifest)."""
    with _unpacked(path) as (_folder, manifest):
        return str(manifest["schema_name"])
