import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from mentorship.accounts.models import User
from mentorship.organizations.models import Domain, Organization
from mentorship.organizations.services import (
    org_create,
    template_missing_migrations,
)


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s",
            [schema],
        )
        return {row[0] for row in cursor.fetchall()}


def test_clones_template_with_every_table(db):
    created = org_create(slug="delta", name="Delta Co")

    assert created.organization.schema_name == "org_delta"
    assert created.domain.domain == "delta.localhost"
    assert created.domain.is_primary
    assert _tables("org_delta") == _tables("org_template")
    assert "accounts_user" in _tables("org_delta")
    with schema_context("org_delta"):
        # Recorded migrations match the template's: nothing recorded without its table.
        assert User.objects.count() == 0


def test_rejects_bad_and_taken_slugs(db):
    for slug in ["", "A", "1abc", "has space", "admin", "x" * 60]:
        with pytest.raises(ValidationError):
            org_create(slug=slug, name="Bad")
    with pytest.raises(ValidationError, match="already exists"):
        org_create(slug="alpha", name="Second alpha")
    assert not Organization.objects.filter(name="Bad").exists()


def test_refuses_to_clone_a_stale_template(db):
    # given: the template lost a migration (as if migrate_schemas skipped it)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM org_template.django_migrations "
            "WHERE app = 'notifications' AND name = '0001_initial'"
        )
    # then: the check names it and creation refuses, leaving nothing behind
    assert template_missing_migrations() == ["notifications.0001_initial"]
    with pytest.raises(ValidationError, match="template schema lags"):
        org_create(slug="stale", name="Stale")
    assert not Domain.objects.filter(domain="stale.localhost").exists()
    with pytest.raises(CommandError, match="missing 1 migration"):
        call_command("check_template")


def test_command_creates_org_with_hr_admin(db, capsys):
    call_command(
        "create_org", "epsilon", name="Epsilon", admin_email="Boss@Epsilon.example"
    )

    assert "epsilon.localhost" in capsys.readouterr().out
    with schema_context("org_epsilon"):
        admin = User.objects.get()
        assert admin.email == "boss@epsilon.example"
        assert admin.is_hr_admin
        assert admin.is_staff
        assert not admin.has_usable_password()


def test_command_reports_bad_input_without_traceback(db):
    with pytest.raises(CommandError, match="slug"):
        call_command("create_org", "Bad Slug", name="X", admin_email="a@b.example")


def test_takes_a_ready_spare_and_refills_in_the_background(db, django_capture_on_commit_callbacks):
    from mentorship.organizations.models import SpareSchema
    from mentorship.organizations.services import spare_pool_fill

    # given: one spare cloned ahead of time
    assert spare_pool_fill(size=1) == 1
    spare_name = SpareSchema.objects.get().schema_name
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        created = org_create(slug="zeta", name="Zeta")
    # then: the spare became the organization, with every table, and a refill is queued
    assert created.from_spare
    assert not SpareSchema.objects.exists()
    assert _tables("org_zeta") == _tables("org_template")
    assert spare_name not in _schemas()
    assert len(callbacks) == 1


def test_a_stale_spare_is_dropped_not_handed_out(db):
    from mentorship.organizations.models import SpareSchema
    from mentorship.organizations.services import spare_pool_fill

    spare_pool_fill(size=1)
    spare_name = SpareSchema.objects.get().schema_name
    with connection.cursor() as cursor:
        cursor.execute(f'DELETE FROM "{spare_name}".django_migrations WHERE app = %s', ["accounts"])

    created = org_create(slug="eta", name="Eta")

    assert not created.from_spare
    assert spare_name not in _schemas()
    assert _tables("org_eta") == _tables("org_template")


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}
