"""Issue 9 item 8: a row that can never be sent fails alone; its batch goes on."""

from __future__ import annotations

import smtplib
from unittest import mock

from django.core import mail

from mentorship.accounts.models import User
from mentorship.notifications import services
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

Status = Notification.Status


def _queued(recipient: User, subject: str) -> Notification:
    return make_notification(recipient=recipient, status=Status.QUEUED, subject=subject)


def test_a_legacy_name_with_cr_lf_fails_its_row_and_the_rest_are_sent(alpha):
    # given: a name stored before names were validated (bypassing every form)
    legacy = make_user()
    User.objects.filter(pk=legacy.pk).update(full_name="Eve\r\nBcc: all@evil.example")
    legacy.refresh_from_db()
    friends = [make_user() for _ in range(3)]
    rows = [
        _queued(friends[0], "Your digest"),
        # as matching's producer writes it: f"You and {partner} are matched in …"
        _queued(friends[1], f"You and {legacy} are matched in Growth"),
        _queued(friends[2], "Meeting tomorrow"),
        _queued(legacy, "Reminder"),  # to the person: their name is not in a header
    ]
    # when
    result = services.notifications_deliver_batch(
        notification_ids=[row.pk for row in rows]
    )
    # then
    assert result.outcomes == {"sent": 3, "failed": 1}
    assert result.to_retry == []
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [friends[0].email, friends[2].email, legacy.email]
    )
    statuses = dict(
        Notification.objects.filter(pk__in=[r.pk for r in rows]).values_list(
            "pk", "status"
        )
    )
    assert statuses == {
        rows[0].pk: Status.SENT,
        rows[1].pk: Status.FAILED,
        rows[2].pk: Status.SENT,
        rows[3].pk: Status.SENT,
    }
    failed = Notification.objects.get(pk=rows[1].pk)
    assert "BadHeaderError" in failed.last_error


def test_an_unexpected_error_in_one_row_does_not_stop_the_batch(alpha):
    people = [make_user() for _ in range(3)]
    rows = [_queued(person, "Hello") for person in people]
    real = services.delivering._email

    def broken_for_the_first(notification, *args):
        if notification.pk == rows[0].pk:
            raise RuntimeError("a bug in one row's template")
        return real(notification, *args)

    with mock.patch.object(services.delivering, "_email", broken_for_the_first):
        result = services.notifications_deliver_batch(
            notification_ids=[row.pk for row in rows]
        )
    assert result.outcomes == {"failed": 1, "sent": 2}
    assert len(mail.outbox) == 2
    rows[0].refresh_from_db()
    assert rows[0].status == Status.FAILED
    assert "RuntimeError" in rows[0].last_error


def test_a_permanent_smtp_refusal_fails_one_row_only(alpha):
    people = [make_user() for _ in range(3)]
    rows = [_queued(person, "Hello") for person in people]
    real_send = services.delivering.EmailMultiAlternatives.send

    def refuse_the_second(message, *args, **kwargs):
        if message.to == [people[1].email]:
            raise smtplib.SMTPRecipientsRefused(
                {people[1].email: (550, b"5.1.1 no such mailbox")}
            )
        return real_send(message, *args, **kwargs)

    with mock.patch.object(
        services.delivering.EmailMultiAlternatives, "send", refuse_the_second
    ):
        result = services.notifications_deliver_batch(
            notification_ids=[row.pk for row in rows]
        )
    assert result.outcomes == {"failed": 1, "sent": 2}
    rows[1].refresh_from_db()
    assert rows[1].status == Status.FAILED
