"""Thin Celery wrappers around reporting services (tenant-aware; see mentorship.celery)."""

from __future__ import annotations

from django.utils import timezone

from mentorship.celery import app
from programs.models import Program
from reporting.models import SurveySend
from reporting.services import assignments


@app.task(name="reporting.tasks.survey_send_deliver_task")
def survey_send_deliver_task(send_id: int) -> dict[str, int]:
    """Create the assignments of one "send now" (idempotent; safe to redeliver)."""
    send = (
        SurveySend.objects.select_related("survey__program").filter(pk=send_id).first()
    )
    if send is None:
        return {"created": 0}
    return {"created": assignments.survey_send_deliver(send=send, now=timezone.now())}


@app.task(name="reporting.tasks.survey_assignments_for_program_task")
def survey_assignments_for_program_task(program_id: int) -> dict[str, int]:
    """Assign one program's triggered surveys for its events so far (idempotent)."""
    program = Program.objects.filter(pk=program_id).first()
    if program is None:
        return {"created": 0}
    created = assignments.survey_assignments_for_program(
        program=program, now=timezone.now()
    )
    return {"created": created}


@app.task(name="reporting.tasks.survey_assignments_sweep_task")
def survey_assignments_sweep_task() -> dict[str, int]:
    """Hourly, in one organization: assignments for every program event so far."""
    return {"created": assignments.survey_assignments_sweep(now=timezone.now())}


@app.task(name="reporting.tasks.survey_reminders_create_task")
def survey_reminders_create_task() -> dict[str, int]:
    """Hourly, in one organization: digest reminders for unanswered surveys."""
    return {"created": assignments.survey_reminders_create(now=timezone.now())}
