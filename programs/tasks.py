"""Thin Celery wrappers around programs services (run per tenant via the fan-out)."""

from __future__ import annotations

from django.utils import timezone

from mentorship.celery import app
from programs.services import nudges


@app.task(name="programs.tasks.training_due_nudges_create_task")
def training_due_nudges_create_task() -> dict[str, int]:
    """Hourly, in one organization: "finish your training" digest nudges."""
    return {"created": nudges.training_due_nudges_create(now=timezone.now())}
