"""Closing a program completes its matches and enrolments and sends its closing
surveys; ending a match early sends the end-of-match survey."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.models import Match
from programs.models import Enrollment, Program
from reporting import tasks
from reporting.models import Survey, SurveyAssignment
from tests.matching.factories import enroll, person
from tests.reporting.factories import active_match, survey, survey_program

QUESTIONS = [{"kind": "nps", "key": "nps", "text": "Recommend?"}]


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        tasks.survey_assignments_for_program_task,
        "apply_async",
        lambda args, **kw: calls.append(args),
    )
    return calls


@pytest.fixture
def world(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    mentor, mentee = (
        enroll(program, person(), "mentor"),
        enroll(program, person(), "mentee"),
    )
    proposed_mentee = enroll(program, person(), "mentee")
    waitlisted = enroll(program, person(), "mentee", Enrollment.Status.WAITLISTED)
    match = active_match(program, mentor, mentee)
    proposed = active_match(
        program, mentor, proposed_mentee, status=Match.Status.PROPOSED, started_at=None
    )
    closing = survey(
        program,
        questions=QUESTIONS,
        kind=Survey.Kind.CLOSING,
        trigger=Survey.Trigger.PROGRAM_CLOSE,
        audience_role="both",
        opened_at=timezone.now(),
    )
    return program, match, proposed, waitlisted, closing


def test_close_page_says_what_will_happen_and_closing_does_it(
    alpha, world, enqueued, django_capture_on_commit_callbacks
):
    program, match, proposed, waitlisted, closing = world
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/close/"
    page = client.get(url).content.decode()
    assert "2 matches that are running or proposed will be completed" in page
    assert "3 approved enrolments will be marked completed" in page
    assert closing.title in page
    # without the confirmation nothing happens: the post shows the page again
    response = client.post(url, {})
    assert response.status_code == 200
    assert b"Close the program" in response.content
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED
    match.refresh_from_db()
    proposed.refresh_from_db()
    assert match.status == Match.Status.COMPLETED
    assert match.ended_at is not None
    assert proposed.status == Match.Status.ENDED
    completed = program.enrollments.filter(status=Enrollment.Status.COMPLETED)
    assert completed.count() == 3
    assert all(e.completed_at is not None for e in completed)
    waitlisted.refresh_from_db()
    assert waitlisted.status == Enrollment.Status.WAITLISTED
    # the closing survey goes out after commit, once per person whatever the reruns
    assert enqueued == [(program.pk,)]
    assert tasks.survey_assignments_for_program_task(program.pk) == {"created": 3}
    assert tasks.survey_assignments_for_program_task(program.pk) == {"created": 0}
    assert set(
        SurveyAssignment.objects.filter(survey=closing).values_list(
            "occasion", flat=True
        )
    ) == {"program-close"}


def test_dashboard_close_button_goes_to_the_confirmation(alpha, world):
    program = world[0]
    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/")
        .content.decode()
    )
    assert f'href="/manage/programs/{program.pk}/close/"' in page


def test_other_coordinators_cannot_close(alpha, world):
    program = world[0]
    program.coordinators.clear()
    assert (
        alpha.client("coordinator")
        .post(f"/manage/programs/{program.pk}/close/", {"confirmed": "yes"})
        .status_code
        == 404
    )
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE


def test_ending_a_match_early_sends_the_end_of_match_survey(
    alpha, world, enqueued, django_capture_on_commit_callbacks
):
    program, match, *_ = world
    end_survey = survey(
        program,
        questions=QUESTIONS,
        trigger=Survey.Trigger.MATCH_END,
        audience_role="both",
        opened_at=timezone.now(),
    )
    client = alpha.client("coordinator")
    form = client.get(
        f"/manage/programs/{program.pk}/matches/{match.pk}/end/"
    ).content.decode()
    assert f"/manage/programs/{program.pk}/matches/{match.pk}/end/confirm/" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/manage/programs/{program.pk}/matches/{match.pk}/end/confirm/",
            {"reason": "Moved teams"},
        )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED
    assert enqueued == [(program.pk,)]
    tasks.survey_assignments_for_program_task(program.pk)
    assert sorted(
        SurveyAssignment.objects.filter(survey=end_survey).values_list(
            "participant_id", flat=True
        )
    ) == sorted([match.mentor.participant_id, match.mentee.participant_id])


def test_end_without_a_reason_is_422(alpha, world, enqueued):
    program, match, *_ = world
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/matches/{match.pk}/end/confirm/", {"reason": ""}
    )
    assert response.status_code == 422
    match.refresh_from_db()
    assert match.status == Match.Status.ACTIVE
    assert enqueued == []


def test_the_old_close_post_goes_to_the_confirmation(alpha, world):
    program = world[0]
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/transition/", {"to": "closed"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/manage/programs/{program.pk}/close/"
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
