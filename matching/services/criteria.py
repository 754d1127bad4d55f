"""A program's matching criteria: weights (0–5) and hard rules."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from matching import engine
from matching.models import MatchingCriteria
from mentorship.accounts.models import User
from programs.models import Program
from programs.services import require_manager

# A 40-hour week at most; above that nobody could qualify.
MAX_MIN_OVERLAP_HOURS = 40

EDITABLE = (
    *(f"weight_{c}" for c in engine.CRITERIA),
    "language_rule",
    "culture",
    "exclude_same_reporting_line",
    "min_score",
    "min_overlap_hours",
    "mode",
)


def criteria_ensure(*, program: Program) -> MatchingCriteria:
    """The program's criteria, created with the defaults when missing."""
    criteria, _ = MatchingCriteria.objects.get_or_create(program=program)
    return criteria


@transaction.atomic
def criteria_update(
    *, program: Program, by: User, fields: dict[str, Any]
) -> MatchingCriteria:
    """Save the coordinator's weights and rules for the program's next runs."""
    require_manager(program=program, by=by)
    criteria = (
        MatchingCriteria.objects.select_for_update().filter(program=program).first()
    )
    criteria = criteria or MatchingCriteria(program=program)
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(criteria, name, value)
    errors: dict[str, str] = {}
    for c in engine.CRITERIA:
        if not 0 <= getattr(criteria, f"weight_{c}") <= 5:
            errors[f"weight_{c}"] = "Choose a weight from 0 to 5."
    if not any(getattr(criteria, f"weight_{c}") for c in engine.CRITERIA) or (
        criteria.culture == MatchingCriteria.Culture.IGNORE
        and not any(
            getattr(criteria, f"weight_{c}") for c in engine.CRITERIA if c != "culture"
        )
    ):
        errors["weight_skills"] = "Give at least one criterion a weight above 0."
    if not 0 <= criteria.min_score <= 100:
        errors["min_score"] = "The minimum score is between 0 and 100."
    if not 0 <= criteria.min_overlap_hours <= MAX_MIN_OVERLAP_HOURS:
        errors["min_overlap_hours"] = (
            f"Shared working time is between 0 and {MAX_MIN_OVERLAP_HOURS} hours a week."
        )
    if criteria.mode not in MatchingCriteria.Mode.values:
        errors["mode"] = "Choose how pairs are formed."
    if errors:
        raise ValidationError(errors)
    criteria.save()
    return criteria
