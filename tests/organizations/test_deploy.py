"""`manage.py deploy`: only lagging schemas migrate, a failing one is named and left as it
was, and a lagging organization answers 503 until its schema is current.

A pending migration is made for each test: a copy of checkins' migrations plus one that
adds a nullable column and an index to meetings, in a temporary package
(MIGRATION_MODULES). Everything runs in the test's transaction and is rolled back.
"""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentorship.organizations import migrating
from mentorship.organizations.migrating import lagging_schemas, migrate_schemas_fast

PACKAGE = "deploy_probe_migrations"
PROBE = "9901_deploy_probe"
PROBE_TEXT = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("checkins", "{leaf}")]
    operations = [
        migrations.AddField(
            model_name="meeting",
            name="deploy_probe",
            field=models.CharField(max_length=40, null=True, blank=True),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["deploy_probe"], name="deploy_probe_idx"),
        ),
    ]
"""
SESSION_SCHEMAS = {"public", "org_template", "org_alpha", "org_beta", "org_gamma"}


def _forget_leaves() -> None:
    migrating.expected_leaves.cache_clear()
    migrating._all_leaves.cache_clear()


@pytest.fixture
def pending_migration(tmp_path, settings):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (leaf,) = [name for app, name in loader.graph.leaf_nodes() if app == "checkins"]
    source = Path(sys.modules["checkins"].__file__).parent / "migrations"
    shutil.copytree(
        source, tmp_path / PACKAGE, ignore=shutil.ignore_patterns("__pycache__")
    )
    (tmp_path / PACKAGE / f"{PROBE}.py").write_text(PROBE_TEXT.format(leaf=leaf))
    sys.path.insert(0, str(tmp_path))
    settings.MIGRATION_MODULES = {"checkins": PACKAGE}
    _forget_leaves()
    yield f"checkins.{PROBE}"
    # The test's transaction undoes the migration: forget what was seen current.
    migrating._current.pop(migrating.expected_leaves(), None)
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]
    _forget_leaves()


def _probe(schema: str) -> tuple[str | None, bool, bool]:
    """(column type, index present, migration recorded) in ``schema``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'checkins_meeting' AND column_name = 'deploy_probe'",
            [schema],
        )
        column = cursor.fetchone()
        cursor.execute(
            "SELECT 1 FROM pg_indexes WHERE schemaname = %s "
            "AND indexname = 'deploy_probe_idx'",
            [schema],
        )
        index = cursor.fetchone() is not None
        cursor.execute(
            f'SELECT 1 FROM "{schema}".django_migrations '
            "WHERE app = 'checkins' AND name = %s",
            [PROBE],
        )
        recorded = cursor.fetchone() is not None
    return (column[0] if column else None), index, recorded


def test_current_schemas_are_found_in_one_query_and_skipped(alpha, pending_migration):
    with CaptureQueriesContext(connection) as queries:
        lagging = lagging_schemas()
    # One query, besides django-tenants' pending search_path change (the fixture's).
    sql = [
        q["sql"]
        for q in queries.captured_queries
        if "search_path" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(sql) == 1
    assert "query_to_xml" in sql[0]
    assert lagging[0] == "public"
    assert set(lagging) >= SESSION_SCHEMAS

    first = migrate_schemas_fast(jobs=1, schemas=["org_alpha"])
    assert [(r.schema_name, r.applied) for r in first.results] == [
        ("org_alpha", [pending_migration])
    ]
    assert "org_alpha" not in lagging_schemas()

    second = migrate_schemas_fast(jobs=1)
    migrated = [r.schema_name for r in second.results]
    assert "org_alpha" not in migrated  # current: skipped
    assert set(migrated) >= SESSION_SCHEMAS - {"org_alpha"}
    assert not second.failed
    assert lagging_schemas() == []
    for schema in SESSION_SCHEMAS - {"public"}:
        assert _probe(schema) == ("character varying", True, True)

    out = io.StringIO()
    call_command("deploy", jobs=1, stdout=out)
    assert "0 lagging, 0 migrated" in out.getvalue()


def test_failing_schema_is_named_left_as_it_was_and_the_others_migrate(
    alpha, pending_migration
):
    # beta already has a column of that name: its ALTER TABLE fails.
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE org_beta.checkins_meeting ADD deploy_probe integer")
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="org_beta") as failure:
        call_command("deploy", jobs=1, stdout=out, stderr=err)

    assert failure.value.returncode == 1  # manage.py exits 1
    assert "1 schema(s) failed" in str(failure.value)
    assert "org_beta: FAILED" in err.getvalue()
    assert "already exists" in err.getvalue()
    # beta exactly as it was: no index, nothing recorded, its own column untouched.
    assert _probe("org_beta") == ("integer", False, False)
    # The others are complete: column, index and record together.
    for schema in ("org_alpha", "org_gamma", "org_template"):
        assert _probe(schema) == ("character varying", True, True)
    assert lagging_schemas() == ["org_beta"]


def test_lagging_organization_answers_503_until_migrated(alpha, pending_migration):
    response = alpha.client().get("/accounts/login/")
    assert response.status_code == 503
    assert b"Being updated" in response.content
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"

    migrate_schemas_fast(jobs=1, schemas=["org_alpha"])

    client = alpha.client("mentee")
    assert client.get("/accounts/login/").status_code in (200, 302)
    assert client.get("/").status_code == 200
    # Known current now: no more questions to the catalog on later requests.
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "django_migrations" in q["sql"]]
    # beta still lags: 503 there.
    assert Client(HTTP_HOST="beta.localhost").get("/accounts/login/").status_code == 503


def test_a_server_without_libxml_gets_the_same_answer(
    alpha, pending_migration, monkeypatch
):
    # The embedded PostgreSQL of `make test`/`make run` is built without libxml:
    # query_to_xml is refused there, and the fallback must find the same schemas.
    from mentorship.organizations import migrating

    expected = lagging_schemas()
    monkeypatch.setattr(migrating, "_server_lacks_xml", [True])
    assert lagging_schemas() == expected
    assert "org_alpha" in expected
