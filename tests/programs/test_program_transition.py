import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs.models import Program
from programs.services import program_transition
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ObjectiveFactory,
    ProgramFactory,
    today,
)


def test_opens_enrolment_when_dates_and_objectives_are_set(coordinator):
    # given
    program = ProgramFactory(
        coordinators=[coordinator],
        enrollment_opens_on=today(),
        enrollment_closes_on=today(),
    )
    ObjectiveFactory(program=program)
    # when
    program = program_transition(program=program, to="enrolling", by=coordinator)
    # then
    assert program.status == Program.Status.ENROLLING
    assert Program.objects.get(pk=program.pk).status == "enrolling"


def test_refuses_enrolment_without_dates_or_objectives(coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    with pytest.raises(ValidationError) as error:
        program_transition(program=program, to="enrolling", by=coordinator)
    message = " ".join(error.value.messages)
    assert "enrolment window" in message
    assert "objective" in message


def test_refuses_skipping_a_stage(coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    with pytest.raises(ValidationError, match="cannot become active"):
        program_transition(program=program, to="active", by=coordinator)


def test_closed_is_final(coordinator):
    # (a draft cancelled less than a day ago may come back: test_program_stages.py)
    program = ProgramFactory(coordinators=[coordinator], status="closed")
    EnrollmentFactory(program=program, status="completed")
    with pytest.raises(ValidationError):
        program_transition(program=program, to="draft", by=coordinator)


def test_active_needs_start_and_end_dates(coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator], status="matching")
    with pytest.raises(ValidationError, match="start and end dates"):
        program_transition(program=program, to="active", by=coordinator)


def test_back_to_draft_only_before_anyone_applied(coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    EnrollmentFactory(program=program)
    with pytest.raises(ValidationError, match="already applied"):
        program_transition(program=program, to="draft", by=coordinator)


def test_coordinator_of_another_program_is_refused(alpha):
    program = EnrollingProgramFactory(coordinators=[alpha.user("coordinator2")])
    with pytest.raises(PermissionDenied):
        program_transition(program=program, to="matching", by=alpha.user("coordinator"))


def test_hr_admin_may_move_any_program(hr_admin):
    program = EnrollingProgramFactory()
    program = program_transition(program=program, to="matching", by=hr_admin)
    assert program.status == "matching"


def test_members_are_refused(mentee):
    program = EnrollingProgramFactory()
    with pytest.raises(PermissionDenied):
        program_transition(program=program, to="matching", by=mentee)
