import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs.services import enrollment_withdraw
from tests.programs.factories import EnrollmentFactory, participant_for


def test_applicant_withdraws(mentee):
    enrollment = EnrollmentFactory(
        participant=participant_for(mentee), status="approved"
    )
    assert enrollment_withdraw(enrollment=enrollment, by=mentee).status == "withdrawn"


def test_someone_else_cannot_withdraw_it(mentee, coordinator):
    enrollment = EnrollmentFactory(participant=participant_for(mentee))
    with pytest.raises(PermissionDenied):
        enrollment_withdraw(enrollment=enrollment, by=coordinator)


def test_declined_cannot_be_withdrawn(mentee):
    enrollment = EnrollmentFactory(
        participant=participant_for(mentee), status="declined"
    )
    with pytest.raises(ValidationError):
        enrollment_withdraw(enrollment=enrollment, by=mentee)
