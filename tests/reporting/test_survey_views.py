"""Dashboard survey pages: who may open them, what they show, and their query counts."""

from __future__ import annotations

import pytest

from reporting.models import Question, Survey
from tests.programs.factories import ProgramFactory, participant_for
from tests.reporting.factories import assign, people, respond, survey, survey_program

ALL_KINDS = [
    {
        "kind": "likert",
        "key": "confidence",
        "text": "Confident?",
        "low_label": "Low",
        "high_label": "High",
    },
    {"kind": "nps", "key": "nps", "text": "Recommend?"},
    {
        "kind": "single_choice",
        "key": "one",
        "text": "Pick one",
        "choices": ["Red", "Blue"],
    },
    {
        "kind": "multi_choice",
        "key": "many",
        "text": "Pick many",
        "choices": ["Time", "Language"],
    },
    {"kind": "short_text", "key": "short", "text": "In a word?"},
    {"kind": "long_text", "key": "long", "text": "Tell us more", "required": False},
    {"kind": "competency_matrix", "key": "competencies", "text": "Rate yourself"},
]


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(coordinators=[coordinator], name="Bridges to Leadership")


def _url(program, made=None, tail=""):
    base = f"/manage/programs/{program.pk}/surveys/"
    return base + (f"{made.pk}/" if made else "") + tail


def test_list_offers_templates_and_links_from_the_program(alpha, program):
    client = alpha.client("coordinator")
    page = client.get(_url(program)).content.decode()
    assert "No surveys yet" in page
    for name in (
        "Baseline",
        "Mid-point check",
        "Closing",
        "Mentor experience",
        "Reverse mentoring pair",
    ):
        assert name in page
    detail = client.get(f"/manage/programs/{program.pk}/").content.decode()
    assert _url(program) in detail


def test_copying_a_template_opens_the_builder(alpha, program):
    client = alpha.client("coordinator")
    response = client.post(_url(program, tail="new/"), {"template": "baseline"})
    made = Survey.objects.get(program=program)
    assert response.status_code == 302
    assert response["Location"] == _url(program, made)
    page = client.get(response["Location"]).content.decode()
    assert "Where are you starting from?" in page
    assert "Public speaking" in page


def test_builder_adds_a_question_and_rejects_a_bad_one_with_422(alpha, program):
    client = alpha.client("coordinator")
    made = survey(program, status=Survey.Status.DRAFT)
    ok = client.post(
        _url(program, made, "questions/new/"),
        {"kind": "likert", "text": "Ready?", "required": "on"},
    )
    assert ok.status_code == 302
    bad = client.post(
        _url(program, made, "questions/new/"),
        {"kind": "single_choice", "text": "Which?", "choices": "only one"},
    )
    assert bad.status_code == 422
    assert "at least two options" in bad.content.decode()
    assert list(made.questions.values_list("text", flat=True)) == ["Ready?"]


def test_preview_shows_every_question_type_as_participants_see_it(alpha, program):
    made = survey(program, questions=ALL_KINDS, is_anonymous=True)
    page = (
        alpha.client("coordinator")
        .get(_url(program, made, "preview/"))
        .content.decode()
    )
    assert "Preview" in page
    assert "Anonymous." in page
    for spec in ALL_KINDS:
        assert spec["text"] in page
    assert page.count('type="radio"') == 5 + 11 + 2 + 5 * 3


def test_answered_survey_hides_remove_buttons(alpha, program):
    made = survey(program, questions=ALL_KINDS[:1])
    [person] = people(program, 1)
    respond(made, person, {"confidence": 3})
    page = alpha.client("coordinator").get(_url(program, made)).content.decode()
    assert "can't change" in page or "not removed" in page
    assert 'value="delete"' not in page


def test_removing_a_question_of_an_answered_survey_is_refused(alpha, program):
    made = survey(program, questions=ALL_KINDS[:1])
    [person] = people(program, 1)
    respond(made, person, {"confidence": 3})
    question = made.questions.get()
    alpha.client("coordinator").post(
        _url(program, made, f"questions/{question.pk}/change/"), {"action": "delete"}
    )
    assert Question.objects.filter(pk=question.pk).exists()


@pytest.mark.parametrize("tail", ["", "preview/", "send/", "results/"])
def test_other_coordinators_get_404_and_members_403(alpha, tail):
    program = ProgramFactory(focus_areas=["A"])
    made = survey(program, questions=ALL_KINDS[:1])
    assert alpha.client("coordinator").get(_url(program, made, tail)).status_code == 404
    assert alpha.client("mentee").get(_url(program, made, tail)).status_code == 403


def test_outsider_sees_no_survey(alpha, beta, program):
    made = survey(program, questions=ALL_KINDS[:1], title="Secret survey title")
    response = beta.client("coordinator").get(_url(program, made))
    assert response.status_code == 404
    assert b"Secret survey title" not in response.content


def test_list_query_count_does_not_grow(alpha, program, django_assert_max_num_queries):
    client = alpha.client("coordinator")
    survey(program, questions=ALL_KINDS)
    # session, user, middleware checks, program, surveys with their counts (1)
    with django_assert_max_num_queries(7) as small_queries:
        small = client.get(_url(program))
    for _ in range(10):
        made = survey(program, questions=ALL_KINDS)
        for person in people(program, 2):
            respond(made, person, {"confidence": 2})
    with django_assert_max_num_queries(7) as large_queries:
        large = client.get(_url(program))
    assert small.status_code == large.status_code == 200
    assert len(small_queries) == len(large_queries)
    assert large.content.decode().count("badge-open") == 11


def test_settings_save_and_refuse_weeks_missing_with_422(alpha, program):
    client = alpha.client("coordinator")
    made = survey(program, status=Survey.Status.DRAFT)
    fields = {
        "title": "Renamed",
        "intro": "",
        "kind": "custom",
        "audience_role": "both",
        "trigger": "match_weeks",
        "trigger_weeks": "",
        "due_days": "10",
    }
    bad = client.post(_url(program, made), fields)
    assert bad.status_code == 422
    assert "Say after how many weeks." in bad.content.decode()
    ok = client.post(_url(program, made), fields | {"trigger_weeks": "6"})
    assert ok.status_code == 302
    made.refresh_from_db()
    assert (made.title, made.trigger_weeks, made.due_days) == ("Renamed", 6, 10)


def test_portal_panel_query_count_does_not_grow(
    alpha, program, mentee, django_assert_max_num_queries
):
    participant = participant_for(mentee)
    enrollment = program.enrollments.create(
        participant=participant, role="mentee", status="approved"
    )
    client = alpha.client("mentee")
    assign(survey(program, questions=ALL_KINDS[:1]), enrollment)
    # session, user, middleware checks, the assignments with survey and program (1)
    with django_assert_max_num_queries(6) as small:
        client.get("/surveys/panel/")
    for index in range(8):
        assign(
            survey(program, questions=ALL_KINDS[:1], title=f"Pulse {index}"), enrollment
        )
    with django_assert_max_num_queries(6) as large:
        page = client.get("/surveys/panel/").content.decode()
    assert len(small) == len(large)
    assert page.count("/surveys/") >= 9


def test_send_now_asks_first_with_how_many_the_filters_reach(alpha, coordinator):
    # given: an open survey for mentees, two approved mentees and a mentor
    from reporting.models import SurveySend
    from tests.programs.factories import EnrollingProgramFactory, EnrollmentFactory
    from tests.reporting.factories import survey as survey_factory

    program = EnrollingProgramFactory(coordinators=[coordinator])
    EnrollmentFactory.create_batch(2, program=program, role="mentee", status="approved")
    EnrollmentFactory(program=program, role="mentor", status="approved")
    made = survey_factory(program, audience_role="both")
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/surveys/{made.pk}/send/"
    # when: "Send now" with a role filter, without confirming
    response = client.post(url, {"roles": ["mentee"]})
    # then: the confirmation names the filtered count and carries the filter on
    page = response.content.decode()
    assert response.status_code == 200
    assert "to 2 people now?" in page
    assert "Emails 2 people" in page
    assert '<input type="hidden" name="roles" value="mentee">' in page
    assert not SurveySend.objects.filter(survey=made).exists()
    # when: confirmed
    response = client.post(url, {"roles": ["mentee"], "confirmed": "yes"})
    assert response.status_code == 302
    assert SurveySend.objects.filter(survey=made).count() == 1
