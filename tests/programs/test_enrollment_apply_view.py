from programs.models import ApplicationQuestion, Enrollment
from tests.programs.factories import (
    EnrollingProgramFactory,
    ProgramFactory,
    QuestionFactory,
)


def test_apply_shows_questions_and_agreement(alpha):
    program = EnrollingProgramFactory()
    QuestionFactory(program=program, text="Why mentoring?", for_role="mentee")
    QuestionFactory(program=program, text="Mentor-only question", for_role="mentor")
    page = (
        alpha.client("mentee")
        .get(f"/programs/{program.pk}/apply/mentee/")
        .content.decode()
    )
    assert "Why mentoring?" in page
    assert "Mentor-only question" not in page
    assert "What is said in a session stays in it." in page


def test_apply(alpha, mentee):
    program = EnrollingProgramFactory()
    question = QuestionFactory(
        program=program, kind=ApplicationQuestion.Kind.SINGLE_CHOICE, choices=["A", "B"]
    )
    response = alpha.client("mentee").post(
        f"/programs/{program.pk}/apply/mentee/", {str(question.pk): "B", "agreed": "on"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(participant__user=mentee)
    assert enrollment.answers == {str(question.pk): "B"}
    assert enrollment.agreed_at is not None


def test_missing_answer_and_agreement_are_422(alpha, mentee):
    program = EnrollingProgramFactory()
    question = QuestionFactory(program=program)
    response = alpha.client("mentee").post(f"/programs/{program.pk}/apply/mentee/", {})
    assert response.status_code == 422
    page = response.content.decode()
    assert f'id="id_{question.pk}_errors"' in page
    assert "Accept the confidentiality agreement" in page
    assert not Enrollment.objects.exists()


def test_closed_program_refuses(alpha):
    program = EnrollingProgramFactory(status="matching")
    response = alpha.client("mentee").post(
        f"/programs/{program.pk}/apply/mentee/", {"agreed": "on"}
    )
    assert response.status_code == 422
    assert b"not taking applications" in response.content


def test_draft_program_is_404_and_role_must_be_real(alpha):
    program = ProgramFactory()
    assert (
        alpha.client("mentee").get(f"/programs/{program.pk}/apply/mentee/").status_code
        == 404
    )
    open_program = EnrollingProgramFactory()
    assert (
        alpha.client("mentee")
        .get(f"/programs/{open_program.pk}/apply/boss/")
        .status_code
        == 404
    )


def test_outsider_cannot_apply(alpha, beta):
    program = EnrollingProgramFactory()
    response = beta.client("mentee").post(
        f"/programs/{program.pk}/apply/mentee/", {"agreed": "on"}
    )
    assert response.status_code == 404
