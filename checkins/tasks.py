"""Thin Celery wrappers around check-in services (run per tenant via the fan-out)."""

from __future__ import annotations

from django.utils import timezone

from checkins import services
from mentorship.celery import app


@app.task(name="checkins.tasks.checkins_nudges_create_task")
def checkins_nudges_create_task() -> dict[str, int]:
    """Hourly, in one organization: "you're due to meet" digest nudges."""
    return {"created": services.checkins_nudges_create(now=timezone.now())}


@app.task(name="checkins.tasks.coordinator_risk_digest_create_task")
def coordinator_risk_digest_create_task() -> dict[str, int]:
    """Hourly, in one organization: the coordinators' weekly at-risk digest."""
    return {"created": services.coordinator_risk_digest_create(now=timezone.now())}
