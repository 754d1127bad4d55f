"""The sweep's world, seeded once per module in alpha and beta inside a transaction
that is rolled back at the end (nothing stays for other tests)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.test import Client

from mentorship.organizations.models import Organization
from tests.security.url_roles import ALIEN, HR
from tests.security.world import (
    FOREIGN_ID_FLOOR,
    Secrets,
    TenantWorldIds,
    content_type_id,
    push_ids_past,
    seed_tenant,
)


@dataclass
class SweepWorld:
    alpha: TenantWorldIds
    beta: TenantWorldIds
    alpha_secrets: Secrets
    beta_secrets: Secrets
    sessions: dict[str, str]  # role -> session key valid on alpha (alien: on beta)
    admin_fallback: dict[tuple[str, str], int]
    content_type_id: int


def _session(host: str, user) -> str:
    client = Client(HTTP_HOST=host)
    client.force_login(user)
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _first_rows() -> dict[tuple[str, str], int]:
    """Some row of every admin model the world does not seed (for new models)."""
    rows = {}
    for model in admin.site._registry:
        key = (model._meta.app_label, model._meta.model_name)
        try:
            with transaction.atomic():
                pk = model.objects.order_by("pk").values_list("pk", flat=True).first()
        except Exception:  # noqa: BLE001  (a public-only table is absent here)
            pk = None
        if pk is not None:
            rows[key] = pk
    return rows


@pytest.fixture(scope="module")
def sweep_world(django_db_setup, django_db_blocker):
    organizations = {}
    with django_db_blocker.unblock():
        for slug in ("alpha", "beta"):
            organizations[slug] = Organization.objects.get(schema_name=f"org_{slug}")
        files: dict[str, list[str]] = {}
        with transaction.atomic():
            connection.set_tenant(organizations["beta"])
            push_ids_past(FOREIGN_ID_FLOOR)
            beta, beta_secrets = seed_tenant("beta")
            # beta's personas (and so their admin rows) predate the push: point the
            # admin's foreign ids past the floor, at rows that exist nowhere.
            for model, pk in beta.home.admin.items():
                if pk < FOREIGN_ID_FLOOR:
                    beta.home.admin[model] = FOREIGN_ID_FLOOR - 1
            files["beta"] = beta.files
            alien = _session("beta.localhost", beta.users[HR])
            connection.set_tenant(organizations["alpha"])
            alpha, alpha_secrets = seed_tenant("alpha")
            files["alpha"] = alpha.files
            sessions = {
                role: _session("alpha.localhost", user)
                for role, user in alpha.users.items()
            }
            sessions[ALIEN] = alien
            fallback = _first_rows()
            yield SweepWorld(
                alpha,
                beta,
                alpha_secrets,
                beta_secrets,
                sessions,
                {**fallback, **alpha.home.admin},
                content_type_id(),
            )
            transaction.set_rollback(True)
        for slug, names in files.items():
            connection.set_tenant(organizations[slug])
            for name in names:
                default_storage.delete(name)
        connection.set_schema_to_public()
