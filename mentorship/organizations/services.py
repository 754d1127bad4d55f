"""Creating organizations: the public tenant, the template schema, and clones of it."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_context

from mentorship.organizations.models import Domain, Organization

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


def organization_domain(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def platform_ensure(*, extra_public_domains: tuple[str, ...] = ()) -> Organization:
    """Make the public tenant (the platform site) and the template schema exist.

    Idempotent; run by `make run`, the seed and the test setup.
    """
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
    template = Organization.objects.filter(
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


def template_missing_migrations() -> list[str]:
    """Tenant migrations the template schema has not applied ("app.name" strings).

    A stale template yields clones whose recorded migrations have no tables, so
    creating an organization refuses to run while this is non-empty.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_labels = {label.rsplit(".", 1)[-1] for label in settings.TENANT_APPS}
    expected = {key for key in loader.graph.nodes if key[0] in tenant_labels}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'django_migrations'",
            [settings.TENANT_BASE_SCHEMA],
        )
        if cursor.fetchone() is None:
            return sorted(f"{app}.{name}" for app, name in expected)
        cursor.execute(
            f'SELECT app, name FROM "{settings.TENANT_BASE_SCHEMA}".django_migrations'  # noqa: S608
        )
        applied = {(app, name) for app, name in cursor.fetchall()}
    return sorted(f"{app}.{name}" for app, name in expected - applied)


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
    organization = Organization(schema_name=schema_name, name=name.strip())
    organization.save(verbosity=0)  # clones org_template, fakes its migrations
    with transaction.atomic():
        domain = Domain.objects.create(
            domain=host, tenant=organization, is_primary=True
        )
    _refresh_catalog_statistics()
    return OrgCreated(organization, domain, time.perf_counter() - started)


def _refresh_catalog_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE " + ", ".join(f"pg_catalog.{table}" for table in _CLONE_CATALOGS)
        )


def primary_url(organization: Organization, path: str = "/") -> str:
    """Absolute link into an organization, for code running outside a request."""
    domain = organization.get_primary_domain()
    if domain is None:
        raise ValidationError(f"{organization} has no primary domain")
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{domain.domain}{port}{path}"


def current_primary_url(path: str = "/") -> str:
    """Absolute link into the organization whose schema is active."""
    schema_name = connection.schema_name
    with schema_context(get_public_schema_name()):
        organization = Organization.objects.get(schema_name=schema_name)
    return primary_url(organization, path)
