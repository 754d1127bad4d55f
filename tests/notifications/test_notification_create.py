from datetime import UTC, datetime, time, timedelta
from unittest import mock

import time_machine
from django.utils import timezone

from mentorship.notifications import services, tasks
from mentorship.notifications.models import Notification
from mentorship.notifications.services import NotificationSpec
from tests.notifications.factories import make_user

Status, Channel = Notification.Status, Notification.Channel


def _create(recipient, key="k1", **fields):
    fields.setdefault("kind", "reminder")
    return services.notification_create(
        recipient=recipient, dedupe_key=key, subject="Hi", body="Body", **fields
    )


def test_same_key_creates_one_row(alpha, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks():
        first = _create(user)
        second = _create(user)
    assert first is not None
    assert second is None
    assert Notification.objects.filter(dedupe_key="k1").count() == 1


def test_due_now_email_is_queued_and_enqueued_after_commit(
    alpha, django_capture_on_commit_callbacks
):
    user = make_user()
    with django_capture_on_commit_callbacks() as callbacks:
        notification = _create(user)
    assert notification.status == Status.QUEUED
    with mock.patch.object(tasks.notification_deliver_task, "apply_async") as send:
        for callback in callbacks:
            callback()
    send.assert_called_once_with(
        args=(notification.pk,), headers={"_schema_name": "org_alpha"}
    )


def test_later_email_waits_scheduled(alpha, django_capture_on_commit_callbacks):
    user = make_user()
    due = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks() as callbacks:
        notification = _create(user, due_at=due)
    assert (notification.status, notification.due_at) == (Status.SCHEDULED, due)
    assert callbacks == []


def test_muted_kind_and_disabled_email_become_in_app(
    alpha, django_capture_on_commit_callbacks
):
    muted = make_user(muted_kinds=["reminder"])
    no_email = make_user(email_enabled=False)
    with django_capture_on_commit_callbacks() as callbacks:
        first = _create(muted, key="a")
        second = _create(no_email, key="b", channel=Channel.DIGEST)
        other_kind = _create(muted, key="c", kind="survey")
    assert (first.channel, first.status) == (Channel.IN_APP, Status.SENT)
    assert (second.channel, second.status) == (Channel.IN_APP, Status.SENT)
    assert other_kind.channel == Channel.EMAIL
    assert len(callbacks) == 1  # only the unmuted email is enqueued


@time_machine.travel(datetime(2026, 6, 5, 18, tzinfo=UTC), tick=False)  # a Friday
def test_digest_item_waits_for_the_next_digest(alpha):
    user = make_user(zone="Europe/Warsaw", digest_hour=time(8, 30))
    item = _create(user, channel=Channel.DIGEST)
    weekend = _create(
        user, key="k2", channel=Channel.DIGEST, working_days=frozenset(range(7))
    )
    assert item.status == Status.SCHEDULED
    assert item.due_at == datetime(2026, 6, 8, 6, 30, tzinfo=UTC)  # Monday 08:30 CEST
    assert (item.digest_days, weekend.digest_days) == ("01234", "0123456")
    assert weekend.due_at == datetime(2026, 6, 6, 6, 30, tzinfo=UTC)  # Saturday


def test_bulk_ignores_existing_keys(alpha):
    users = [make_user() for _ in range(3)]
    specs = [
        NotificationSpec(
            recipient=user,
            kind="nudge",
            dedupe_key=f"n:{user.pk}",
            subject="s",
            body="",
        )
        for user in users
    ]
    assert services.notifications_create_bulk(specs=specs[:2]) == 2
    assert services.notifications_create_bulk(specs=specs) == 1
    assert Notification.objects.filter(kind="nudge").count() == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {
        Status.SCHEDULED
    }
