"""Participants: the person's profile in the organization, and its edits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from mentorship import reference
from mentorship.accounts.models import User
from mentorship.accounts.services import user_update_preferences
from programs.models import Participant

PARTICIPANT_FIELDS = (
    "title",
    "department",
    "seniority",
    "country",
    "city",
    "working_hours_start",
    "working_hours_end",
    "working_days",
    "languages",
    "skills_offered",
    "skills_wanted",
    "communication_style",
    "learning_preferences",
    "bio",
    "mentoring_capacity",
    "affiliation",
)


def participant_ensure(*, user: User) -> Participant:
    """The person's profile, created empty on first need."""
    participant, _ = Participant.objects.get_or_create(user=user)
    return participant


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    by: User,
    fields: dict[str, Any],
    time_zone: str | None = None,
    full_name: str | None = None,
    manager: Participant | None = None,
    preferred_name: str | None = None,
) -> Participant:
    """Edit a profile: the person themself, or an HR admin."""
    if by.pk != participant.user_id and not by.is_hr_admin:
        raise PermissionDenied("You can only edit your own profile.")
    unknown = set(fields) - set(PARTICIPANT_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown profile fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(participant, name, value)
    participant.skills_offered = reference.skills_normalize(participant.skills_offered)
    participant.skills_wanted = reference.skills_normalize(participant.skills_wanted)
    participant.working_days = sorted(set(participant.working_days))
    if manager is not None:
        participant.manager = manager
    participant.full_clean()
    participant.save()
    if time_zone is not None or full_name is not None or preferred_name is not None:
        user = participant.user
        user_update_preferences(
            user=user,
            time_zone=time_zone if time_zone is not None else user.time_zone,
            full_name=full_name if full_name is not None else user.full_name,
            preferred_name=preferred_name,
        )
    return participant
