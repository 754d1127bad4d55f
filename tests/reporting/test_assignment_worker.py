"""Assignment creation on a real Celery worker: the same trigger delivered twice,
twice at once, and a worker killed mid-run end with exactly one assignment per
person per occasion (and one announcement each)."""

from __future__ import annotations

import signal
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django_tenants.utils import schema_context

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.models import Enrollment, Participant, Program
from reporting import tasks
from reporting.models import Question, Survey, SurveyAssignment, SurveySend
from tests.workers import running_worker, start_worker

pytestmark = pytest.mark.worker

SCHEMA = "org_alpha"


@dataclass
class World:
    program: Program
    survey: Survey
    people: int


def _make_world(tag: str, count: int, trigger: str = Survey.Trigger.MANUAL) -> World:
    """Committed rows (the worker is another process): a program, ``count`` approved
    mentees, an open survey."""
    program = Program.objects.create(
        name=f"Worker {tag}", status=Program.Status.CLOSED, focus_areas=["A"]
    )
    users = User.objects.bulk_create(
        User(email=f"w{tag}-{n}@worker.example", full_name=f"W {n}", password="!")
        for n in range(count)
    )
    participants = Participant.objects.bulk_create(Participant(user=u) for u in users)
    Enrollment.objects.bulk_create(
        Enrollment(participant=p, program=program, role="mentee", status="completed")
        for p in participants
    )
    made = Survey.objects.create(
        program=program, title=f"S {tag}", status=Survey.Status.OPEN, trigger=trigger
    )
    Question.objects.create(survey=made, kind="likert", key="confidence", text="Q")
    return World(program, made, count)


def _counts(world: World) -> tuple[int, int, int]:
    rows = SurveyAssignment.objects.filter(survey=world.survey)
    per_key = rows.values("participant", "occasion").annotate(n=Count("id"))
    announcements = Notification.objects.filter(
        kind="survey-assigned",
        recipient__participant__enrollments__program=world.program,
    ).count()
    return rows.count(), max((r["n"] for r in per_key), default=0), announcements


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker) -> Iterator[list[World]]:
    """Rows committed for the worker to see; deleted afterwards."""
    made: list[World] = []
    with django_db_blocker.unblock():
        connection.set_schema(SCHEMA)
        yield made
        with schema_context(SCHEMA):
            for world in made:
                Notification.objects.filter(
                    recipient__participant__enrollments__program=world.program
                ).delete()
                User.objects.filter(
                    participant__enrollments__program=world.program
                ).delete()
                world.program.delete()
        connection.set_schema_to_public()


@pytest.fixture(scope="module")
def shared_worker(committed, tmp_path_factory):
    """One worker on this run's default queue for the tests that don't kill it."""
    with running_worker(
        queue=settings.CELERY_TASK_DEFAULT_QUEUE,
        concurrency=2,
        log_dir=tmp_path_factory.mktemp("survey-workers"),
    ) as worker:
        yield worker


def test_cast_exists(db):
    """Makes pytest-django set the test database up for this module."""
    with schema_context(SCHEMA):
        assert User.objects.exists()


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def test_same_trigger_twice_and_twice_at_once(committed, shared_worker):
    with schema_context(SCHEMA):
        world = _make_world(uuid.uuid4().hex[:6], 60, Survey.Trigger.PROGRAM_CLOSE)
        committed.append(world)
        # two at once (concurrency 2), then a late redelivery
        first = tasks.survey_assignments_for_program_task.delay(world.program.pk)
        second = tasks.survey_assignments_for_program_task.delay(world.program.pk)
        created = first.get(timeout=60)["created"] + second.get(timeout=60)["created"]
        third = tasks.survey_assignments_for_program_task.delay(world.program.pk)
        assert third.get(timeout=60) == {"created": 0}
        assert created == world.people
        assignments, most_per_key, announcements = _counts(world)
        assert (assignments, most_per_key, announcements) == (
            world.people,
            1,
            world.people,
        )


def test_worker_killed_mid_run_then_redelivered(committed, shared_worker, tmp_path):
    with schema_context(SCHEMA):
        world = _make_world(uuid.uuid4().hex[:6], 3000)
        committed.append(world)
        send = SurveySend.objects.create(
            survey=world.survey, filters={"statuses": ["completed"]}
        )
        queue = f"surveys-kill-{uuid.uuid4().hex[:6]}"
        worker = start_worker(queue=queue, concurrency=1, log_dir=tmp_path)
        try:
            first = tasks.survey_send_deliver_task.apply_async(
                args=[send.pk], queue=queue
            )
            _wait(
                lambda: f"[{first.id}] received" in worker.log(),
                30,
                "the task to start",
            )
            time.sleep(0.2)
            # when: the worker dies mid-run (SIGKILL: no cleanup, no ack)
            finished_before_kill = "succeeded" in worker.log()
            worker.kill(signal.SIGKILL)
        finally:
            worker.kill(signal.SIGKILL)
        # then: the run's transaction never committed (or, if it had finished, all did)
        assignments, _, _ = _counts(world)
        assert not finished_before_kill, worker.log()[-2000:]
        assert assignments == 0
        # the same trigger delivered again, twice, to another worker: one each
        retry = tasks.survey_send_deliver_task.delay(send.pk)
        again = tasks.survey_send_deliver_task.delay(send.pk)
        created = [result.get(timeout=120)["created"] for result in (retry, again)]
        assert sorted(created) == [0, world.people]
        assignments, most_per_key, announcements = _counts(world)
        assert (assignments, most_per_key, announcements) == (
            world.people,
            1,
            world.people,
        )
        send.refresh_from_db()
        assert send.assigned_count == world.people
