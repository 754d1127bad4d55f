import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs.models import Enrollment
from programs.services import (
    enrollment_approve,
    enrollment_bulk_decide,
    enrollment_decline,
    enrollment_waitlist,
)
from tests.programs.factories import EnrollingProgramFactory, EnrollmentFactory


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(coordinators=[coordinator])


def test_approves_many_at_once(program, coordinator):
    # given
    enrollments = EnrollmentFactory.create_batch(3, program=program)
    # when
    enrollment_bulk_decide(enrollments=enrollments, decision="approve", by=coordinator)
    # then
    rows = Enrollment.objects.filter(program=program)
    assert {row.status for row in rows} == {"approved"}
    assert {row.decided_by_id for row in rows} == {coordinator.pk}
    assert all(row.decided_at for row in rows)


def test_single_decisions(program, coordinator):
    enrollment = EnrollmentFactory(program=program)
    assert (
        enrollment_waitlist(enrollment=enrollment, by=coordinator).status
        == "waitlisted"
    )
    assert (
        enrollment_approve(enrollment=enrollment, by=coordinator).status == "approved"
    )
    assert (
        enrollment_decline(enrollment=enrollment, by=coordinator).status == "declined"
    )


def test_decides_the_rows_that_allow_it_and_reports_the_rest(program, coordinator):
    # given: one withdrawn application among good ones
    good = EnrollmentFactory.create_batch(2, program=program)
    withdrawn = EnrollmentFactory(program=program, status="withdrawn")
    # when
    result = enrollment_bulk_decide(
        enrollments=[*good, withdrawn], decision="approve", by=coordinator
    )
    # then: the good ones are approved, the withdrawn one is reported
    assert [row.pk for row in result.decided] == [e.pk for e in good]
    assert [(s.enrollment.pk, s.reason) for s in result.skipped] == [
        (withdrawn.pk, "withdrawn: can't be decided any more")
    ]
    assert set(
        Enrollment.objects.filter(pk__in=[e.pk for e in good]).values_list(
            "status", flat=True
        )
    ) == {"approved"}
    withdrawn.refresh_from_db()
    assert withdrawn.status == "withdrawn"


def test_approves_mentees_while_places_last(program, coordinator):
    program.mentee_capacity = 2
    program.save()
    EnrollmentFactory(program=program, status="approved", role="mentee")
    pending = EnrollmentFactory.create_batch(2, program=program, role="mentee")
    result = enrollment_bulk_decide(
        enrollments=pending, decision="approve", by=coordinator
    )
    assert [row.pk for row in result.decided] == [pending[0].pk]
    assert [s.enrollment.pk for s in result.skipped] == [pending[1].pk]
    assert "no mentee place left" in result.skipped[0].reason
    assert Enrollment.objects.filter(program=program, status="approved").count() == 2


def test_approvable_mentor_and_waitlisted_mentee_past_capacity(program, coordinator):
    # the example: "Approve selected" over an approvable mentor and a
    # waitlisted mentee (no place left) rejected both
    program.mentee_capacity = 1
    program.save()
    EnrollmentFactory(program=program, status="approved", role="mentee")
    mentor = EnrollmentFactory(program=program, role="mentor")
    waiting = EnrollmentFactory(program=program, role="mentee", status="waitlisted")
    result = enrollment_bulk_decide(
        enrollments=[mentor, waiting], decision="approve", by=coordinator
    )
    mentor.refresh_from_db()
    waiting.refresh_from_db()
    assert mentor.status == "approved"
    assert waiting.status == "waitlisted"
    assert [s.enrollment.pk for s in result.skipped] == [waiting.pk]


def test_single_decision_explains_a_refusal(program, coordinator):
    withdrawn = EnrollmentFactory(program=program, status="withdrawn")
    with pytest.raises(ValidationError, match="withdrawn"):
        enrollment_approve(enrollment=withdrawn, by=coordinator)


def test_mentors_do_not_count_against_mentee_capacity(program, coordinator):
    program.mentee_capacity = 1
    program.save()
    mentors = EnrollmentFactory.create_batch(3, program=program, role="mentor")
    enrollment_bulk_decide(enrollments=mentors, decision="approve", by=coordinator)


def test_coordinator_of_another_program_is_refused(alpha, program):
    enrollment = EnrollmentFactory(program=program)
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=enrollment, by=alpha.user("coordinator2"))


def test_mentee_is_refused(program, mentee):
    enrollment = EnrollmentFactory(program=program)
    with pytest.raises(PermissionDenied):
        enrollment_approve(enrollment=enrollment, by=mentee)


def test_hr_admin_decides_anywhere(program, hr_admin):
    enrollment = EnrollmentFactory(program=program)
    assert enrollment_approve(enrollment=enrollment, by=hr_admin).status == "approved"


def test_unknown_decision(program, coordinator):
    with pytest.raises(ValidationError):
        enrollment_bulk_decide(enrollments=[], decision="promote", by=coordinator)
