"""Surveys in the HR admin; anonymous responses are not browsable there."""

from __future__ import annotations

from reporting.models import Response
from tests.reporting.factories import people, respond, survey, survey_program

QUESTIONS = [{"kind": "long_text", "key": "story", "text": "Story"}]


def test_surveys_questions_and_assignments_are_listed(alpha, hr_admin):
    program = survey_program()
    made = survey(program, questions=QUESTIONS, title="Admin survey")
    [person] = people(program, 1)
    respond(made, person, {"story": "attributed words"})
    client = alpha.client("hradmin")
    assert "Admin survey" in client.get("/admin/reporting/survey/").content.decode()
    assert client.get(f"/admin/reporting/survey/{made.pk}/change/").status_code == 200
    assert "Story" in client.get("/admin/reporting/question/").content.decode()
    assignments = client.get("/admin/reporting/surveyassignment/").content.decode()
    assert person.participant.user.full_name in assignments


def test_anonymous_responses_are_not_browsable(alpha, hr_admin):
    program = survey_program()
    named = survey(program, questions=QUESTIONS, title="Named")
    anonymous = survey(program, questions=QUESTIONS, title="Anon", is_anonymous=True)
    first, second = people(program, 2)
    kept = respond(named, first, {"story": "attributed words"})
    hidden = respond(anonymous, second, {"story": "anonymous secret words"})
    client = alpha.client("hradmin")
    listing = client.get("/admin/reporting/response/").content.decode()
    assert f"/admin/reporting/response/{kept.pk}/change/" in listing
    assert f"/admin/reporting/response/{hidden.pk}/change/" not in listing
    page = client.get(f"/admin/reporting/response/{hidden.pk}/change/", follow=True)
    assert "anonymous secret words" not in page.content.decode()
    assert (
        "attributed words"
        in client.get(f"/admin/reporting/response/{kept.pk}/change/").content.decode()
    )
    # no way in through a filter either
    filtered = client.get("/admin/reporting/response/", {"is_anonymous__exact": "1"})
    assert "anonymous secret words" not in filtered.content.decode()
    assert Response.objects.filter(pk=hidden.pk).exists()


def test_answered_questions_cant_be_deleted_in_the_admin(alpha, hr_admin):
    program = survey_program()
    made = survey(program, questions=QUESTIONS)
    [person] = people(program, 1)
    respond(made, person, {"story": "words"})
    question = made.questions.get()
    client = alpha.client("hradmin")
    assert (
        client.get(f"/admin/reporting/question/{question.pk}/delete/").status_code
        == 403
    )
    client.post(f"/admin/reporting/question/{question.pk}/delete/", {"post": "yes"})
    assert made.questions.filter(pk=question.pk).exists()


def test_a_program_with_answered_surveys_can_be_deleted(alpha):
    program = survey_program()
    made = survey(program, questions=QUESTIONS)
    [person] = people(program, 1)
    respond(made, person, {"story": "words"})
    program.delete()
    assert not Response.objects.filter(survey_id=made.pk).exists()
