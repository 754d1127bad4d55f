"""Retention: a closed program's people are anonymised N months after it closed —
not a day before — unless they are in a later program; HR admins see the date
beforehand."""

from __future__ import annotations

import datetime

import time_machine
from auditlog.models import LogEntry
from django.utils import timezone

from mentorship.accounts.models import User
from privacy import tasks
from privacy.models import RetentionPolicy
from privacy.services import retention
from programs.models import Enrollment, Program
from programs.services import program_transition
from tests.checkins.conftest import make_pair

CLOSED_AT = datetime.datetime(2026, 1, 31, 16, 0, tzinfo=datetime.UTC)


def _world(coordinator, mentor, mentee):
    old = Program.objects.create(name="Spring cohort", status=Program.Status.ACTIVE)
    old.coordinators.add(coordinator)
    make_pair(program=old, mentor=mentor, mentee=mentee)
    Enrollment.objects.filter(program=old).update(answers={"1": "my answer"})
    # the mentor goes on in a later program
    later = Program.objects.create(name="Autumn cohort", status=Program.Status.ACTIVE)
    Enrollment.objects.create(
        participant=mentor.participant, program=later, role="mentor", status="approved"
    )
    with time_machine.travel(CLOSED_AT, tick=False):
        program_transition(program=old, to=Program.Status.CLOSED, by=coordinator)
    return old


def test_anonymised_after_n_months_and_not_a_day_before(
    alpha, coordinator, mentor, mentee
):
    # given: keep 6 months; the program closed on 31 January
    RetentionPolicy.objects.update_or_create(
        pk=retention.policy_get().pk, defaults={"months": 6}
    )
    old = _world(coordinator, mentor, mentee)
    name = mentee.full_name
    due = datetime.date(2026, 7, 31)
    # the HR admin sees when it will happen
    (row,) = [
        r for r in retention.retention_schedule(now=CLOSED_AT) if r.program == old
    ]
    assert row.closed_on == CLOSED_AT.date()
    assert row.anonymise_on == due
    assert (row.erased_count, row.kept_count) == (1, 1)
    # when: the day before
    with time_machine.travel(
        datetime.datetime(2026, 7, 30, 23, 59, tzinfo=datetime.UTC)
    ):
        assert tasks.retention_run_task()["people"] == 0
    # then: nothing happened
    assert User.objects.get(pk=mentee.pk).full_name == name
    assert Enrollment.objects.filter(program=old, answers={}).count() == 0
    # when: on the day
    with time_machine.travel(datetime.datetime(2026, 7, 31, 0, 1, tzinfo=datetime.UTC)):
        assert tasks.retention_run_task()["people"] == 1
    # then: the mentee (in no other program) is erased; the mentor, still in a
    # later program, keeps their account but not this program's answers
    assert User.objects.get(pk=mentee.pk).full_name == "Former participant"
    assert not User.objects.get(pk=mentee.pk).is_active
    assert User.objects.get(pk=mentor.pk).full_name == mentor.full_name
    assert Enrollment.objects.filter(program=old, answers={}).count() == 2
    entry = LogEntry.objects.get(
        additional_data__action="retention.anonymised", object_id=old.pk
    )
    assert entry.object_id == old.pk
    assert entry.actor is None
    erased = LogEntry.objects.get(
        additional_data__action="person.erased", object_id=mentee.pk
    )
    assert erased.additional_data["reason"] == "retention"
    # and only once
    with time_machine.travel(datetime.datetime(2026, 8, 1, tzinfo=datetime.UTC)):
        assert tasks.retention_run_task()["programs"] == 0
    (row,) = [
        r for r in retention.retention_schedule(now=timezone.now()) if r.program == old
    ]
    assert row.done_on == due


def test_month_ends_clamp():
    assert retention.add_months(datetime.date(2026, 8, 31), 6) == datetime.date(
        2027, 2, 28
    )
    assert retention.add_months(datetime.date(2024, 2, 29), 12) == datetime.date(
        2025, 2, 28
    )


def test_schedule_in_the_admin(
    alpha, coordinator, mentor, mentee, django_assert_max_num_queries
):
    _world(coordinator, mentor, mentee)
    client = alpha.client("hradmin")
    response = client.get("/admin/privacy/retentionpolicy/", follow=True)
    assert response.status_code == 200
    assert b"Spring cohort" in response.content
    assert b"31 Jan 2028" in response.content  # the default 24 months
    # the period is changed in the admin, and that change is audited
    policy = retention.policy_get()
    response = client.post(
        f"/admin/privacy/retentionpolicy/{policy.pk}/change/", {"months": "12"}
    )
    assert response.status_code == 302
    assert retention.policy_get().months == 12
    assert (
        LogEntry.objects.get_for_object(policy)
        .filter(changes__has_key="months")
        .exists()
    )
