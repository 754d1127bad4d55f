"""Programs: create and edit them (objectives, application questions, training
modules, coordinators) and move them along their lifecycle."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship import reference
from mentorship.accounts.models import User
from mentorship.audit.services import record
from programs.models import (
    ApplicationQuestion,
    AudienceRole,
    Program,
    ProgramObjective,
    TrainingModule,
)
from programs.services._common import require_manager

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
        require_manager(program=program, by=by)
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
    program: Program, model: Any, items: list[Any], names: tuple[str, ...]
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
    require_manager(program=program, by=by)
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
