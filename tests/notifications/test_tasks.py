"""Tasks called as functions (the real-worker round trips are in test_worker_reliability)."""

from unittest import mock

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from mentorship.celery import enqueue_on_commit
from mentorship.notifications import tasks
from mentorship.notifications.errors import TransientDeliveryError
from mentorship.notifications.models import Notification
from mentorship.notifications.services import delivering
from tests.notifications.factories import make_notification, make_user

Status = Notification.Status


def test_enqueue_on_commit_keeps_the_schema_it_was_registered_in(
    alpha, django_capture_on_commit_callbacks
):
    # given: the callback is registered in beta, but the commit happens back in alpha
    # (the FINDINGS B1 pitfall: the library would read the schema at send time)
    task = mock.Mock()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        with schema_context("org_beta"):
            enqueue_on_commit(task, 7, "x")
        assert transaction.get_connection().schema_name == "org_alpha"
    task.apply_async.assert_called_once_with(
        args=(7, "x"), headers={"_schema_name": "org_beta"}
    )


def test_enqueue_on_commit_sends_nothing_on_rollback(alpha):
    task = mock.Mock()
    try:
        with transaction.atomic():
            enqueue_on_commit(task, 1)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    task.apply_async.assert_not_called()


def test_dispatch_task_enqueues_claimed_rows_at_once(alpha):
    rows = [make_notification(recipient=make_user()) for _ in range(3)]
    with (
        mock.patch.object(tasks, "delivery_queue_is_idle", return_value=True),
        mock.patch.object(tasks, "deliveries_enqueue") as enqueue,
    ):
        summary = tasks.notifications_dispatch_due_task()
    enqueue.assert_called_once()
    assert sorted(enqueue.call_args.args[0]) == sorted(row.pk for row in rows)
    assert summary["claimed"] == 3


def test_deliveries_go_in_batches_with_the_schema_and_no_eta(alpha, settings):
    settings.NOTIFICATION_DELIVERY_BATCH_SIZE = 2
    with mock.patch.object(
        tasks.notifications_deliver_batch_task, "apply_async"
    ) as send:
        assert tasks.deliveries_enqueue([1, 2, 3, 4, 5]) == 3
    assert [call.args[0] for call in send.call_args_list] == [
        ([1, 2],),
        ([3, 4],),
        ([5],),
    ]
    for call in send.call_args_list:
        assert call.kwargs["headers"] == {"_schema_name": "org_alpha"}
        assert "countdown" not in call.kwargs
        assert "eta" not in call.kwargs


def test_batch_retries_a_failing_row_alone(alpha):
    user = make_user()
    good = make_notification(recipient=user, status=Status.QUEUED)
    bad = make_notification(recipient=user, status=Status.QUEUED)

    def deliver(*, notification_id, **kwargs):
        if notification_id == bad.pk:
            raise TransientDeliveryError("451", attempts=1)
        return "sent"

    with (
        mock.patch.object(delivering, "notification_deliver", side_effect=deliver),
        mock.patch.object(tasks.notification_deliver_task, "apply_async") as retry,
    ):
        outcome = tasks.notifications_deliver_batch_task([good.pk, bad.pk])
    assert outcome == {"sent": 1, "retrying": 1}
    assert retry.call_args.args == ((bad.pk,),)
    assert 1 <= retry.call_args.kwargs["countdown"] <= 3


def test_deliver_task_returns_the_outcome(alpha):
    row = make_notification(recipient=make_user(), status=Status.QUEUED)
    assert tasks.notification_deliver_task(row.pk) == "sent"
    assert tasks.notification_deliver_task(row.pk) == "skipped"


def test_beat_runs_the_tick_every_minute_through_the_fan_out(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["notifications-dispatch-due"]
    assert entry["task"] == "mentorship.organizations.tasks.tenant_fan_out_task"
    assert entry["args"] == [
        "mentorship.notifications.tasks.notifications_dispatch_due_task"
    ]
    assert entry["schedule"] == 60.0
    assert timezone.now()  # settings import sanity
