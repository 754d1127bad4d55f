from datetime import timedelta

from django.utils import timezone

from mentorship.notifications import services
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

Status = Notification.Status


def _status(notification: Notification) -> str:
    notification.refresh_from_db()
    return notification.status


def test_cancels_scheduled_rows_matching_a_prefix(alpha):
    # given
    user = make_user()
    reminder = make_notification(recipient=user, dedupe_key="meeting-reminder:7:0:1h")
    nudge = make_notification(recipient=user, dedupe_key="meeting-log-nudge:7:0")
    other = make_notification(recipient=user, dedupe_key="meeting-reminder:70:0:1h")
    queued = make_notification(
        recipient=user, dedupe_key="meeting-reminder:7:0:24h", status=Status.QUEUED
    )
    # when
    count = services.notifications_cancel_scheduled(
        key_prefixes=["meeting-reminder:7:", "meeting-log-nudge:7:"]
    )
    # then: a row the tick already claimed goes out anyway
    assert count == 2
    assert _status(reminder) == _status(nudge) == Status.CANCELLED
    assert _status(other) == Status.SCHEDULED
    assert _status(queued) == Status.QUEUED


def test_only_the_recipients_rows_when_given(alpha):
    mine, theirs = make_user(), make_user()
    own = make_notification(recipient=mine, dedupe_key="nudge:1:mine")
    kept = make_notification(recipient=theirs, dedupe_key="nudge:1:theirs")
    assert (
        services.notifications_cancel_scheduled(
            key_prefixes=["nudge:1:"], recipient=mine
        )
        == 1
    )
    assert _status(own) == Status.CANCELLED
    assert _status(kept) == Status.SCHEDULED


def test_no_prefixes_cancel_nothing(alpha):
    row = make_notification(recipient=make_user())
    assert services.notifications_cancel_scheduled(key_prefixes=[]) == 0
    assert _status(row) == Status.SCHEDULED


def test_record_sent_marks_due_rows_sent_at_their_due_time(alpha):
    # given
    user, now = make_user(), timezone.now()
    past = now - timedelta(days=2)
    due = make_notification(recipient=user, kind="survey-assigned", due_at=past)
    queued = make_notification(recipient=user, status=Status.QUEUED, due_at=past)
    ahead = make_notification(recipient=user, due_at=now + timedelta(days=1))
    # when: only survey messages, only scheduled ones
    count = services.notifications_record_sent(
        due_by=now, statuses=[Status.SCHEDULED], kind_prefix="survey-"
    )
    # then
    assert count == 1
    due.refresh_from_db()
    assert (due.status, due.sent_at) == (Status.SENT, past)
    assert _status(queued) == Status.QUEUED
    # when: every scheduled or queued row due by now
    assert services.notifications_record_sent(due_by=now) == 1
    assert _status(queued) == Status.SENT
    assert _status(ahead) == Status.SCHEDULED


def test_delete_removes_every_row_of_the_recipient(alpha):
    gone, stays = make_user(), make_user()
    make_notification(recipient=gone)
    make_notification(recipient=gone, status=Status.SENT)
    make_notification(recipient=stays)
    assert services.notifications_delete(recipient=gone) == 2
    assert not Notification.objects.filter(recipient=gone).exists()
    assert Notification.objects.filter(recipient=stays).count() == 1
