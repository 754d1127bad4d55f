"""Shared fixtures: three organizations made once per test session (cloned from the
template schema), the same cast of personas in each, and clients bound to a host."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import setup_databases
from django_tenants.utils import schema_context

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from mentorship.organizations.migrating import lagging_schemas
from mentorship.organizations.models import Organization
from mentorship.organizations.services import org_create, platform_ensure

TENANT_SLUGS = ("alpha", "beta", "gamma")
PASSWORD = "correct-horse-battery-staple"

# email local part -> (role, full name, time zone)
PERSONAS = {
    "hradmin": (User.Role.HR_ADMIN, "Hanna Admin", "Europe/Warsaw"),
    "coordinator": (User.Role.COORDINATOR, "Carlos Coordinator", "America/Chicago"),
    "coordinator2": (User.Role.COORDINATOR, "Chloe Coordinator", "Europe/London"),
    "mentor": (User.Role.MEMBER, "Minh Mentor", "Asia/Ho_Chi_Minh"),
    "mentee": (User.Role.MEMBER, "Priya Mentee", "Asia/Kolkata"),
}


def persona_email(persona: str, slug: str) -> str:
    return f"{persona}@{slug}.example"


def sentinel(slug: str) -> str:
    """Marker text seeded in each tenant; leak tests look for foreign ones."""
    return f"SNT-{slug}-marker"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    with django_db_blocker.unblock():
        if not connection.settings_dict["NAME"].startswith("test_"):
            # pytest-django sets up the test database only when a collected test asks
            # for `db`; browser tests run alone don't, and would otherwise seed (and
            # serve) the development database.
            setup_databases(
                verbosity=0,
                interactive=False,
                aliases={"default"},
                keepdb=django_db_keepdb and not django_db_createdb,
            )
        platform_ensure()
        for slug in TENANT_SLUGS:
            schema = f"org_{slug}"
            if not Organization.objects.filter(schema_name=schema).exists():
                org_create(slug=slug, name=f"{slug.title()} Org {sentinel(slug)}")
            with schema_context(schema):
                for persona, (role, name, zone) in PERSONAS.items():
                    email = persona_email(persona, slug)
                    if not User.objects.filter(email=email).exists():
                        user_create(
                            email=email,
                            password=PASSWORD,
                            full_name=f"{name} {sentinel(slug)}",
                            role=role,
                            time_zone=zone,
                            verified=True,
                        )
        connection.set_schema_to_public()
        # The 503 check for lagging organizations asks about each one once per
        # process: ask now, so that no test's query count includes it.
        lagging_schemas()


@dataclass
class TenantWorld:
    organization: Organization
    slug: str
    host: str

    def activate(self) -> None:
        connection.set_tenant(self.organization)

    def user(self, persona: str) -> User:
        self.activate()
        return User.objects.get(email=persona_email(persona, self.slug))

    def client(self, persona: str | None = None) -> Client:
        client = Client(HTTP_HOST=self.host)
        if persona is not None:
            client.force_login(self.user(persona))
        return client


def _world(slug: str) -> TenantWorld:
    organization = Organization.objects.get(schema_name=f"org_{slug}")
    connection.set_tenant(organization)
    return TenantWorld(organization, slug, f"{slug}.localhost")


@pytest.fixture
def alpha(db):
    world = _world("alpha")
    yield world
    connection.set_schema_to_public()


@pytest.fixture
def beta(db):
    world = _world("beta")
    connection.set_tenant(Organization.objects.get(schema_name="org_alpha"))
    yield world
    connection.set_schema_to_public()


@pytest.fixture
def hr_admin(alpha):
    return alpha.user("hradmin")


@pytest.fixture
def coordinator(alpha):
    return alpha.user("coordinator")


@pytest.fixture
def mentor(alpha):
    return alpha.user("mentor")


@pytest.fixture
def mentee(alpha):
    return alpha.user("mentee")


def pytest_terminal_summary(terminalreporter):
    """The permission sweep's coverage (tests/security/), when it was part of the run."""
    ran = any(
        "tests/security/" in getattr(report, "nodeid", "")
        or getattr(report, "nodeid", "").startswith("security/")
        for reports in terminalreporter.stats.values()
        for report in reports
    )
    if ran:
        from tests.security.routes import coverage_line

        terminalreporter.write_line(coverage_line())
