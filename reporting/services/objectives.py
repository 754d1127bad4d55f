"""Objective measures: how each program objective is measured, and its target."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from mentorship.accounts.models import User
from programs.models import ProgramObjective
from programs.selectors import program_is_managed_by
from reporting.models import ObjectiveMeasure

MEASURE_FIELDS = (
    "source",
    "question_key",
    "survey_kind",
    "role",
    "threshold",
    "metric",
    "comparison",
    "target",
)


@transaction.atomic
def objective_measure_save(
    *, objective: ProgramObjective, by: User, fields: dict[str, Any] | None
) -> ObjectiveMeasure | None:
    """Set (``fields``) or remove (None) the measure of ``objective``.

    Raises PermissionDenied unless ``by`` manages the program, ValidationError for
    an incomplete measure (question without key or threshold, metric unnamed).
    """
    if not program_is_managed_by(program=objective.program, user=by):
        raise PermissionDenied("Only the program's coordinators can set its measures.")
    if fields is None:
        ObjectiveMeasure.objects.filter(objective=objective).delete()
        return None
    measure = ObjectiveMeasure.objects.filter(objective=objective).first()
    measure = measure or ObjectiveMeasure(objective=objective)
    for name in MEASURE_FIELDS:
        setattr(measure, name, fields.get(name, getattr(measure, name)))
    if measure.source == ObjectiveMeasure.Source.QUESTION:
        measure.metric = ""
    else:
        measure.question_key, measure.threshold = "", None
    measure.full_clean()
    measure.save()
    return measure
