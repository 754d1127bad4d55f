"""Mentees naming the mentors they'd like, before matching (where the program lets
them). Stated preferences are scored by the run (the ``preference`` criterion,
``matching.selectors.input._preferred``); they are never a guarantee."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from matching.models import Match, MentorPreference
from mentorship.accounts.models import User
from programs.models import Enrollment, Program

# While a mentee may still change their mind: before the pairs are made.
CHOOSING_STATUSES = (Program.Status.ENROLLING, Program.Status.MATCHING)
CHOOSING_ENROLLMENTS = (Enrollment.Status.APPLIED, Enrollment.Status.APPROVED)


def mentor_choice_refusal(*, mentee: Enrollment) -> str:
    """Why ``mentee`` may not name mentors now ("" when they may)."""
    program = mentee.program
    if not program.mentor_choices_limit:
        return "This program doesn't ask mentees to name mentors."
    if program.status not in CHOOSING_STATUSES:
        return "Mentors can be named only before matching is done."
    if mentee.status not in CHOOSING_ENROLLMENTS:
        return "Only mentees taking part in the program can name mentors."
    if Match.objects.filter(
        mentee=mentee,
        status__in=Match.LIVE,
    ).exists():
        return "You already have a match in this program."
    return ""


@transaction.atomic
def mentor_preferences_set(
    *, mentee: Enrollment, by: User, mentor_ids: Collection[int]
) -> list[MentorPreference]:
    """Replace the mentors ``mentee`` would like (enrolment ids of approved mentors
    of the same program, at most the program's ``mentor_choices_limit``).

    Raises PermissionDenied unless ``by`` is the mentee; ValidationError when the
    program doesn't allow it now, or for too many or unknown mentors.
    """
    if mentee.participant.user_id != by.pk or mentee.role != "mentee":
        raise PermissionDenied("Only the mentee names their mentors.")
    refusal = mentor_choice_refusal(mentee=mentee)
    if refusal:
        raise ValidationError(refusal)
    wanted = set(mentor_ids)
    limit = mentee.program.mentor_choices_limit
    if len(wanted) > limit:
        raise ValidationError(f"Pick up to {limit} mentor{'s' if limit != 1 else ''}.")
    valid = set(
        Enrollment.objects.filter(
            pk__in=wanted,
            program_id=mentee.program_id,
            role="mentor",
            status=Enrollment.Status.APPROVED,
        )
        .exclude(participant_id=mentee.participant_id)
        .values_list("pk", flat=True)
    )
    if valid != wanted:
        raise ValidationError("Pick mentors from this program's list.")
    MentorPreference.objects.filter(mentee=mentee).exclude(
        mentor_id__in=wanted
    ).delete()
    have = set(
        MentorPreference.objects.filter(mentee=mentee).values_list(
            "mentor_id", flat=True
        )
    )
    MentorPreference.objects.bulk_create(
        [MentorPreference(mentee=mentee, mentor_id=pk) for pk in wanted - have]
    )
    return list(MentorPreference.objects.filter(mentee=mentee))
