"""The "you're due to meet" producer: digest items, once per cadence period."""

import datetime

from django.utils import timezone

from checkins import services, tasks
from checkins.models import Meeting
from mentorship.notifications.models import Notification


def _due_nudges():
    return Notification.objects.filter(kind="checkins-due")


def test_nudges_both_people_when_the_cadence_has_lapsed(pair, mentee):
    # started 30 days ago, cadence 14, never met; Priya asked to be called "Priya"
    mentee.preferred_name = "Priya"
    mentee.save(update_fields=["preferred_name"])
    created = services.checkins_nudges_create(now=timezone.now())
    assert created == 2
    nudges = _due_nudges()
    assert {n.recipient for n in nudges} == {pair.mentor.user, pair.mentee.user}
    assert {n.channel for n in nudges} == {Notification.Channel.DIGEST}
    mentor_nudge = nudges.get(recipient=pair.mentor.user)
    assert mentor_nudge.subject == "Time to meet Priya"
    assert mentor_nudge.link == f"/pairs/{pair.match.pk}/"


def test_is_idempotent_within_a_period(pair):
    now = timezone.now()
    services.checkins_nudges_create(now=now)
    assert services.checkins_nudges_create(now=now + datetime.timedelta(hours=1)) == 0
    assert services.checkins_nudges_create(now=now + datetime.timedelta(days=2)) == 0
    # the next cadence period nudges again
    assert services.checkins_nudges_create(now=now + datetime.timedelta(days=14)) == 2


def test_no_nudge_when_a_meeting_is_coming(pair):
    Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        status=Meeting.Status.CONFIRMED,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now(),
    )
    assert services.checkins_nudges_create(now=timezone.now()) == 0


def test_no_nudge_within_the_cadence_of_the_last_meeting(pair):
    Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        status=Meeting.Status.HELD,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=7),
    )
    assert services.checkins_nudges_create(now=timezone.now()) == 0
    assert (
        services.checkins_nudges_create(
            now=timezone.now() + datetime.timedelta(days=10)
        )
        == 2
    )


def test_task_calls_the_service(pair):
    assert tasks.checkins_nudges_create_task() == {"created": 2}


def test_registered_in_beat_through_the_fan_out():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["checkins-nudges-create"]
    assert entry["task"] == "mentorship.organizations.tasks.tenant_fan_out_task"
    assert entry["args"] == [tasks.checkins_nudges_create_task.name]
