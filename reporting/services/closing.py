"""Ends that span apps: closing a program and ending a match early.

programs and matching can't import reporting (the layers point down), so these
orchestrations live here and the dashboard's close and end-match forms post to
reporting's views (``reporting:program-close``, ``reporting:match-end``), which
call them. Each is one transaction; the surveys the event triggers are assigned by
a task enqueued after commit (and, should that message be lost, by the hourly
sweep: ``assignments.survey_assignments_sweep``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from matching import services as matching_services
from matching.models import Match
from mentorship.accounts.models import User
from programs import services as program_services
from programs.models import Enrollment, Program
from reporting.models import Survey
from reporting.services import assignments


@dataclass(frozen=True)
class CloseSummary:
    """What closing a program did (or, before it, would do)."""

    matches: int
    enrollments: int
    surveys: list[Survey]


def program_close_preview(*, program: Program) -> CloseSummary:
    """What closing would change now: live matches, approved enrolments, and the
    open surveys that run when the program closes. 3 queries."""
    return CloseSummary(
        matches=Match.objects.filter(program=program, status__in=Match.LIVE).count(),
        enrollments=Enrollment.objects.filter(
            program=program, status=Enrollment.Status.APPROVED
        ).count(),
        surveys=list(
            Survey.objects.filter(
                program=program,
                status=Survey.Status.OPEN,
                trigger=Survey.Trigger.PROGRAM_CLOSE,
            )
        ),
    )


@transaction.atomic
def program_close(*, program: Program, by: User) -> CloseSummary:
    """Close a program: status closed, active matches completed (proposed ones end),
    approved enrolments completed with today's date; then, after commit, its
    closing surveys go to everyone who completed. Raises what
    ``programs.services.program_transition`` raises (permission, lifecycle)."""
    preview = program_close_preview(program=program)
    program = program_services.program_transition(
        program=program, to=Program.Status.CLOSED, by=by
    )
    matches = matching_services.matches_complete_for_program(program=program, by=by)
    enrollments = program_services.enrollments_complete_for_program(program=program)
    assignments.survey_assignments_enqueue(program=program)
    return CloseSummary(
        matches=matches, enrollments=enrollments, surveys=preview.surveys
    )


@transaction.atomic
def match_end(*, match: Match, by: User, reason: str) -> Match:
    """End a match early (``matching.services.match_end``: checks, notifies both),
    then, after commit, send the program's end-of-match surveys to the two."""
    match = matching_services.match_end(match=match, by=by, reason=reason)
    assignments.survey_assignments_enqueue(program=match.program)
    return match
