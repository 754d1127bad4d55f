"""Programs: who manages them, the coordinator's list and counts, the portal's
open programs, import batches."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from mentorship.accounts.models import User
from mentorship.names import by_name
from programs.models import Enrollment, ImportBatch, Program


def program_is_managed_by(*, program: Program, user: User) -> bool:
    """HR admins manage every program; coordinators the ones they coordinate."""
    if not user.is_authenticated:
        return False
    if user.is_hr_admin:
        return True
    return user.is_coordinator and program.coordinators.filter(pk=user.pk).exists()


def _managed_programs(user: User) -> QuerySet[Program]:
    programs = Program.objects.all()
    if not user.is_hr_admin:
        programs = programs.filter(coordinators=user)
    return programs


def program_list_for_coordinator(*, user: User) -> QuerySet[Program]:
    """The dashboard list: one query, counts as annotations."""
    return _managed_programs(user).annotate(
        applied_count=Count("enrollments", filter=Q(enrollments__status="applied")),
        approved_count=Count("enrollments", filter=Q(enrollments__status="approved")),
        waitlisted_count=Count(
            "enrollments", filter=Q(enrollments__status="waitlisted")
        ),
        mentor_count=Count(
            "enrollments",
            filter=Q(enrollments__status="approved", enrollments__role="mentor"),
        ),
        mentee_count=Count(
            "enrollments",
            filter=Q(enrollments__status="approved", enrollments__role="mentee"),
        ),
    )


def program_get_for_coordinator(*, user: User, program_id: int) -> Program:
    """The program if the viewer manages it; 404 otherwise (no existence oracle)."""
    program = _managed_programs(user).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return program


def program_get_for_editing(*, user: User, program_id: int) -> Program:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    return (
        Program.objects.prefetch_related(
            "objectives", "questions", "training_modules", "coordinators"
        )
        .filter(pk=program.pk)
        .get()
    )


@dataclass(frozen=True)
class ProgramCounts:
    invited: int = 0
    applied: int = 0
    approved: int = 0
    waitlisted: int = 0
    declined: int = 0
    withdrawn: int = 0
    completed: int = 0
    mentors: int = 0
    mentees: int = 0

    @property
    def total(self) -> int:
        return (
            self.invited
            + self.applied
            + self.approved
            + self.waitlisted
            + self.declined
            + self.withdrawn
            + self.completed
        )


def program_counts(*, program: Program) -> ProgramCounts:
    """Enrolment counts by status, and approved mentors/mentees: one query."""
    aggregates = {
        status: Count("id", filter=Q(status=status))
        for status in Enrollment.Status.values
    }
    aggregates["mentors"] = Count("id", filter=Q(status="approved", role="mentor"))
    aggregates["mentees"] = Count("id", filter=Q(status="approved", role="mentee"))
    return ProgramCounts(
        **Enrollment.objects.filter(program=program).aggregate(**aggregates)
    )


def import_batch_get(*, program: Program, batch_id: int) -> ImportBatch:
    # The uploaded file itself (up to 5 MB) is read only when read again.
    batch = (
        ImportBatch.objects.filter(program=program, pk=batch_id)
        .defer("content")
        .first()
    )
    if batch is None:
        raise Http404("No such import.")
    return batch


def programs_open_for_enrollment(*, today: datetime.date) -> QuerySet[Program]:
    return (
        Program.objects.filter(
            status=Program.Status.ENROLLING,
            enrollment_opens_on__lte=today,
            enrollment_closes_on__gte=today,
        )
        .prefetch_related("objectives")
        .order_by("enrollment_closes_on", "name")
    )


def coordinator_choices() -> QuerySet[User]:
    return User.objects.filter(
        role__in=[User.Role.COORDINATOR, User.Role.HR_ADMIN], is_active=True
    ).order_by(by_name("full_name"), "email")


def program_get_open(*, program_id: int) -> Program:
    """A program people may see in the portal: any status but draft."""
    program = (
        Program.objects.exclude(status=Program.Status.DRAFT)
        .prefetch_related("questions", "objectives")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such program.")
    return program
