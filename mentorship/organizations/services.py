"""Creating organizations: the public tenant, the template schema, and clones of it."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_public_schema_name, schema_context, schema_exists

from mentorship.organizations.migrating import remember_current
from mentorship.organizations.models import Domain, Organization, SpareSchema

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,40}$")
RESERVED_SLUGS = {
    "www",
    "admin",
    "api",
    "public",
    "static",
    "media",
    "mail",
    "template",
}
# Statistics on these catalogs decide how fast clone_schema() plans its queries; left
# stale they let a single clone take 15-20 s once a few hundred schemas exist.
_CLONE_CATALOGS = (
    "pg_class",
    "pg_attribute",
    "pg_constraint",
    "pg_depend",
    "pg_namespace",
    "pg_index",
    "pg_type",
    "pg_attrdef",
    "pg_sequence",
    "pg_proc",
)


@dataclass(frozen=True)
class OrgCreated:
    organization: Organization
    domain: Domain
    seconds: float
    from_spare: bool


def organization_domain(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def platform_ensure(*, extra_public_domains: tuple[str, ...] = ()) -> Organization:
    """Make the public tenant (the platform site) and the template schema exist.

    Idempotent; run by `make run`, the seed and the test setup.
    """
    public: Organization
    public, _ = Organization.objects.get_or_create(
        schema_name=get_public_schema_name(), defaults={"name": "Platform"}
    )
    for index, host in enumerate((settings.BASE_DOMAIN, *extra_public_domains)):
        Domain.objects.get_or_create(
            domain=host, defaults={"tenant": public, "is_primary": index == 0}
        )
    template_ensure()
    return public


def template_ensure() -> Organization:
    """The template tenant is built once by running migrations; clones copy it."""
    template: Organization | None = Organization.objects.filter(
        schema_name=settings.TENANT_BASE_SCHEMA
    ).first()
    if template is None:
        template = Organization(
            schema_name=settings.TENANT_BASE_SCHEMA,
            name="Template (never served)",
            is_template=True,
            is_active=False,
        )
        # Base schema missing, so django-tenants migrates it instead of cloning.
        template.save(verbosity=0)
    return template


@cache
def _expected_tenant_migrations() -> frozenset[tuple[str, str]]:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {label.rsplit(".", 1)[-1] for label in settings.TENANT_APPS}
    return frozenset(key for key in loader.graph.nodes if key[0] in tenant_labels)


def schema_missing_migrations(schema_name: str) -> list[str]:
    """Tenant migrations the schema has not recorded as applied ("app.name" strings)."""
    expected = _expected_tenant_migrations()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'django_migrations'",
            [schema_name],
        )
        if cursor.fetchone() is None:
            return sorted(f"{app}.{name}" for app, name in expected)
        cursor.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')  # noqa: S608
        applied = {(app, name) for app, name in cursor.fetchall()}
    return sorted(f"{app}.{name}" for app, name in expected - applied)


def template_missing_migrations() -> list[str]:
    """Migrations the template lacks. A stale template yields clones whose recorded
    migrations have no tables, so creating an organization refuses while this is
    non-empty (and `manage.py check_template` fails)."""
    return schema_missing_migrations(settings.TENANT_BASE_SCHEMA)


def org_create(*, slug: str, name: str) -> OrgCreated:
    """Create an organization and its primary domain by cloning the template schema."""
    slug = slug.strip().lower()
    if (
        not SLUG_RE.match(slug)
        or slug in RESERVED_SLUGS
        or slug.startswith("org-template")
    ):
        raise ValidationError(
            "The slug must be 2-41 lowercase letters, digits or dashes, start with a "
            "letter, and not be a reserved word."
        )
    if not name.strip():
        raise ValidationError("The organization needs a name.")
    schema_name = "org_" + slug.replace("-", "_")
    host = organization_domain(slug)
    if Organization.objects.filter(schema_name=schema_name).exists():
        raise ValidationError(f"An organization with the slug {slug!r} already exists.")
    if Domain.objects.filter(domain=host).exists():
        raise ValidationError(f"The domain {host} is already taken.")
    template_ensure()
    missing = template_missing_migrations()
    if missing:
        raise ValidationError(
            "The template schema lags behind the code (missing: "
            + ", ".join(missing[:5])
            + "). Run `manage.py migrate_schemas` first."
        )

    started = time.perf_counter()
    with transaction.atomic():
        spare_name = _spare_take()
        if spare_name is not None:
            with connection.cursor() as cursor:
                cursor.execute(f'ALTER SCHEMA "{spare_name}" RENAME TO "{schema_name}"')
        else:
            # Autovacuum never analyzes the catalogs here (measured): without this,
            # clones took 8-20 s each past ~120 tenants.
            catalog_statistics_refresh()
        organization = Organization(schema_name=schema_name, name=name.strip())
        # With a spare renamed into place the schema exists and nothing is cloned;
        # otherwise django-tenants clones org_template now and fakes its migrations.
        organization.save(verbosity=0)
        domain = Domain.objects.create(
            domain=host, tenant=organization, is_primary=True
        )
        transaction.on_commit(_enqueue_spare_pool_fill)
    # A copy of the current template: no need for the 503 check to ask about it.
    remember_current(schema_name)
    return OrgCreated(
        organization, domain, time.perf_counter() - started, spare_name is not None
    )


def _spare_take() -> str | None:
    """Claim one current spare (inside the caller's transaction), or None."""
    while True:
        spare = SpareSchema.objects.select_for_update(skip_locked=True).first()
        if spare is None:
            return None
        spare.delete()
        if schema_missing_migrations(spare.schema_name):
            # Cloned before the last migration: never hand out a stale schema.
            _drop_schema(spare.schema_name)
            continue
        return spare.schema_name


def spare_pool_fill(*, size: int | None = None) -> int:
    """Clone the template until `size` current spares wait; drop stale and extra ones.

    Runs in the background after each creation (and from `setup_platform`), so the
    slow clone is never on the path of someone waiting for their organization.
    Returns how many it cloned.
    """
    size = settings.TENANT_SPARE_POOL_SIZE if size is None else size
    template_ensure()
    if template_missing_migrations():
        return 0
    for spare in SpareSchema.objects.all():
        if schema_missing_migrations(spare.schema_name):
            _spare_discard(spare)
    for spare in SpareSchema.objects.order_by("-created_at")[size:]:
        _spare_discard(spare)
    cloned = 0
    catalog_statistics_refresh()
    while SpareSchema.objects.count() < size:
        spare_name = f"spare_{secrets.token_hex(6)}"
        with transaction.atomic():
            CloneSchema().clone_schema(settings.TENANT_BASE_SCHEMA, spare_name)
            SpareSchema.objects.create(schema_name=spare_name)
        cloned += 1
    catalog_statistics_refresh()
    return cloned


@transaction.atomic
def _spare_discard(spare: SpareSchema) -> None:
    # Only the caller that deleted the row drops the schema (a racing org_create
    # may have taken it first).
    if SpareSchema.objects.filter(pk=spare.pk).delete()[0]:
        _drop_schema(spare.schema_name)


def _enqueue_spare_pool_fill() -> None:
    if settings.TENANT_SPARE_POOL_SIZE:
        from mentorship.organizations import tasks

        tasks.spare_pool_fill_task.delay()


def _drop_schema(schema_name: str) -> None:
    if schema_exists(schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema_name}" CASCADE')


def catalog_statistics_refresh(*, stale_fraction: float = 0.1) -> list[str]:
    """ANALYZE the catalogs clone_schema() reads, once they changed by `stale_fraction`.

    Stale statistics let a single clone take 15-20 s at a few hundred tenants; an
    ANALYZE every time costs ~0.35 s at 100 tenants, so only when it is due.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.relname FROM pg_stat_sys_tables s JOIN pg_class c ON c.oid = s.relid "
            "WHERE s.schemaname = 'pg_catalog' AND s.relname = ANY(%s) "
            "AND (s.last_analyze IS NULL AND s.last_autoanalyze IS NULL "
            "     OR s.n_mod_since_analyze > %s * GREATEST(c.reltuples, 100))",
            [list(_CLONE_CATALOGS), stale_fraction],
        )
        stale = [row[0] for row in cursor.fetchall()]
        if stale:
            cursor.execute(
                "ANALYZE " + ", ".join(f"pg_catalog.{name}" for name in stale)
            )
    return stale


def primary_url(organization: Organization, path: str = "/") -> str:
    """Absolute link into an organization, for code running outside a request."""
    domain = organization.get_primary_domain()
    if domain is None:
        raise ValidationError(f"{organization} has no primary domain")
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain.domain}{port}{path}"


def current_primary_url(path: str = "/") -> str:
    """Absolute link into the organization whose schema is active."""
    schema_name = connection.schema_name  # type: ignore[attr-defined]
    with schema_context(get_public_schema_name()):
        organization = Organization.objects.get(schema_name=schema_name)
    return primary_url(organization, path)
