"""Writes on programs, participants and enrolments: the one place they change.

Services raise ValidationError (a message fit for the page) or PermissionDenied;
multi-row operations are atomic. Side effects run after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.accounts.services import (
    NewUser,
    password_reset_path,
    user_create_many,
    user_update_preferences,
)
from mentorship.audit.services import consent_record, record
from mentorship.fields import forbidden_character
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)
from programs import importing, reference
from programs.models import (
    ApplicationQuestion,
    AudienceRole,
    Enrollment,
    ImportBatch,
    ImportColumnMapping,
    Participant,
    Program,
    ProgramObjective,
    ProgramRole,
    TrainingCompletion,
    TrainingModule,
)
from programs.selectors import local_today, program_is_managed_by

Status = Program.Status
# draft → enrolling → matching → active → closed, with a few ways back.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.ENROLLING, Status.CLOSED},
    Status.ENROLLING: {Status.DRAFT, Status.MATCHING, Status.CLOSED},
    Status.MATCHING: {Status.ENROLLING, Status.ACTIVE, Status.CLOSED},
    Status.ACTIVE: {Status.CLOSED},
    Status.CLOSED: set(),
}
# The buttons the dashboard shows for each move.
TRANSITION_LABELS = {
    (Status.DRAFT, Status.ENROLLING): "Open enrolment",
    (Status.DRAFT, Status.CLOSED): "Cancel program",
    (Status.ENROLLING, Status.DRAFT): "Back to draft",
    (Status.ENROLLING, Status.MATCHING): "Close enrolment and start matching",
    (Status.ENROLLING, Status.CLOSED): "Close program",
    (Status.MATCHING, Status.ENROLLING): "Reopen enrolment",
    (Status.MATCHING, Status.ACTIVE): "Start the program",
    (Status.MATCHING, Status.CLOSED): "Close program",
    (Status.ACTIVE, Status.CLOSED): "Close program",
}
# A program cancelled before anyone enrolled may come back as a draft for this long
# (the cancel button offers "Undo" instead of asking first).
CANCEL_UNDO_WINDOW = datetime.timedelta(days=1)


def program_can_undo_cancel(*, program: Program, has_enrollments: bool) -> bool:
    """Whether a closed program may go back to draft: nobody ever enrolled in it
    (so closing it ended nothing and told nobody) and it closed within
    ``CANCEL_UNDO_WINDOW``."""
    return (
        program.status == Status.CLOSED
        and not has_enrollments
        and program.updated_at >= timezone.now() - CANCEL_UNDO_WINDOW
    )


def _require_manager(*, program: Program, by: User) -> None:
    if not program_is_managed_by(program=program, user=by):
        raise PermissionDenied(
            "Only this program's coordinators and HR admins can do this."
        )


# --- Programs -----------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveData:
    text: str
    measure: str = ""
    id: int | None = None


@dataclass(frozen=True)
class QuestionData:
    text: str
    kind: str = ApplicationQuestion.Kind.SHORT_TEXT
    choices: tuple[str, ...] = ()
    required: bool = True
    for_role: str = AudienceRole.BOTH
    id: int | None = None


@dataclass(frozen=True)
class ModuleData:
    title: str
    url: str = ""
    content: str = ""
    required_for_role: str = AudienceRole.BOTH
    id: int | None = None


PROGRAM_FIELDS = (
    "name",
    "kind",
    "description",
    "focus_areas",
    "meeting_cadence_days",
    "meeting_length_minutes",
    "update_cadence_days",
    "mentor_choices_limit",
    "confidentiality_agreement",
    "communication_norms",
    "sponsor_name",
    "sponsor_message",
    "enrollment_opens_on",
    "enrollment_closes_on",
    "starts_on",
    "ends_on",
    "mentee_capacity",
)


@transaction.atomic
def program_save(
    *,
    program: Program | None,
    by: User,
    fields: dict[str, Any],
    objectives: list[ObjectiveData] | None = None,
    questions: list[QuestionData] | None = None,
    modules: list[ModuleData] | None = None,
    coordinators: Iterable[User] | None = None,
) -> Program:
    """Create (program=None) or update a program and its objectives, questions and
    training modules. Children are matched by id; ones left out are deleted."""
    if program is None:
        if not by.is_coordinator:
            raise PermissionDenied("Only coordinators and HR admins create programs.")
        program = Program()
    else:
        _require_manager(program=program, by=by)
        program = Program.objects.select_for_update().get(pk=program.pk)
    unknown = set(fields) - set(PROGRAM_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown program fields: {', '.join(sorted(unknown))}.")
    for name, value in fields.items():
        setattr(program, name, value)
    program.focus_areas = reference.skills_normalize(program.focus_areas or [])
    program.full_clean()
    is_new = program.pk is None
    program.save()
    if coordinators is not None:
        people = [user for user in coordinators if user.is_coordinator]
        if is_new and by.role == User.Role.COORDINATOR and by not in people:
            people.append(by)
        program.coordinators.set(people)
    elif is_new and by.role == User.Role.COORDINATOR:
        program.coordinators.add(by)
    if objectives is not None:
        _children_save(program, ProgramObjective, objectives, ("text", "measure"))
    if questions is not None:
        for question in questions:
            _question_check(question)
        _children_save(
            program,
            ApplicationQuestion,
            questions,
            ("text", "kind", "choices", "required", "for_role"),
        )
    if modules is not None:
        _children_save(
            program,
            TrainingModule,
            modules,
            ("title", "url", "content", "required_for_role"),
        )
    if program.status != Status.DRAFT:
        _ready_check(program, program.status)
    return program


def _question_check(question: QuestionData) -> None:
    is_choice = question.kind in (
        ApplicationQuestion.Kind.SINGLE_CHOICE,
        ApplicationQuestion.Kind.MULTI_CHOICE,
    )
    if is_choice and len([c for c in question.choices if c.strip()]) < 2:
        raise ValidationError(
            f"The question {question.text!r} needs at least two choices."
        )


def _children_save(
    program: Program, model, items: list, names: tuple[str, ...]
) -> None:
    existing = {child.id: child for child in model.objects.filter(program=program)}
    kept = set()
    for order, item in enumerate(items):
        child = existing.get(item.id) if item.id else None
        if child is None:
            child = model(program=program)
        for name in names:
            value = getattr(item, name)
            setattr(child, name, list(value) if isinstance(value, tuple) else value)
        child.order = order
        child.full_clean(exclude=["program"])
        child.save()
        kept.add(child.id)
    model.objects.filter(program=program).exclude(id__in=kept).delete()


def _ready_check(program: Program, status: str) -> None:
    """What a program needs before it may be in `status`."""
    problems = []
    if status in (Status.ENROLLING, Status.MATCHING, Status.ACTIVE):
        if not program.enrollment_opens_on or not program.enrollment_closes_on:
            problems.append("set the enrolment window (opens and closes dates)")
        if not program.objectives.exists():
            problems.append("add at least one objective")
    if status == Status.ACTIVE and (not program.starts_on or not program.ends_on):
        problems.append("set the start and end dates")
    if problems:
        raise ValidationError(
            f"{Program.Status(status).label} needs more first: "
            + "; ".join(problems)
            + "."
        )


@transaction.atomic
def program_transition(*, program: Program, to: str, by: User) -> Program:
    """Move a program along its lifecycle; refuses moves the lifecycle does not allow.
    A cancelled program goes back to draft within a day if nobody enrolled in it
    (``program_can_undo_cancel``)."""
    _require_manager(program=program, by=by)
    program = Program.objects.select_for_update().get(pk=program.pk)
    if to not in Status.values:
        raise ValidationError(f"{to!r} is not a program status.")
    is_undo = to == Status.DRAFT and program_can_undo_cancel(
        program=program, has_enrollments=program.enrollments.exists()
    )
    if to not in TRANSITIONS[program.status] and not is_undo:
        raise ValidationError(
            f"A program that is {program.get_status_display().lower()} cannot become "
            f"{Status(to).label.lower()}."
        )
    _ready_check(program, to)
    if to == Status.DRAFT and program.enrollments.exists():
        raise ValidationError(
            "People have already applied; close enrolment or the program instead."
        )
    program.status = to
    program.save(update_fields=["status", "updated_at"])
    if to == Status.CLOSED:
        # When it closed: the retention period counts from here (privacy app).
        record(action="program.closed", target=program, actor=by)
    return program


# --- Participants -------------------------------------------------------------------


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


# --- Enrolment --------------------------------------------------------------------------


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
        _require_manager(program=program, by=by)
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


# --- Training ---------------------------------------------------------------------------


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


# --- Imports ------------------------------------------------------------------------------


@transaction.atomic
def participant_import_preview(
    *, program: Program, by: User, filename: str, content: bytes
) -> ImportBatch:
    """Parse and validate an uploaded file; store it as a batch to confirm.

    Writes no people. A file with any problem keeps only its problems.
    """
    _require_manager(program=program, by=by)
    batch = ImportBatch(
        program=program,
        uploaded_by=by,
        # Shown on pages: control and direction characters are dropped.
        filename="".join(
            char for char in filename if forbidden_character(char) is None
        )[:255],
        content=content[: importing.MAX_BYTES + 1],
    )
    _import_read(batch, encoding=None, delimiter=None)
    batch.save()
    return batch


@transaction.atomic
def participant_import_reread(
    *,
    batch: ImportBatch,
    by: User,
    encoding: str | None,
    delimiter: str | None,
    mapping: dict[str, str],
) -> ImportBatch:
    """Read a previewed file again with the coordinator's choices: ``encoding``
    and ``delimiter`` (None: detect), and ``mapping`` of unknown columns
    (importing.header_key -> field name, "" to ignore), which is remembered for
    this organization's later files. Raises ValidationError for a batch already
    imported or an unknown field."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _require_manager(program=batch.program, by=by)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("This file has already been imported.")
    headers = {
        column["key"]: column["header"] for column in batch.reading.get("columns", [])
    }
    for key, field in mapping.items():
        if key not in headers or not key:
            continue
        if field and field not in importing.FIELDS:
            raise ValidationError(
                f"{field!r} is not a field people can be imported to."
            )
        ImportColumnMapping.objects.update_or_create(
            key=key[:100],
            defaults={"header": headers[key][:100], "field": field, "updated_by": by},
        )
    _import_read(batch, encoding=encoding, delimiter=delimiter)
    batch.save()
    return batch


def _import_read(
    batch: ImportBatch, *, encoding: str | None, delimiter: str | None
) -> None:
    """Parse ``batch.content`` with the organization's remembered column mapping;
    store rows, problems and how it was read on the batch (unsaved)."""
    mapping = dict(ImportColumnMapping.objects.values_list("key", "field"))
    parsed = importing.participant_file_parse(
        filename=batch.filename,
        content=bytes(batch.content),
        encoding=encoding,
        delimiter=delimiter,
        mapping=mapping,
    )
    if not parsed.problem_total:
        _import_capacity_check(batch.program, parsed)
    batch.rows = parsed.rows
    batch.errors = parsed.problem_dicts
    batch.error_count = parsed.problem_total
    batch.row_count = len(parsed.rows)
    batch.reading = parsed.reading


def _import_capacity_check(program: Program, parsed: importing.ParsedFile) -> None:
    """Refuse a file that would invite more mentees than the places left (approved
    and already-invited mentees hold a place)."""
    if program.mentee_capacity is None:
        return
    emails = [row["email"] for row in parsed.rows if row["role"] == ProgramRole.MENTEE]
    holding = program.enrollments.filter(
        role=ProgramRole.MENTEE,
        status__in=[Enrollment.Status.APPROVED, Enrollment.Status.INVITED],
    )
    already = {
        email.lower()
        for email in holding.values_list("participant__user__email", flat=True)
    }
    approved = holding.count()
    adding = len([email for email in emails if email not in already])
    if approved + adding > program.mentee_capacity:
        parsed.rows = []
        parsed.add(
            0,
            "role",
            f"The program takes {program.mentee_capacity} mentees and {approved} are "
            f"approved or invited; this file would invite {adding}. Raise the "
            "capacity or import fewer.",
        )


@transaction.atomic
def participant_import_commit(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Import a previewed batch: all its rows or none.

    People are matched to accounts by email, case-insensitively. An existing
    account is never changed by a file (name, time zone, role and profile stay as
    they are); new people get an account and a profile from their row. Nobody is
    enrolled by an import: each person gets an ``invited`` enrolment and, after
    commit, an invitation to accept the program's agreement
    (``enrollment_accept_invitation``). Enrolments already approved, applied,
    waitlisted or completed are left alone; declined or withdrawn ones are invited
    again. Sets ``created_count`` (new accounts) and ``updated_count`` (people who
    already had one).
    """
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("program")
        .get(pk=batch.pk)
    )
    program = batch.program
    _require_manager(program=program, by=by)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("This file has already been imported.")
    if batch.error_count:
        raise ValidationError("Fix the problems in the file and upload it again.")
    rows = batch.rows
    users = _imported_users_match([row["email"] for row in rows])
    new_users = user_create_many(
        people=[
            NewUser(
                email=row["email"],
                full_name=row["full_name"],
                preferred_name=row.get("preferred_name") or "",
                time_zone=row["time_zone"] or "UTC",
            )
            for row in rows
            if row["email"] not in users
        ],
        # The addresses come from the organization, and the invitation link is
        # mailed to them: following it proves the address.
        verified=True,
    )
    created = {user.email for user in new_users}
    users.update({user.email: user for user in new_users})
    participants = _imported_participants_save(rows, users, created)
    _imported_managers_link(rows, participants, created)
    invited = _imported_enrollments_invite(rows, program, participants, by)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    # The file itself is only kept to read it again before confirming.
    batch.content = b""
    batch.created_count = len(new_users)
    batch.updated_count = len(rows) - len(new_users)
    batch.save()
    _invite(enrollments=invited, new_user_ids={user.pk for user in new_users})
    record(
        action="import.committed",
        target=batch,
        actor=by,
        details={
            "program": program.pk,
            "rows": len(rows),
            "created": batch.created_count,
        },
    )
    return batch


def _imported_users_match(emails: list[str]) -> dict[str, User]:
    """Existing accounts by lowercased email (addresses stored with capitals too)."""
    return {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails
        )
    }


_ROW_TO_PARTICIPANT = {
    "title": "title",
    "department": "department",
    "seniority": "seniority",
    "country": "country",
    "city": "city",
    "languages": "languages",
    "skills_offered": "skills_offered",
    "skills_wanted": "skills_wanted",
    "capacity": "mentoring_capacity",
    "working_days": "working_days",
    "affiliation": "affiliation",
    "employment_status": "employment_status",
    "grade": "grade",
}
# ISO dates in the stored rows -> Participant date fields.
_ROW_DATES = {
    "hired_on": "hired_on",
    "left_on": "left_on",
    "last_promoted_on": "last_promoted_on",
}


def _imported_participants_save(
    rows: list[dict], users: dict[str, User], created: set[str]
) -> dict[str, Participant]:
    """Profiles for the file's people: new accounts get theirs from the row; people
    who already had an account keep their profile untouched (one is made empty
    only when they had none)."""
    existing = {
        participant.user_id: participant
        for participant in Participant.objects.filter(
            user_id__in=[user.pk for user in users.values()]
        )
    }
    to_create = []
    by_email: dict[str, Participant] = {}
    for row in rows:
        user = users[row["email"]]
        participant = existing.get(user.pk)
        if participant is None:
            participant = Participant(user=user)
            if row["email"] in created:
                _participant_fill(participant, row)
            to_create.append(participant)
        by_email[row["email"]] = participant
    Participant.objects.bulk_create(to_create, batch_size=500)
    return by_email


def _imported_managers_link(
    rows: list[dict], participants: dict[str, Participant], created: set[str]
) -> None:
    """New people's manager, from their row's manager email, when the manager has
    a profile here (in this file or before); existing profiles are left alone."""
    wanted = {
        row["email"]: row["manager_email"]
        for row in rows
        if row.get("manager_email")
        and row["email"] in created
        and row["manager_email"] != row["email"]
    }
    if not wanted:
        return
    managers = {
        email: participant
        for email, participant in participants.items()
        if email in set(wanted.values())
    }
    for participant in Participant.objects.annotate(
        email_lower=Lower("user__email")
    ).filter(email_lower__in=set(wanted.values()) - set(managers)):
        managers[participant.email_lower] = participant
    linked = []
    for email, manager_email in wanted.items():
        if manager_email in managers:
            participants[email].manager = managers[manager_email]
            linked.append(participants[email])
    Participant.objects.bulk_update(linked, ["manager"], batch_size=500)


def _participant_fill(participant: Participant, row: dict) -> None:
    for column, name in _ROW_TO_PARTICIPANT.items():
        if row.get(column) is not None:
            setattr(participant, name, row[column])
    for column, name in _ROW_DATES.items():
        if row.get(column):
            setattr(participant, name, datetime.date.fromisoformat(row[column]))
    if row.get("working_hours"):
        start, end = row["working_hours"]
        participant.working_hours_start = datetime.time.fromisoformat(start)
        participant.working_hours_end = datetime.time.fromisoformat(end)


# An import invites again people who were declined or withdrew; it leaves alone
# anyone who is invited, deciding, in, or done.
_REINVITABLE = {Enrollment.Status.DECLINED, Enrollment.Status.WITHDRAWN}


def _imported_enrollments_invite(
    rows: list[dict], program: Program, participants: dict[str, Participant], by: User
) -> list[Enrollment]:
    """``invited`` enrolments for the file's rows; returns the ones to notify."""
    now = timezone.now()
    wanted = {(participants[row["email"]].pk, row["role"]) for row in rows}
    existing = {
        (enrollment.participant_id, enrollment.role): enrollment
        for enrollment in Enrollment.objects.filter(
            program=program,
            participant_id__in=[pk for pk, _ in wanted],
        )
    }
    created = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant_id=participant_id,
                program=program,
                role=role,
                status=Enrollment.Status.INVITED,
                decided_by=by,
                decided_at=now,
            )
            for participant_id, role in sorted(wanted)
            if (participant_id, role) not in existing
        ],
        batch_size=500,
    )
    again = [
        enrollment
        for key, enrollment in existing.items()
        if key in wanted and enrollment.status in _REINVITABLE
    ]
    Enrollment.objects.filter(pk__in=[e.pk for e in again]).update(
        status=Enrollment.Status.INVITED,
        agreed_at=None,
        decided_by=by,
        decided_at=now,
        updated_at=now,
    )
    return list(
        Enrollment.objects.filter(pk__in=[e.pk for e in [*created, *again]])
        .select_related("program", "participant__user")
        .order_by("id")
    )


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
    if program.status == Status.CLOSED:
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


def _invite(*, enrollments: list[Enrollment], new_user_ids: set[int]) -> None:
    """Queue, in the caller's transaction, one invitation per enrolment through the
    outbox (deduplicated; links made absolute on the organization's domain when
    sent). People new to the organization get a link to set their password
    (allauth's reset-key page), after which their portal shows the invitation;
    people who already have an account get a link to the invitation itself.
    """
    specs = []
    for enrollment in enrollments:
        user, program = enrollment.participant.user, enrollment.program
        if user.pk in new_user_ids:
            path = password_reset_path(user)
            step = (
                "Follow the link to set your password; your portal then shows the "
                "invitation. The link works for a few days; after that, use "
                "“Forgot password?” on the sign-in page."
            )
        else:
            path = reverse(
                "programs:invitation-accept", kwargs={"enrollment_id": enrollment.pk}
            )
            step = "Follow the link to read the program's agreement and accept."
        specs.append(
            NotificationSpec(
                recipient=user,
                kind="program_invitation",
                # Invited again after a withdrawal: a new message.
                dedupe_key=(
                    f"program_invitation:{enrollment.pk}:"
                    f"{enrollment.decided_at:%Y%m%dT%H%M%S}"
                ),
                subject=f"You're invited to {program.name}",
                body=(
                    f"Hello {user.greeting_name},\n\n"
                    f"You are invited to join the mentorship program “{program.name}” "
                    f"as a {enrollment.get_role_display().lower()}. You are enrolled "
                    f"once you accept its agreement. {step}"
                ),
                link=path,
            )
        )
    notifications_create_bulk(specs=specs)


@transaction.atomic
def enrollments_complete_for_program(*, program: Program) -> int:
    """The program is closing: approved enrolments become completed, dated now.

    Returns how many. Called by the close orchestration (reporting), which also
    completes the matches and sends the closing surveys."""
    return Enrollment.objects.filter(
        program=program, status=Enrollment.Status.APPROVED
    ).update(status=Enrollment.Status.COMPLETED, completed_at=timezone.now())
