"""The coordinators' weekly at-risk digest: one item a week per coordinator, listing
the at-risk pairs of their programs (HR admins: all), never a note."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from checkins import services, tasks
from checkins.models import Meeting, MeetingLog, PrivateNote, Pulse
from checkins.services import risk_digest
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.models import Program
from tests.checkins.bulk import bulk_pairs

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
# Monday 8 June 2026 (ISO week 24), 08:00 in Warsaw: an hour before the 09:00 digest.
MONDAY_0800 = datetime.datetime(2026, 6, 8, 8, 0, tzinfo=WARSAW)
NOTE_SENTINEL = "NOTE-SENTINEL-7f3a"


@pytest.fixture(autouse=True)
def monday_morning(alpha):
    """Frozen at MONDAY_0800 (pairs and meetings are made relative to it), with
    every coordinator and HR admin in Warsaw so their digests share an hour."""
    with time_machine.travel(MONDAY_0800, tick=False):
        User.objects.filter(
            role__in=[User.Role.COORDINATOR, User.Role.HR_ADMIN]
        ).update(time_zone="Europe/Warsaw")
        yield


def _digests(recipient: User | None = None):
    digests = Notification.objects.filter(kind=risk_digest.KIND)
    return digests if recipient is None else digests.filter(recipient=recipient)


def _program(name: str, *coordinators: User) -> Program:
    program = Program.objects.create(
        name=name, status=Program.Status.ACTIVE, meeting_cadence_days=14
    )
    program.coordinators.add(*coordinators)
    return program


def _pairs(program: Program, prefix: str, count: int = 3) -> None:
    """Pair 0 last met 40 days ago (at risk); pairs 1 and 2 are healthy."""
    bulk_pairs(
        program=program,
        count=count,
        prefix=prefix,
        names=[(f"{prefix} Mentor {n}", f"{prefix} Mentee {n}") for n in range(count)],
    )


def test_lists_the_at_risk_pairs_of_the_coordinators_programs(coordinator):
    # given
    program = _program("Growth mentoring", coordinator)
    _pairs(program, "Grow")
    _pairs(_program("Someone else's"), "Other")
    # when
    created = services.coordinator_risk_digest_create(now=timezone.now())
    # then: one for the coordinator, one for the HR admin (coordinator2 has none)
    assert created == 2
    digest = _digests(coordinator).get()
    assert digest.channel == Notification.Channel.DIGEST
    assert digest.subject == "This week: 1 pair is at risk in Growth mentoring"
    assert digest.body == (
        "Growth mentoring: 1 pair\n"
        "- Grow Mentor 0 and Grow Mentee 0: No meeting for 40 days"
    )
    assert digest.link == f"/manage/programs/{program.pk}/health/?at_risk=1"
    assert digest.due_at == MONDAY_0800.replace(hour=9)
    assert digest.dedupe_key == f"coordinator-risk-digest:{coordinator.pk}:2026-W24"


def test_hr_admin_sees_every_program(hr_admin, coordinator):
    _pairs(_program("Alpha leaders", coordinator), "Lead")
    _pairs(_program("Beta builders"), "Build")
    services.coordinator_risk_digest_create(now=timezone.now())
    digest = _digests(hr_admin).get()
    assert digest.subject == "This week: 2 pairs are at risk in 2 of your programs"
    assert "Alpha leaders: 1 pair\n- Lead Mentor 0 and Lead Mentee 0" in digest.body
    assert "Beta builders: 1 pair\n- Build Mentor 0 and Build Mentee 0" in digest.body
    # the coordinator hears about their own program only
    assert "Beta builders" not in _digests(coordinator).get().body


def test_lists_every_reason(coordinator, pair):
    program = pair.match.program
    program.coordinators.add(coordinator)
    held = Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Meeting.Status.HELD,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=5),
    )
    Pulse.objects.create(meeting=held, author=pair.mentee.user, usefulness=1)
    services.coordinator_risk_digest_create(now=timezone.now())
    assert "Low pulse: 1/5 on the last meeting" in _digests(coordinator).get().body


def test_nothing_when_no_pair_is_at_risk(coordinator, hr_admin):
    _pairs(_program("Growth mentoring", coordinator), "Fine", count=3)
    Meeting.objects.filter(
        match__program__name="Growth mentoring", status=Meeting.Status.HELD
    ).update(starts_at=timezone.now() - datetime.timedelta(days=10))
    assert services.coordinator_risk_digest_create(now=timezone.now()) == 0
    assert not _digests().exists()


def test_nothing_for_closed_programs(hr_admin):
    program = _program("Finished")
    _pairs(program, "Old")
    Program.objects.filter(pk=program.pk).update(status=Program.Status.CLOSED)
    assert services.coordinator_risk_digest_create(now=timezone.now()) == 0


def test_only_coordinators_and_hr_admins_get_it(coordinator, hr_admin):
    _pairs(_program("Growth mentoring", coordinator), "Grow")
    services.coordinator_risk_digest_create(now=timezone.now())
    assert set(_digests().values_list("recipient", flat=True)) == {
        coordinator.pk,
        hr_admin.pk,
    }


def test_created_once_a_week(coordinator, hr_admin):
    User.objects.filter(pk=hr_admin.pk).update(is_active=False)
    _pairs(_program("Growth mentoring", coordinator), "Grow")
    now = timezone.now()
    assert services.coordinator_risk_digest_create(now=now) == 1
    # the same run again, the next hourly run, and the rest of the week: nothing new
    assert services.coordinator_risk_digest_create(now=now) == 0
    assert (
        services.coordinator_risk_digest_create(now=now + datetime.timedelta(hours=1))
        == 0
    )
    for days in range(1, 5):
        assert (
            services.coordinator_risk_digest_create(
                now=now + datetime.timedelta(days=days)
            )
            == 0
        )
    # next Monday: week 25
    assert (
        services.coordinator_risk_digest_create(now=now + datetime.timedelta(days=7))
        == 1
    )
    assert _digests().filter(dedupe_key__endswith=":2026-W25").count() == 1


def test_made_just_before_the_coordinators_digest_on_a_working_day(
    coordinator, hr_admin
):
    User.objects.filter(pk=hr_admin.pk).update(is_active=False)
    _pairs(_program("Growth mentoring", coordinator), "Grow")
    now = timezone.now()
    # too early, and after the digest hour: wait for the next digest's run
    assert (
        services.coordinator_risk_digest_create(now=now - datetime.timedelta(hours=3))
        == 0
    )
    assert (
        services.coordinator_risk_digest_create(now=now + datetime.timedelta(hours=2))
        == 0
    )
    # Saturday before 09:00 is not a working day for a Monday-to-Friday coordinator
    saturday = now - datetime.timedelta(days=2)
    assert services.coordinator_risk_digest_create(now=saturday) == 0
    assert services.coordinator_risk_digest_create(now=now) == 1
    local_due = _digests().get().due_at.astimezone(WARSAW)
    assert (local_due.weekday(), local_due.time()) == (0, datetime.time(9, 0))


def test_never_includes_notes(coordinator, hr_admin, pair):
    # given: an at-risk pair whose meeting has every kind of note, each a sentinel
    pair.match.program.coordinators.add(coordinator)
    held = Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Meeting.Status.HELD,
        agenda=f"agenda {NOTE_SENTINEL}",
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=5),
    )
    MeetingLog.objects.create(
        meeting=held,
        author=pair.mentor.user,
        happened=True,
        topics=f"topics {NOTE_SENTINEL}",
        shared_notes=f"<p>shared {NOTE_SENTINEL}</p>",
        action_items=f"actions {NOTE_SENTINEL}",
    )
    PrivateNote.objects.create(
        meeting=held, author=pair.mentee.user, body=f"private {NOTE_SENTINEL}"
    )
    Pulse.objects.create(
        meeting=held,
        author=pair.mentee.user,
        usefulness=1,
        for_coordinator=f"for the coordinator {NOTE_SENTINEL}",
    )
    # when
    assert services.coordinator_risk_digest_create(now=timezone.now()) == 2
    # then
    for digest in _digests():
        assert "Low pulse" in digest.body
        for text in (digest.subject, digest.body, digest.link):
            assert NOTE_SENTINEL not in text


@pytest.mark.parametrize("size", [10, 200])
def test_query_count_does_not_grow_with_pairs(
    coordinator, hr_admin, size, django_assert_max_num_queries
):
    first = _program("First", coordinator)
    second = _program("Second", coordinator)
    bulk_pairs(program=first, count=size, prefix=f"f{size}")
    bulk_pairs(program=second, count=size, prefix=f"s{size}")
    # Expected: coordinators and HR admins with their profiles; who coordinates
    # what; the 4 health queries (pairs with meeting aggregates, goals, pulses,
    # who took part); then the outbox: count before, one INSERT, count after.
    with django_assert_max_num_queries(9):
        created = services.coordinator_risk_digest_create(now=timezone.now())
    assert created == 2  # the coordinator and the HR admin
    at_risk = len([n for n in range(size) if n % 3 == 0 or n % 5 == 4])
    body = _digests(coordinator).get().body
    assert f"First: {at_risk} pairs" in body
    assert body.count("\n- ") == 2 * min(at_risk, risk_digest.LISTED_PER_PROGRAM) + (
        2 * (at_risk > risk_digest.LISTED_PER_PROGRAM)
    )


def test_task_calls_the_service(coordinator):
    _pairs(_program("Growth mentoring", coordinator), "Grow")
    assert tasks.coordinator_risk_digest_create_task() == {"created": 2}


def test_registered_in_beat_through_the_fan_out():
    entry = settings.CELERY_BEAT_SCHEDULE["checkins-coordinator-risk-digest-create"]
    assert entry["task"] == "mentorship.organizations.tasks.tenant_fan_out_task"
    assert entry["args"] == [tasks.coordinator_risk_digest_create_task.name]
    assert entry["schedule"] <= risk_digest.LOOKAHEAD.total_seconds() / 2
