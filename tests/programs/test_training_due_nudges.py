"""The "finish your training before matching" producer: digest items, one per person
per program per local date, made shortly before the person's digest on working days."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs import tasks
from programs.models import (
    AudienceRole,
    Enrollment,
    Participant,
    Program,
    TrainingCompletion,
    TrainingModule,
)
from programs.services import nudges

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# Monday 8 June 2026, 08:00 in Warsaw (UTC+2): an hour before the 09:00 digest.
MONDAY_0800 = datetime.datetime(2026, 6, 8, 8, 0, tzinfo=WARSAW)
MONDAY_0900 = MONDAY_0800.replace(hour=9)


def _person(email: str, *, working_days: list[int] | None = None) -> Participant:
    user = User.objects.create_user(
        email,
        password=None,
        full_name=email.split("@")[0].title(),
        time_zone="Europe/Warsaw",
    )
    return Participant.objects.create(
        user=user, working_days=working_days or [0, 1, 2, 3, 4]
    )


def _program(status: str = Program.Status.ENROLLING, name: str = "Growth") -> Program:
    program = Program.objects.create(name=name, status=status)
    TrainingModule.objects.create(
        program=program,
        title="Cultural competence for mentors",
        required_for_role=AudienceRole.MENTOR,
        order=1,
    )
    return program


def _enroll(
    participant: Participant,
    program: Program,
    role: str = "mentor",
    status: str = Enrollment.Status.APPROVED,
) -> Enrollment:
    return Enrollment.objects.create(
        participant=participant, program=program, role=role, status=status
    )


def _nudges():
    return Notification.objects.filter(kind=nudges.KIND)


def test_nudges_approved_people_with_training_left(alpha):
    # given
    program = _program()
    participant = _person("minh@nudge.example")
    _enroll(participant, program)
    # when
    created = nudges.training_due_nudges_create(now=MONDAY_0800)
    # then
    assert created == 1
    nudge = _nudges().get()
    assert nudge.recipient == participant.user
    assert nudge.channel == Notification.Channel.DIGEST
    assert (
        nudge.subject
        == "Finish 'Cultural competence for mentors' before matching starts"
    )
    assert "Cultural competence for mentors" in nudge.body
    assert nudge.link == "/"
    assert nudge.due_at == MONDAY_0900
    assert nudge.dedupe_key == (
        f"training-due:{program.pk}:{participant.user.pk}:2026-06-08"
    )


def test_created_once_per_local_date(alpha):
    _enroll(_person("minh@nudge.example"), _program())
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 1
    # the next hourly run, and a second run at the same instant, add nothing
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0
    assert (
        nudges.training_due_nudges_create(
            now=MONDAY_0800 + datetime.timedelta(minutes=50)
        )
        == 0
    )
    assert _nudges().count() == 1
    # the next day's digest gets the next one
    assert (
        nudges.training_due_nudges_create(now=MONDAY_0800 + datetime.timedelta(days=1))
        == 1
    )


def test_nothing_long_before_or_after_the_digest_hour(alpha):
    # The item is made in the two hours before the digest, so it's fresh when sent.
    _enroll(_person("minh@nudge.example"), _program())
    assert nudges.training_due_nudges_create(now=MONDAY_0800.replace(hour=5)) == 0
    assert nudges.training_due_nudges_create(now=MONDAY_0800.replace(hour=10)) == 0


def test_nothing_once_the_training_is_done(alpha):
    program = _program()
    enrollment = _enroll(_person("minh@nudge.example"), program)
    TrainingCompletion.objects.create(
        enrollment=enrollment,
        module=program.training_modules.get(),
        completed_at=timezone.now(),
    )
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0


def test_only_the_modules_left_are_listed(alpha):
    program = _program()
    TrainingModule.objects.create(
        program=program,
        title="Listening well",
        required_for_role=AudienceRole.BOTH,
        order=2,
    )
    enrollment = _enroll(_person("minh@nudge.example"), program)
    TrainingCompletion.objects.create(
        enrollment=enrollment,
        module=program.training_modules.get(title="Listening well"),
        completed_at=timezone.now(),
    )
    nudges.training_due_nudges_create(now=MONDAY_0800)
    nudge = _nudges().get()
    assert "Cultural competence for mentors" in nudge.body
    assert "Listening well" not in nudge.body


def test_nothing_for_modules_of_the_other_role(alpha):
    _enroll(_person("priya@nudge.example"), _program(), role="mentee")
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0


def test_modules_for_everyone_count_for_mentees(alpha):
    program = _program()
    TrainingModule.objects.create(
        program=program, title="Listening well", required_for_role=AudienceRole.BOTH
    )
    _enroll(_person("priya@nudge.example"), program, role="mentee")
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 1
    assert _nudges().get().subject == "Finish 'Listening well' before matching starts"


def test_one_item_per_person_and_program_whatever_their_roles(alpha):
    program = _program()
    TrainingModule.objects.create(
        program=program,
        title="Being mentored",
        required_for_role=AudienceRole.MENTEE,
        order=2,
    )
    participant = _person("both@nudge.example")
    _enroll(participant, program, role="mentor")
    _enroll(participant, program, role="mentee")
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 1
    nudge = _nudges().get()
    assert nudge.subject == "Finish 2 training modules before matching starts"
    assert "- Cultural competence for mentors\n- Being mentored" in nudge.body


def test_programs_in_matching_are_nudged_too(alpha):
    _enroll(_person("minh@nudge.example"), _program(status=Program.Status.MATCHING))
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 1
    assert _nudges().get().subject.endswith("before you are matched")


@pytest.mark.parametrize(
    "status", [Program.Status.DRAFT, Program.Status.ACTIVE, Program.Status.CLOSED]
)
def test_nothing_for_programs_past_or_before_enrolment(alpha, status):
    _enroll(_person("minh@nudge.example"), _program(status=status))
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0


@pytest.mark.parametrize(
    "status",
    [
        Enrollment.Status.APPLIED,
        Enrollment.Status.WAITLISTED,
        Enrollment.Status.WITHDRAWN,
        Enrollment.Status.DECLINED,
    ],
)
def test_nothing_for_enrolments_not_approved(alpha, status):
    _enroll(_person("minh@nudge.example"), _program(), status=status)
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0


def test_nothing_for_deactivated_people(alpha):
    participant = _person("gone@nudge.example")
    _enroll(participant, _program())
    User.objects.filter(pk=participant.user_id).update(is_active=False)
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0


def test_respects_working_days(alpha):
    # given: one person works Monday to Friday, the other Tuesday to Saturday
    program = _program()
    weekdays = _person("weekdays@nudge.example")
    tuesday_to_saturday = _person(
        "saturdays@nudge.example", working_days=[1, 2, 3, 4, 5]
    )
    _enroll(weekdays, program)
    _enroll(tuesday_to_saturday, program)
    # when: Monday before the digest hour
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 1
    assert _nudges().get().recipient == weekdays.user
    # when: Saturday 13 June before the digest hour
    saturday = MONDAY_0800 + datetime.timedelta(days=5)
    assert nudges.training_due_nudges_create(now=saturday) == 1
    # then: Saturday's item is for the Saturday worker, at 09:00 on their Saturday
    nudge = _nudges().get(recipient=tuesday_to_saturday.user)
    local_due = nudge.due_at.astimezone(WARSAW)
    assert (local_due.weekday(), local_due.time()) == (5, datetime.time(9, 0))
    assert nudge.digest_days == "12345"
    # and Sunday brings nothing for either of them
    assert (
        nudges.training_due_nudges_create(now=saturday + datetime.timedelta(days=1))
        == 0
    )


def test_the_digest_hour_is_the_persons(alpha):
    participant = _person("late@nudge.example")
    User.objects.filter(pk=participant.user_id).update(
        digest_hour=datetime.time(11, 30)
    )
    _enroll(participant, _program())
    assert nudges.training_due_nudges_create(now=MONDAY_0800) == 0  # 3.5 h ahead
    assert nudges.training_due_nudges_create(now=MONDAY_0800.replace(hour=10)) == 1
    assert _nudges().get().due_at == MONDAY_0800.replace(hour=11, minute=30)


def _bulk_enrolled(program: Program, count: int) -> None:
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk-training-{count}-{n}@bulk.example",
                full_name=f"Bulk {n:05d}",
                time_zone="Europe/Warsaw",
                password="!unusable",
            )
            for n in range(count)
        ]
    )
    participants = Participant.objects.bulk_create(
        [Participant(user=user) for user in users]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role=("mentor", "mentee")[n % 2],
                status=Enrollment.Status.APPROVED,
            )
            for n, participant in enumerate(participants)
        ]
    )
    # every fourth mentor has finished already
    module = program.training_modules.get(required_for_role=AudienceRole.MENTOR)
    TrainingCompletion.objects.bulk_create(
        [
            TrainingCompletion(
                enrollment=enrollment, module=module, completed_at=timezone.now()
            )
            for n, enrollment in enumerate(enrollments)
            if n % 4 == 0
        ]
    )


@pytest.mark.parametrize("size", [10, 200])
def test_query_count_does_not_grow_with_people(
    alpha, size, django_assert_max_num_queries
):
    program = _program()
    TrainingModule.objects.create(
        program=program, title="Listening well", required_for_role=AudienceRole.BOTH
    )
    _bulk_enrolled(program, size)
    # Expected: enrolments with person and program; the programs' modules; the
    # completions; then the outbox: count before, one INSERT (< 1,000 rows), count.
    with django_assert_max_num_queries(6):
        created = nudges.training_due_nudges_create(now=MONDAY_0800)
    assert created == size  # everyone has "Listening well" left


@time_machine.travel(MONDAY_0800, tick=False)
def test_task_calls_the_service(alpha):
    _enroll(_person("minh@nudge.example"), _program())
    assert tasks.training_due_nudges_create_task() == {"created": 1}


def test_registered_in_beat_through_the_fan_out():
    entry = settings.CELERY_BEAT_SCHEDULE["programs-training-due-nudges-create"]
    assert entry["task"] == "mentorship.organizations.tasks.tenant_fan_out_task"
    assert entry["args"] == [tasks.training_due_nudges_create_task.name]
    assert entry["schedule"] <= nudges.LOOKAHEAD.total_seconds() / 2
