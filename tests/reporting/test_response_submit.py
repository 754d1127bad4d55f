"""Answering: attributed responses are edited in place until due; anonymous ones are
stored with no link to the person and shown to nobody, the person included."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from reporting.models import Answer, Response, Survey, SurveyAssignment
from reporting.services import responses
from tests.programs.factories import participant_for
from tests.reporting.factories import assign, people, survey, survey_program
from tests.reporting.test_survey_views import ALL_KINDS


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(coordinators=[coordinator])


def _mine(program, made, user, days=7):
    participant = participant_for(user, country="IN")
    enrollment, _ = program.enrollments.get_or_create(
        participant=participant, role="mentee", defaults={"status": "approved"}
    )
    return assign(made, enrollment, days=days)


def _valid(made) -> dict[str, list[str]]:
    data = {}
    for question in made.questions.all():
        name = f"q{question.pk}"
        if question.kind == "competency_matrix":
            for row in range(len(question.choices)):
                data[f"{name}-{row}"] = ["4"]
        elif question.kind == "likert":
            data[name] = ["3"]
        elif question.kind == "nps":
            data[name] = ["9"]
        elif question.kind == "single_choice":
            data[name] = [question.choices[0]]
        elif question.kind == "multi_choice":
            data[name] = list(question.choices)
        else:
            data[name] = ["Words"]
    return data


def test_attributed_answers_are_saved_and_replaced_on_edit(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS)
    assignment = _mine(program, made, mentee)
    today = timezone.now().date()
    first = responses.response_submit(
        assignment=assignment, by=mentee, data=_valid(made), today=today
    )
    assert first.assignment_id == assignment.pk
    # 1 likert + 1 nps + 1 choice + 2 multi + 1 short + 1 long + 3 matrix rows
    assert first.answers.count() == 10
    likert = made.questions.get(key="confidence")
    edit = _valid(made) | {f"q{likert.pk}": ["5"]}
    second = responses.response_submit(
        assignment=assignment, by=mentee, data=edit, today=today
    )
    assert second.pk == first.pk
    assert Answer.objects.get(response=second, question=likert).number == 5
    assert Response.objects.filter(survey=made).count() == 1
    assignment.refresh_from_db()
    assert assignment.is_answered
    assert assignment.answered_on == today


def test_anonymous_response_has_no_link_to_the_person(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS, is_anonymous=True)
    assignment = _mine(program, made, mentee)
    result = responses.response_submit(
        assignment=assignment, by=mentee, data=_valid(made), today=timezone.now().date()
    )
    assert result is None
    response = Response.objects.get(survey=made)
    assert response.assignment_id is None
    assert response.is_anonymous
    assignment.refresh_from_db()
    assert assignment.is_answered
    assert assignment.answered_on is None  # no day ties the person to the response
    # the table itself holds no column that could point at a person or an instant
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, "reporting_response"
            )
        }
    assert columns == {
        "id", "survey_id", "is_anonymous", "assignment_id", "submitted_on",
        "updated_on", "role", "country", "time_zone", "seniority",
        # the segment's member organization (issue 18): shown in groups of 5+ only
        "member_organization_id", "member_organization_country",
    }  # fmt: skip
    types = {
        f.name: f.get_internal_type() for f in Response._meta.get_fields() if f.concrete
    }
    assert types["submitted_on"] == types["updated_on"] == "DateField"


def test_anonymous_survey_is_answered_once(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS, is_anonymous=True)
    assignment = _mine(program, made, mentee)
    today = timezone.now().date()
    responses.response_submit(
        assignment=assignment, by=mentee, data=_valid(made), today=today
    )
    with pytest.raises(ValidationError, match="answered this survey already"):
        responses.response_submit(
            assignment=assignment, by=mentee, data=_valid(made), today=today
        )
    assert Response.objects.filter(survey=made).count() == 1


def test_missing_and_bad_answers_are_refused_whole(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS)
    assignment = _mine(program, made, mentee)
    data = _valid(made)
    nps = made.questions.get(key="nps")
    short = made.questions.get(key="short")
    data[f"q{nps.pk}"] = ["11"]
    del data[f"q{short.pk}"]
    with pytest.raises(ValidationError) as error:
        responses.response_submit(
            assignment=assignment, by=mentee, data=data, today=timezone.now().date()
        )
    assert set(error.value.message_dict) == {f"q{nps.pk}", f"q{short.pk}"}
    assert not Response.objects.exists()
    assert not SurveyAssignment.objects.get(pk=assignment.pk).is_answered


def test_past_due_and_closed_surveys_refuse(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS)
    assignment = _mine(program, made, mentee, days=1)
    later = timezone.now().date() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError, match="closed on"):
        responses.response_submit(
            assignment=assignment, by=mentee, data=_valid(made), today=later
        )
    Survey.objects.filter(pk=made.pk).update(status=Survey.Status.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        responses.response_submit(
            assignment=assignment,
            by=mentee,
            data=_valid(made),
            today=timezone.now().date(),
        )


def test_someone_elses_assignment_is_refused(alpha, program, mentee, mentor):
    made = survey(program, questions=ALL_KINDS)
    assignment = _mine(program, made, mentee)
    with pytest.raises(PermissionDenied):
        responses.response_submit(
            assignment=assignment,
            by=mentor,
            data=_valid(made),
            today=timezone.now().date(),
        )


# --- The page -------------------------------------------------------------------------


def test_page_states_anonymity_before_answering(alpha, program, mentee):
    named = _mine(program, survey(program, questions=ALL_KINDS[:1]), mentee)
    page = alpha.client("mentee").get(f"/surveys/{named.pk}/").content.decode()
    assert "Not anonymous." in page
    anonymous = _mine(
        program,
        survey(program, questions=ALL_KINDS[:1], is_anonymous=True, title="Anon"),
        mentee,
    )
    page = alpha.client("mentee").get(f"/surveys/{anonymous.pk}/").content.decode()
    assert "Anonymous." in page
    assert "groups of 5 or more" in page


def test_answered_anonymous_survey_shows_thanks_never_the_answers(
    alpha, program, mentee
):
    made = survey(
        program,
        questions=[{"kind": "long_text", "key": "t", "text": "Say"}],
        is_anonymous=True,
    )
    assignment = _mine(program, made, mentee)
    client = alpha.client("mentee")
    question = made.questions.get()
    response = client.post(
        f"/surveys/{assignment.pk}/", {f"q{question.pk}": "My secret words"}
    )
    assert response.status_code == 302
    page = client.get(f"/surveys/{assignment.pk}/").content.decode()
    assert "Thank you" in page
    assert "My secret words" not in page
    assert "<textarea" not in page
    again = client.post(f"/surveys/{assignment.pk}/", {f"q{question.pk}": "Other"})
    assert again.status_code == 422
    assert Response.objects.filter(survey=made).count() == 1


def test_attributed_answers_come_back_for_editing(alpha, program, mentee):
    made = survey(
        program, questions=[{"kind": "short_text", "key": "t", "text": "Say"}]
    )
    assignment = _mine(program, made, mentee)
    client = alpha.client("mentee")
    question = made.questions.get()
    client.post(f"/surveys/{assignment.pk}/", {f"q{question.pk}": "Editable words"})
    page = client.get(f"/surveys/{assignment.pk}/").content.decode()
    assert 'value="Editable words"' in page
    assert "Save my changes" in page


def test_invalid_post_is_422_with_messages(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS)
    assignment = _mine(program, made, mentee)
    response = alpha.client("mentee").post(f"/surveys/{assignment.pk}/", {})
    assert response.status_code == 422
    assert "This question needs an answer." in response.content.decode()
    assert "Rate every focus area." in response.content.decode()


def test_another_persons_survey_is_404(alpha, program, mentee):
    made = survey(program, questions=ALL_KINDS[:1])
    [other] = people(program, 1)
    assignment = assign(made, other)
    assert alpha.client("mentee").get(f"/surveys/{assignment.pk}/").status_code == 404
    assert (
        alpha.client("coordinator").get(f"/surveys/{assignment.pk}/").status_code == 404
    )


def test_portal_panel_lists_pending_surveys(
    alpha, program, mentee, django_assert_max_num_queries
):
    made = survey(
        program, questions=ALL_KINDS[:1], title="Where are you starting from?"
    )
    _mine(program, made, mentee)
    client = alpha.client("mentee")
    home = client.get("/").content.decode()
    # The home renders the card in its first response (issue 16's Lighthouse work)…
    assert "Surveys for you" in home
    assert "Where are you starting from?" in home
    # …and the card is still served alone for htmx refreshes.
    with django_assert_max_num_queries(6):
        panel = client.get("/surveys/panel/").content.decode()
    assert "Where are you starting from?" in panel
    assert "Answer" in panel


def test_portal_panel_is_empty_without_surveys(alpha, mentee):
    participant_for(mentee)
    assert alpha.client("mentee").get("/surveys/panel/").content.decode().strip() == ""
