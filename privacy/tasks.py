"""Thin Celery wrappers around privacy services (tenant-aware; see mentorship.celery)."""

from __future__ import annotations

from django.utils import timezone

from mentorship.celery import app
from privacy.services import exports, retention


@app.task(name="privacy.tasks.retention_run_task")
def retention_run_task() -> dict[str, int]:
    """Daily, in one organization: anonymise what the retention period says is due,
    and delete expired data exports (idempotent)."""
    now = timezone.now()
    done = retention.retention_run(now=now)
    done["exports_expired"] = exports.data_exports_expire(now=now)
    return done


@app.task(name="privacy.tasks.data_export_build_task")
def data_export_build_task(export_id: int) -> dict[str, object]:
    """Build one person's ZIP and email them the link (idempotent: a built export
    is left alone)."""
    return {
        "status": exports.data_export_build(export_id=export_id, now=timezone.now())
    }
