"""Enrolments: applying and withdrawing, accepting an import's invitation, the
coordinator's decisions (one or many at once), training completion, and completing
them when a program closes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.audit.services import consent_record
from programs.models import (
    ApplicationQuestion,
    Enrollment,
    Participant,
    Program,
    ProgramRole,
    TrainingCompletion,
    TrainingModule,
)
from programs.selectors import local_today
from programs.services._common import require_manager


def _answers_clean(
    *, program: Program, role: str, answers: dict[str, Any]
) -> dict[str, Any]:
    """Answers keyed by str(question id), checked against the role's questions."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in program.questions.all():
        if not question.is_for(role):
            continue
        key = str(question.id)
        value = answers.get(key)
        if question.kind == ApplicationQuestion.Kind.MULTI_CHOICE:
            values = [value] if isinstance(value, str) else list(value or [])
            values = [v.strip() for v in values if isinstance(v, str) and v.strip()]
            if any(v not in question.choices for v in values):
                errors[key] = "Choose from the options given."
            elif question.required and not values:
                errors[key] = "Choose at least one."
            else:
                cleaned[key] = values
            continue
        text = value.strip() if isinstance(value, str) else ""
        limit = 300 if question.kind == ApplicationQuestion.Kind.SHORT_TEXT else 5000
        is_single = question.kind == ApplicationQuestion.Kind.SINGLE_CHOICE
        if is_single and text and text not in question.choices:
            errors[key] = "Choose one of the options given."
            continue
        if question.required and not text:
            errors[key] = "This question needs an answer."
        elif len(text) > limit:
            errors[key] = f"Keep it under {limit} characters."
        else:
            cleaned[key] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


def _mentee_places_taken(program: Program) -> int:
    """Places held by mentees who are in, applied, or invited (an import's)."""
    return program.enrollments.filter(
        role=ProgramRole.MENTEE,
        status__in=[
            Enrollment.Status.INVITED,
            Enrollment.Status.APPLIED,
            Enrollment.Status.APPROVED,
        ],
    ).count()


@transaction.atomic
def enrollment_apply(
    *,
    participant: Participant,
    program: Program,
    role: str,
    answers: dict[str, Any],
    agreed: bool,
) -> Enrollment:
    """Apply to an enrolling program. Mentees beyond the program's capacity (counting
    pending applications and approvals) are waitlisted. A withdrawn application may
    be made again; a declined one may not."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if role not in ProgramRole.values:
        raise ValidationError(f"{role!r} is not a role in a program.")
    if not program.is_enrollment_open_on(local_today(user=participant.user)):
        raise ValidationError(f"{program.name} is not taking applications right now.")
    if program.confidentiality_agreement.strip() and not agreed:
        raise ValidationError(
            {"agreed": "Accept the confidentiality agreement to apply."}
        )
    cleaned = _answers_clean(program=program, role=role, answers=answers)
    enrollment = Enrollment.objects.filter(
        participant=participant, program=program, role=role
    ).first()
    if enrollment is not None and enrollment.status != Enrollment.Status.WITHDRAWN:
        raise ValidationError(
            f"You have already applied as a {role} "
            f"({enrollment.get_status_display().lower()})."
        )
    status = Enrollment.Status.APPLIED
    if (
        role == ProgramRole.MENTEE
        and program.mentee_capacity is not None
        and _mentee_places_taken(program) >= program.mentee_capacity
    ):
        status = Enrollment.Status.WAITLISTED
    enrollment = enrollment or Enrollment(
        participant=participant, program=program, role=role
    )
    enrollment.status = status
    enrollment.answers = cleaned
    enrollment.agreed_at = timezone.now() if agreed else None
    enrollment.decided_by = None
    enrollment.decided_at = None
    enrollment.save()
    _agreement_consent_record(enrollment, agreed=agreed)
    return enrollment


def _own_enrollment_locked(
    enrollment: Enrollment, by: User, refusal: str
) -> Enrollment:
    """The row, locked for update, if it is ``by``'s own; PermissionDenied otherwise."""
    enrollment = (
        Enrollment.objects.select_for_update()
        .select_related("participant")
        .get(pk=enrollment.pk)
    )
    if enrollment.participant.user_id != by.pk:
        raise PermissionDenied(refusal)
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, by: User) -> Enrollment:
    """The participant takes their application (or place) back."""
    enrollment = _own_enrollment_locked(
        enrollment, by, "Only the applicant can withdraw an application."
    )
    if enrollment.status not in (
        Enrollment.Status.INVITED,
        Enrollment.Status.APPLIED,
        Enrollment.Status.APPROVED,
        Enrollment.Status.WAITLISTED,
    ):
        raise ValidationError(
            f"A {enrollment.get_status_display().lower()} application cannot be withdrawn."
        )
    enrollment.status = Enrollment.Status.WITHDRAWN
    enrollment.save(update_fields=["status", "updated_at"])
    return enrollment


class Decision:
    APPROVE = "approve"
    WAITLIST = "waitlist"
    DECLINE = "decline"

    TARGETS = {
        APPROVE: Enrollment.Status.APPROVED,
        WAITLIST: Enrollment.Status.WAITLISTED,
        DECLINE: Enrollment.Status.DECLINED,
    }
    CHOICES = [(APPROVE, "Approve"), (WAITLIST, "Waitlist"), (DECLINE, "Decline")]


_DECIDABLE = {
    Enrollment.Status.APPLIED,
    Enrollment.Status.APPROVED,
    Enrollment.Status.WAITLISTED,
    Enrollment.Status.DECLINED,
}


@dataclass(frozen=True)
class Skipped:
    """A row a bulk decision left alone, and why (a sentence for the page)."""

    enrollment: Enrollment
    reason: str


@dataclass
class BulkDecision:
    """What a bulk decision did: ``decided`` rows (including those already in the
    target status) and ``skipped`` ones with their reason, each in id order."""

    decided: list[Enrollment]
    skipped: list[Skipped]


def _stuck_reason(row: Enrollment) -> str:
    if row.status == Enrollment.Status.INVITED:
        return "invited: they answer their invitation themselves"
    return f"{row.get_status_display().lower()}: can't be decided any more"


@transaction.atomic
def enrollment_bulk_decide(
    *, enrollments: list[Enrollment], decision: str, by: User
) -> BulkDecision:
    """Approve, waitlist or decline many applications at once: every row that
    allows it is decided, the others are reported row by row (never all or none).

    Rows already in the target status count as decided and are left alone.
    Withdrawn or completed rows and invitations are skipped; approving mentees
    past the program's capacity approves them in id order while places last and
    skips the rest with the numbers.
    """
    if decision not in Decision.TARGETS:
        raise ValidationError(f"{decision!r} is not a decision.")
    target = Decision.TARGETS[decision]
    ids = [enrollment.pk for enrollment in enrollments]
    rows = list(
        Enrollment.objects.select_for_update()
        .filter(pk__in=ids)
        .select_related("program", "participant__user")
        .order_by("id")
    )
    programs = {row.program_id: row.program for row in rows}
    for program in programs.values():
        require_manager(program=program, by=by)
    # Capacity is counted under the program's lock, so two coordinators approving
    # at once cannot both take the last place.
    list(Program.objects.select_for_update().filter(pk__in=list(programs)))
    skipped = [
        Skipped(row, _stuck_reason(row)) for row in rows if row.status not in _DECIDABLE
    ]
    changing = [
        row for row in rows if row.status in _DECIDABLE and row.status != target
    ]
    if target == Enrollment.Status.APPROVED:
        full = _beyond_capacity(programs, changing)
        skipped += full
        changing = [row for row in changing if row not in {s.enrollment for s in full}]
    now = timezone.now()
    Enrollment.objects.filter(pk__in=[row.pk for row in changing]).update(
        status=target, decided_by=by, decided_at=now, updated_at=now
    )
    for row in changing:
        row.status, row.decided_by, row.decided_at = target, by, now
    left_out = {s.enrollment.pk for s in skipped}
    return BulkDecision(
        decided=[row for row in rows if row.pk not in left_out],
        skipped=sorted(skipped, key=lambda s: s.enrollment.pk),
    )


def _beyond_capacity(
    programs: dict[int, Program], changing: list[Enrollment]
) -> list[Skipped]:
    """The mentees (in id order) that approving would take past each program's
    capacity: 1 query per program with a capacity and mentees to approve."""
    skipped = []
    for program in programs.values():
        adding = [
            row
            for row in changing
            if row.program_id == program.pk and row.role == ProgramRole.MENTEE
        ]
        if program.mentee_capacity is None or not adding:
            continue
        approved = program.enrollments.filter(
            role=ProgramRole.MENTEE, status=Enrollment.Status.APPROVED
        ).count()
        room = max(0, program.mentee_capacity - approved)
        reason = (
            f"no mentee place left: {program.name} takes "
            f"{program.mentee_capacity} mentees"
        )
        skipped += [Skipped(row, reason) for row in adding[room:]]
    return skipped


def _decide_one(enrollment: Enrollment, decision: str, by: User) -> Enrollment:
    """One decision; its reason as a ValidationError if the row doesn't allow it."""
    result = enrollment_bulk_decide(enrollments=[enrollment], decision=decision, by=by)
    if result.skipped:
        raise ValidationError(
            f"{enrollment.participant.user}: {result.skipped[0].reason}."
        )
    return result.decided[0]


def enrollment_approve(*, enrollment: Enrollment, by: User) -> Enrollment:
    return _decide_one(enrollment, Decision.APPROVE, by)


def enrollment_waitlist(*, enrollment: Enrollment, by: User) -> Enrollment:
    return _decide_one(enrollment, Decision.WAITLIST, by)


def enrollment_decline(*, enrollment: Enrollment, by: User) -> Enrollment:
    return _decide_one(enrollment, Decision.DECLINE, by)


@transaction.atomic
def training_completion_set(
    *, enrollment: Enrollment, module: TrainingModule, is_done: bool, by: User
) -> Enrollment:
    """Tick or untick a training module for one's own approved enrolment."""
    if enrollment.participant.user_id != by.pk:
        raise PermissionDenied("You can only record your own training.")
    if module.program_id != enrollment.program_id or not module.is_for(enrollment.role):
        raise ValidationError("This module is not part of your program's training.")
    if enrollment.status != Enrollment.Status.APPROVED:
        raise ValidationError("Training opens once your application is approved.")
    if is_done:
        TrainingCompletion.objects.get_or_create(
            enrollment=enrollment,
            module=module,
            defaults={"completed_at": timezone.now()},
        )
    else:
        TrainingCompletion.objects.filter(enrollment=enrollment, module=module).delete()
    return enrollment


@transaction.atomic
def enrollment_accept_invitation(
    *, enrollment: Enrollment, by: User, agreed: bool
) -> Enrollment:
    """The invited person accepts the program's agreement: approved, or waitlisted
    when the program's mentee places are taken. Refused for anyone else, for an
    invitation already answered, in a closed program, or (when the program has an
    agreement) without ``agreed``."""
    enrollment = _own_enrollment_locked(
        enrollment, by, "Only the invited person can accept an invitation."
    )
    if enrollment.status != Enrollment.Status.INVITED:
        raise ValidationError(
            f"This invitation was already answered "
            f"({enrollment.get_status_display().lower()})."
        )
    program = Program.objects.select_for_update().get(pk=enrollment.program_id)
    if program.status == Program.Status.CLOSED:
        raise ValidationError(f"{program.name} has closed.")
    if program.confidentiality_agreement.strip() and not agreed:
        raise ValidationError(
            {"agreed": "Accept the confidentiality agreement to join."}
        )
    status = Enrollment.Status.APPROVED
    if (
        enrollment.role == ProgramRole.MENTEE
        and program.mentee_capacity is not None
        and program.enrollments.filter(
            role=ProgramRole.MENTEE, status=Enrollment.Status.APPROVED
        ).count()
        >= program.mentee_capacity
    ):
        status = Enrollment.Status.WAITLISTED
    now = timezone.now()
    enrollment.status = status
    enrollment.agreed_at = now
    enrollment.decided_at = now
    enrollment.save(update_fields=["status", "agreed_at", "decided_at", "updated_at"])
    _agreement_consent_record(enrollment, agreed=True)
    return enrollment


def _agreement_consent_record(enrollment: Enrollment, *, agreed: bool) -> None:
    """The person accepted the program's agreement: keep which text, and when."""
    text = enrollment.program.confidentiality_agreement
    if agreed and text.strip():
        consent_record(
            user=enrollment.participant.user,
            kind="program_agreement",
            subject=f"program:{enrollment.program_id}",
            text=text,
            details={"role": enrollment.role},
        )


@transaction.atomic
def enrollments_complete_for_program(*, program: Program) -> int:
    """The program is closing: approved enrolments become completed, dated now.

    Returns how many. Called by the close orchestration (reporting), which also
    completes the matches and sends the closing surveys."""
    return Enrollment.objects.filter(
        program=program, status=Enrollment.Status.APPROVED
    ).update(status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
