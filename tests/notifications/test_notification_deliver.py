import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from mentorship.notifications import services
from mentorship.notifications.errors import TransientDeliveryError
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

Status, Channel = Notification.Status, Notification.Channel
ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def _queued(**fields):
    fields.setdefault("recipient", make_user())
    return make_notification(status=Status.QUEUED, **fields)


def test_sends_html_and_text_with_key_link_and_calendar(alpha):
    notification = _queued(
        body="Your meeting with Minh starts in 30 minutes.",
        link="/meetings/7/",
        attachment_name="meeting.ics",
        attachment=ICS,
    )

    assert services.notification_deliver(notification_id=notification.pk) == "sent"

    [message] = mail.outbox
    assert message.to == [notification.recipient.email]
    assert message.extra_headers["X-Notification-Key"] == notification.dedupe_key
    assert "http://alpha.localhost/meetings/7/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://alpha.localhost/meetings/7/"' in html
    [part] = message.attachments  # a MIME part: iMIP wants the method on it
    assert part.get_filename() == "meeting.ics"
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_content_charset() == "utf-8"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.SENT, 1)
    assert notification.sent_at is not None


def test_delivering_twice_sends_once(alpha):
    notification = _queued()
    outcomes = [
        services.notification_deliver(notification_id=notification.pk) for _ in range(2)
    ]
    assert outcomes == ["sent", "skipped"]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.SENDING, Status.FAILED])
def test_skips_rows_not_queued(alpha, status):
    notification = make_notification(recipient=make_user(), status=status)
    assert services.notification_deliver(notification_id=notification.pk) == "skipped"
    assert mail.outbox == []


def test_transient_errors_retry_then_fail_after_five_attempts(alpha):
    notification = _queued()
    error = smtplib.SMTPResponseException(451, b"try again later")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        for attempt in range(1, 5):
            with pytest.raises(TransientDeliveryError) as raised:
                services.notification_deliver(notification_id=notification.pk)
            assert raised.value.attempts == attempt
            notification.refresh_from_db()
            assert (notification.status, notification.attempts) == (
                Status.QUEUED,
                attempt,
            )
            assert "451" in notification.last_error
        assert (
            services.notification_deliver(notification_id=notification.pk) == "failed"
        )
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Status.FAILED, 5)


def test_permanent_refusal_fails_at_once(alpha):
    notification = _queued()
    error = smtplib.SMTPRecipientsRefused({"x@y": (550, b"no such user")})
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        assert (
            services.notification_deliver(notification_id=notification.pk) == "failed"
        )
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert "550" in notification.last_error


def test_connection_refused_is_transient(alpha):
    notification = _queued()
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            side_effect=ConnectionRefusedError(111, "Connection refused"),
        ),
        pytest.raises(TransientDeliveryError),
    ):
        services.notification_deliver(notification_id=notification.pk)


def test_digest_lists_its_items_and_marks_them_sent(alpha):
    user = make_user(zone="Asia/Kolkata")
    now = timezone.now()
    for index in range(2):
        make_notification(
            recipient=user,
            channel=Channel.DIGEST,
            subject=f"Nudge {index}",
            link=f"/goals/{index}/",
            due_at=now,
        )
    [digest_id] = services.notifications_claim_due(now=now, limit=10)

    with override_settings():
        assert services.notification_deliver(notification_id=digest_id) in {
            "sent",
            "deferred",
        }

    digest = Notification.objects.get(pk=digest_id)
    if digest.status == Status.SCHEDULED:  # it is night in Kolkata right now
        assert digest.due_at > now
        return
    [message] = mail.outbox
    assert message.subject == "Your daily digest: 2 updates"
    assert "Nudge 0" in message.body
    assert "Nudge 1" in message.body
    assert "http://alpha.localhost/goals/1/" in message.body
    assert not digest.items.filter(sent_at__isnull=True).exists()


def test_late_digest_waits_out_quiet_hours(alpha):
    user = make_user(zone="UTC")
    now = timezone.now()
    user.quiet_start = (now - timedelta(hours=1)).time().replace(microsecond=0)
    user.quiet_end = (now + timedelta(hours=1)).time().replace(microsecond=0)
    user.save()
    make_notification(recipient=user, channel=Channel.DIGEST, due_at=now)
    [digest_id] = services.notifications_claim_due(now=now, limit=10)

    assert services.notification_deliver(notification_id=digest_id) == "deferred"

    digest = Notification.objects.get(pk=digest_id)
    assert digest.status == Status.SCHEDULED
    assert digest.due_at > now
    assert mail.outbox == []


def test_retry_requeues_dead_letters(alpha, django_capture_on_commit_callbacks):
    notification = make_notification(
        recipient=make_user(), status=Status.FAILED, attempts=5
    )
    with django_capture_on_commit_callbacks() as callbacks:
        services.notification_retry(notification=notification)
    assert (notification.status, notification.attempts) == (Status.QUEUED, 0)
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    "change",
    [{"email_enabled": False}, {"muted_kinds": ["reminder"]}, {"is_active": False}],
)
def test_cancels_when_the_person_turned_email_off_since(alpha, change):
    notification = _queued(recipient=make_user(**change))
    assert services.notification_deliver(notification_id=notification.pk) == "cancelled"
    notification.refresh_from_db()
    assert notification.status == Status.CANCELLED
    assert mail.outbox == []
