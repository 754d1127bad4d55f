"""Who is asked when: sends, program events, idempotency, and the outbox items."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import Match
from mentorship.notifications.models import Notification
from programs.models import Enrollment, Program
from reporting import tasks
from reporting.models import Survey, SurveyAssignment, SurveySend
from reporting.services import assignments
from tests.matching.factories import enroll, person
from tests.reporting.factories import active_match, people, survey, survey_program

QUESTIONS = [{"kind": "likert", "key": "confidence", "text": "Confident?"}]


@pytest.fixture
def sent(monkeypatch):
    """Tasks enqueued on commit, captured instead of going to the broker."""
    calls = []
    for task in (
        tasks.survey_send_deliver_task,
        tasks.survey_assignments_for_program_task,
    ):
        monkeypatch.setattr(
            task,
            "apply_async",
            lambda args, task=task, **kw: calls.append((task.name, args)),
        )
    return calls


def test_send_now_assigns_each_person_once_even_when_rerun(
    alpha, coordinator, sent, django_capture_on_commit_callbacks
):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=QUESTIONS, status=Survey.Status.DRAFT, due_days=10)
    mentees = people(program, 3, role="mentee")
    people(program, 2, role="mentor")
    with django_capture_on_commit_callbacks(execute=True):
        send = assignments.survey_send_create(
            survey=made, by=coordinator, filters={"roles": ["mentee"]}
        )
    assert sent == [("reporting.tasks.survey_send_deliver_task", (send.pk,))]
    made.refresh_from_db()
    assert made.status == Survey.Status.OPEN  # sending opens it
    # the task, delivered twice (a retry or a redelivery)
    assert tasks.survey_send_deliver_task(send.pk) == {"created": 3}
    assert tasks.survey_send_deliver_task(send.pk) == {"created": 0}
    rows = SurveyAssignment.objects.filter(survey=made)
    assert sorted(rows.values_list("participant_id", flat=True)) == sorted(
        e.participant_id for e in mentees
    )
    assert set(rows.values_list("occasion", flat=True)) == {f"send:{send.pk}"}
    assignment = rows.first()
    local_today = timezone.now().astimezone(zoneinfo.ZoneInfo("Europe/Warsaw")).date()
    assert assignment.due_on == local_today + datetime.timedelta(days=10)
    # one announcement each, in the digest
    notes = Notification.objects.filter(kind=assignments.ANNOUNCE_KIND)
    assert notes.count() == 3
    assert set(notes.values_list("channel", flat=True)) == {Notification.Channel.DIGEST}
    send.refresh_from_db()
    assert send.assigned_count == 3


def test_send_filters_by_country_and_time_zone(alpha, coordinator, sent):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=QUESTIONS)
    enroll(program, person(country="VN", zone="Asia/Ho_Chi_Minh"), "mentee")
    enroll(program, person(country="PL", zone="Europe/Warsaw"), "mentee")
    enroll(program, person(country="VN", zone="Europe/Warsaw"), "mentee")
    audience = assignments.send_audience(
        survey=made, filters={"countries": ["VN"], "time_zones": ["Asia/Ho_Chi_Minh"]}
    )
    assert audience.count() == 1


def test_send_to_nobody_is_refused(alpha, coordinator, sent):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=QUESTIONS)
    people(program, 1)
    with pytest.raises(ValidationError, match="Nobody"):
        assignments.survey_send_create(
            survey=made, by=coordinator, filters={"countries": ["JP"]}
        )
    assert not SurveySend.objects.exists()


def test_enrolment_approved_after_opening_triggers_once(alpha):
    program = survey_program()
    made = survey(
        program,
        questions=QUESTIONS,
        trigger="enrollment_approved",
        opened_at=timezone.now(),
    )
    before = enroll(program, person(), "mentee")
    Enrollment.objects.filter(pk=before.pk).update(
        decided_at=timezone.now() - datetime.timedelta(days=1)
    )
    after = enroll(program, person(), "mentee")
    Enrollment.objects.filter(pk=after.pk).update(decided_at=timezone.now())
    now = timezone.now() + datetime.timedelta(seconds=1)
    assert assignments.survey_assignments_sweep(now=now) == 1
    assert assignments.survey_assignments_sweep(now=now) == 0
    assignment = SurveyAssignment.objects.get(survey=made)
    assert assignment.participant_id == after.participant_id
    assert assignment.occasion == f"enrollment:{after.pk}"


def test_n_weeks_into_a_match(alpha):
    program = survey_program()
    opened = timezone.now() - datetime.timedelta(weeks=10)
    made = survey(
        program,
        questions=QUESTIONS,
        trigger="match_weeks",
        trigger_weeks=6,
        audience_role="both",
        opened_at=opened,
    )
    mentor, mentee, mentee2 = (
        enroll(program, person(), "mentor"),
        enroll(program, person(), "mentee"),
        enroll(program, person(), "mentee"),
    )
    old = active_match(
        program, mentor, mentee, started_at=timezone.now() - datetime.timedelta(weeks=7)
    )
    active_match(
        program,
        mentor,
        mentee2,
        started_at=timezone.now() - datetime.timedelta(weeks=2),
    )
    assert assignments.survey_assignments_sweep(now=timezone.now()) == 2
    assert set(
        SurveyAssignment.objects.filter(survey=made).values_list("occasion", flat=True)
    ) == {f"match:{old.pk}:week-6"}


def test_only_the_surveys_audience_role_is_asked(alpha):
    program = survey_program()
    made = survey(
        program,
        questions=QUESTIONS,
        trigger="match_end",
        audience_role="mentor",
        opened_at=timezone.now(),
    )
    mentor, mentee = (
        enroll(program, person(), "mentor"),
        enroll(program, person(), "mentee"),
    )
    active_match(
        program,
        mentor,
        mentee,
        status=Match.Status.ENDED,
        ended_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    assert (
        assignments.survey_assignments_for_program(program=program, now=timezone.now())
        == 1
    )
    assert (
        SurveyAssignment.objects.get(survey=made).participant_id
        == mentor.participant_id
    )


def test_drafts_and_closed_surveys_are_not_triggered(alpha):
    program = survey_program(status=Program.Status.CLOSED)
    survey(
        program,
        questions=QUESTIONS,
        trigger="program_close",
        status=Survey.Status.DRAFT,
    )
    survey(
        program,
        questions=QUESTIONS,
        trigger="program_close",
        status=Survey.Status.CLOSED,
    )
    enroll(program, person(), "mentee", Enrollment.Status.COMPLETED)
    assert assignments.survey_assignments_sweep(now=timezone.now()) == 0


WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# Monday 8 June 2026, 08:00 in Warsaw: an hour before the 09:00 digest.
MONDAY_0800 = datetime.datetime(2026, 6, 8, 8, 0, tzinfo=WARSAW)


@pytest.mark.parametrize(
    ("days_left", "reminded"), [(7, True), (5, False), (3, True), (1, True), (0, True)]
)
def test_reminders_on_set_days_before_due(alpha, days_left, reminded):
    program = survey_program()
    made = survey(program, questions=QUESTIONS)
    [enrollment] = people(program, 1)
    assignment = SurveyAssignment.objects.create(
        survey=made,
        participant=enrollment.participant,
        occasion="x",
        due_on=MONDAY_0800.date() + datetime.timedelta(days=days_left),
    )
    with time_machine.travel(MONDAY_0800, tick=False):
        created = assignments.survey_reminders_create(now=timezone.now())
        again = assignments.survey_reminders_create(now=timezone.now())
    assert created == (1 if reminded else 0)
    assert again == 0
    if reminded:
        note = Notification.objects.get(kind=assignments.REMIND_KIND)
        assert note.dedupe_key == f"survey-reminder:{assignment.pk}:2026-06-08"
        assert note.due_at == MONDAY_0800.replace(hour=9)


def test_no_reminder_once_answered(alpha):
    program = survey_program()
    made = survey(program, questions=QUESTIONS)
    [enrollment] = people(program, 1)
    SurveyAssignment.objects.create(
        survey=made,
        participant=enrollment.participant,
        occasion="x",
        due_on=MONDAY_0800.date() + datetime.timedelta(days=3),
        is_answered=True,
    )
    with time_machine.travel(MONDAY_0800, tick=False):
        assert assignments.survey_reminders_create(now=timezone.now()) == 0


def test_sweep_reaches_programs_that_also_have_manual_surveys(alpha):
    program = survey_program(status=Program.Status.CLOSED)
    survey(program, questions=QUESTIONS, trigger="manual")
    closing = survey(program, questions=QUESTIONS, trigger="program_close")
    enroll(program, person(), "mentee", Enrollment.Status.COMPLETED)
    assert assignments.survey_assignments_sweep(now=timezone.now()) == 1
    assert SurveyAssignment.objects.filter(survey=closing).count() == 1


def test_sweep_finishes_a_send_whose_task_was_lost(alpha, coordinator, sent):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=QUESTIONS)
    people(program, 2)
    send = assignments.survey_send_create(survey=made, by=coordinator, filters={})
    # the task never ran (its message was lost); ten minutes later the sweep does it
    assert assignments.survey_assignments_sweep(now=timezone.now()) == 0
    later = timezone.now() + assignments.STALE_SEND
    assert assignments.survey_assignments_sweep(now=later) == 2
    send.refresh_from_db()
    assert send.finished_at is not None
    assert assignments.survey_assignments_sweep(now=later) == 0


def test_a_person_in_two_roles_is_asked_once_per_occasion(alpha):
    program = survey_program(status=Program.Status.CLOSED)
    closing = survey(program, questions=QUESTIONS, trigger="program_close")
    both = person()
    enroll(program, both, "mentee", Enrollment.Status.COMPLETED)
    enroll(program, both, "mentor", Enrollment.Status.COMPLETED)
    assert assignments.survey_assignments_sweep(now=timezone.now()) == 1
    assert SurveyAssignment.objects.filter(survey=closing).count() == 1
    assert Notification.objects.filter(kind=assignments.ANNOUNCE_KIND).count() == 1
