import datetime

import pytest
from django.core.exceptions import ValidationError

from programs.models import ApplicationQuestion, Enrollment
from programs.services import enrollment_apply, enrollment_withdraw
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    QuestionFactory,
    participant_for,
    today,
)


@pytest.fixture
def program():
    return EnrollingProgramFactory()


def _apply(participant, program, role="mentee", answers=None, agreed=True):
    return enrollment_apply(
        participant=participant,
        program=program,
        role=role,
        answers=answers or {},
        agreed=agreed,
    )


def test_records_answers_and_agreement_time(mentee, program):
    # given
    question = QuestionFactory(program=program, text="What do you want to learn?")
    # when
    enrollment = _apply(
        participant_for(mentee), program, answers={str(question.id): " Design "}
    )
    # then
    assert enrollment.status == Enrollment.Status.APPLIED
    assert enrollment.answers == {str(question.id): "Design"}
    assert enrollment.agreed_at is not None


def test_requires_required_answers(mentee, program):
    question = QuestionFactory(program=program, required=True)
    with pytest.raises(ValidationError) as error:
        _apply(participant_for(mentee), program)
    assert str(question.id) in error.value.message_dict


def test_only_asks_the_role_its_questions(mentee, program):
    QuestionFactory(program=program, for_role="mentor", required=True)
    enrollment = _apply(participant_for(mentee), program, role="mentee")
    assert enrollment.answers == {}


def test_choices_must_come_from_the_list(mentee, program):
    question = QuestionFactory(
        program=program,
        kind=ApplicationQuestion.Kind.MULTI_CHOICE,
        choices=["Design", "Leadership"],
    )
    with pytest.raises(ValidationError):
        _apply(
            participant_for(mentee), program, answers={str(question.id): ["Hacking"]}
        )
    enrollment = _apply(
        participant_for(mentee),
        program,
        answers={str(question.id): ["Design", "Leadership"]},
    )
    assert enrollment.answers[str(question.id)] == ["Design", "Leadership"]


def test_requires_the_agreement(mentee, program):
    with pytest.raises(ValidationError, match="confidentiality"):
        _apply(participant_for(mentee), program, agreed=False)


def test_refuses_programs_not_enrolling(mentee, program):
    program.status = "draft"
    program.save()
    with pytest.raises(ValidationError, match="not taking applications"):
        _apply(participant_for(mentee), program)


def test_refuses_after_the_window_closes(mentee, program):
    program.enrollment_closes_on = today() - datetime.timedelta(days=2)
    program.enrollment_opens_on = today() - datetime.timedelta(days=9)
    program.save()
    with pytest.raises(ValidationError, match="not taking applications"):
        _apply(participant_for(mentee), program)


def test_waitlists_mentees_once_full(mentee, mentor, program):
    # given: one place, already taken
    program.mentee_capacity = 1
    program.save()
    EnrollmentFactory(program=program, role="mentee", status="approved")
    # when
    enrollment = _apply(participant_for(mentee), program)
    # then: mentees wait, mentors don't
    assert enrollment.status == Enrollment.Status.WAITLISTED
    assert _apply(participant_for(mentor), program, role="mentor").status == "applied"


def test_refuses_a_second_application_in_the_same_role(mentee, program):
    _apply(participant_for(mentee), program)
    with pytest.raises(ValidationError, match="already applied"):
        _apply(participant_for(mentee), program)


def test_one_person_may_apply_in_both_roles(mentee, program):
    _apply(participant_for(mentee), program, role="mentee")
    assert _apply(participant_for(mentee), program, role="mentor").role == "mentor"


def test_may_apply_again_after_withdrawing(mentee, program):
    enrollment = _apply(participant_for(mentee), program)
    enrollment_withdraw(enrollment=enrollment, by=mentee)
    again = _apply(participant_for(mentee), program)
    assert again.pk == enrollment.pk
    assert again.status == "applied"
