"""Small builders for outbox tests (rows go through the services where it matters)."""

from __future__ import annotations

import itertools
from datetime import datetime

from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification

_serial = itertools.count()


def make_user(*, zone: str = "UTC", **fields) -> User:
    number = next(_serial)
    return User.objects.create_user(
        f"person{number}@outbox.example", None, time_zone=zone, **fields
    )


def make_notification(
    *,
    recipient: User,
    status: str = Notification.Status.SCHEDULED,
    channel: str = Notification.Channel.EMAIL,
    due_at: datetime | None = None,
    **fields,
) -> Notification:
    number = next(_serial)
    fields.setdefault("kind", "reminder")
    fields.setdefault("dedupe_key", f"test:{number}")
    fields.setdefault("subject", f"Subject {number}")
    due_at = due_at or timezone.now()
    # as notification_create sets it: the in-app copy shows from the due time
    fields.setdefault("shown_at", due_at)
    return Notification.objects.create(
        recipient=recipient, status=status, channel=channel, due_at=due_at, **fields
    )
