"""Filler organizations for benchmarks: the template schema's DDL replayed under new names.

Cloning takes ~1 s per organization (hours for a thousand); replaying the template's
`pg_dump --schema-only` under another name and copying its migration, content-type and
permission rows gives the catalog the same objects in a fraction of that. Only filler is
made this way; whatever a benchmark measures goes through the product's own paths.
``template_ddl`` and ``replay_schema`` need Django set up on the benchmark's database.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from django.db import connection, transaction


def server_connection(database_url: str):
    """An autocommit psycopg connection to the maintenance database ("postgres") of
    the server ``database_url`` names: for creating and dropping a bench's database
    before Django is set up."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    return psycopg.connect(
        dbname="postgres",
        user=config["USER"],
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        password=config["PASSWORD"] or None,
        autocommit=True,
    )


def template_ddl() -> str:
    """The template schema's DDL (``org_template``), without psql meta-commands."""
    settings = connection.settings_dict
    from scripts.devservers import package_dir  # the embedded server's own tools

    pg_dump = shutil.which("pg_dump") or str(
        package_dir("pgserver") / "pginstall" / "bin" / "pg_dump"
    )
    env = dict(os.environ, PGPASSWORD=settings.get("PASSWORD") or "")
    command = [pg_dump, "--schema-only", "--no-owner", "--schema", "org_template"]
    command += ["-h", settings["HOST"] or "127.0.0.1", "-U", settings["USER"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    command.append(settings["NAME"])
    dump = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True
    ).stdout
    # Drop psql meta-commands (recent pg_dump writes \restrict / \unrestrict lines).
    return "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))


def replay_schema(schema: str, ddl: str) -> None:
    """Create ``schema`` as a copy of the template: its tables, and the rows that say
    which migrations ran and which content types and permissions exist (sequences
    moved past the copied ids, so later inserts don't collide)."""
    statements = re.sub(r"\borg_template\b", schema, ddl)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statements)
        cursor.execute("SELECT pg_catalog.set_config('search_path', 'public', false)")
        cursor.execute(
            f'INSERT INTO "{schema}".django_migrations (app, name, applied) '  # noqa: S608
            "SELECT app, name, applied FROM org_template.django_migrations"
        )
        for table in ("django_content_type", "auth_permission"):
            cursor.execute(
                f'INSERT INTO "{schema}".{table} SELECT * FROM org_template.{table}'  # noqa: S608
            )
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('\"{schema}\".{table}', 'id'), "  # noqa: S608
                f'(SELECT coalesce(max(id), 0) + 1 FROM "{schema}".{table}), false)'
            )
    connection.set_schema_to_public()
