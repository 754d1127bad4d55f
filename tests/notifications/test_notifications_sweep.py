from datetime import timedelta

from django.utils import timezone

from mentorship.notifications import services
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

Status = Notification.Status
MINUTE = timedelta(minutes=1)


def _sweep(now):
    return services.notifications_sweep(
        now=now, requeue_after=MINUTE, sending_timeout=5 * MINUTE
    )


def test_requeues_queued_rows_whose_message_was_lost(alpha):
    user = make_user()
    now = timezone.now()
    lost = make_notification(
        recipient=user, status=Status.QUEUED, claimed_at=now - 2 * MINUTE
    )
    fresh = make_notification(
        recipient=user, status=Status.QUEUED, claimed_at=now - MINUTE / 2
    )

    assert _sweep(now).requeued_ids == [lost.pk]

    lost.refresh_from_db()
    assert lost.claimed_at == now  # not handed out again for another minute
    assert _sweep(now + MINUTE).requeued_ids == [fresh.pk]


def test_crash_mid_send_shows_unknown_then_is_sent_again_once(alpha):
    # given: a worker died 6 minutes after claiming the row for sending
    now = timezone.now()
    row = make_notification(
        recipient=make_user(),
        status=Status.SENDING,
        attempts=1,
        claimed_at=now - 6 * MINUTE,
    )
    # when: the first sweep marks it unknown, and it stays visible as such
    first = _sweep(now)
    row.refresh_from_db()
    assert (first.marked_unknown, first.requeued_ids) == (1, [])
    assert (row.status, row.lost_count) == (Status.UNKNOWN, 1)
    assert "may have gone out" in row.last_error
    # then: the next sweep queues it again, and a later one leaves it alone
    second = _sweep(now + MINUTE)
    assert second.requeued_ids == [row.pk]
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    assert _sweep(now + MINUTE).requeued_ids == []


def test_unknown_rows_out_of_attempts_stay_for_a_person(alpha):
    now = timezone.now()
    row = make_notification(
        recipient=make_user(), status=Status.UNKNOWN, attempts=5, lost_count=5
    )
    assert _sweep(now).requeued_ids == []
    row.refresh_from_db()
    assert row.status == Status.UNKNOWN


def test_sending_within_the_timeout_is_left_alone(alpha):
    now = timezone.now()
    make_notification(
        recipient=make_user(), status=Status.SENDING, claimed_at=now - MINUTE
    )
    assert _sweep(now).marked_unknown == 0


def test_dispatch_claims_then_sweeps(alpha, settings):
    settings.NOTIFICATION_REQUEUE_AFTER_SECONDS = 60
    settings.NOTIFICATION_REQUEUE_AFTER_BUSY_SECONDS = 600
    user = make_user()
    now = timezone.now()
    due = make_notification(recipient=user, due_at=now)
    stale = make_notification(
        recipient=user, status=Status.QUEUED, claimed_at=now - 2 * MINUTE
    )

    busy = services.notifications_dispatch_due(now=now, queue_is_idle=False)
    idle = services.notifications_dispatch_due(now=now, queue_is_idle=True)

    # A backlog in the broker means the stale row may just be waiting its turn.
    assert (busy.to_enqueue, busy.claimed) == ([due.pk], 1)
    assert (idle.to_enqueue, idle.claimed) == ([stale.pk], 0)
