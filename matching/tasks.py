"""Thin Celery wrappers around the matching services."""

from __future__ import annotations

from matching import services
from mentorship.celery import app


@app.task(name="matching.tasks.match_run_execute_task", acks_late=True)
def match_run_execute_task(run_id: int) -> dict[str, object]:
    """Execute a large run in a worker; a redelivered message finds it claimed."""
    run = services.match_run_execute(run_id=run_id)
    return {"run": run.pk, "status": run.status, "matched": run.matched_count}
