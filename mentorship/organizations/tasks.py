"""Periodic fan-out: one public-schema dispatcher enqueues one task per live tenant."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from mentorship.celery import app
from mentorship.organizations.models import Organization


def live_schema_names() -> list[str]:
    return list(
        Organization.objects.filter(is_active=True, is_template=False)
        .exclude(schema_name="public")
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )


@app.task(name="mentorship.organizations.tasks.tenant_fan_out_task")
def tenant_fan_out_task(task_name: str) -> dict[str, object]:
    """Enqueue `task_name` once per live tenant, inside that tenant's schema."""
    schemas = live_schema_names()
    # Spread tenants over a few seconds so they don't all fire in the same instant
    # (short countdowns only: long ETAs outlive Redis' visibility timeout).
    step = settings.TENANT_FAN_OUT_SPREAD_SECONDS / max(len(schemas), 1)
    task_ids = []
    for index, schema_name in enumerate(schemas):
        with schema_context(schema_name):
            result = app.send_task(task_name, countdown=round(index * step, 2))
            task_ids.append(result.id)
    return {"tenants": len(schemas), "task_ids": task_ids}


@app.task(name="mentorship.organizations.tasks.tenant_heartbeat_task")
def tenant_heartbeat_task() -> dict[str, object]:
    """Proves the schema travels with the task; cheap enough to run every minute."""
    from mentorship.accounts.models import User

    return {"schema": connection.schema_name, "users": User.objects.count()}  # type: ignore[attr-defined]


@app.task(name="mentorship.organizations.tasks.spare_pool_fill_task")
def spare_pool_fill_task() -> dict[str, int]:
    from mentorship.organizations.services import spare_pool_fill

    return {"cloned": spare_pool_fill()}
