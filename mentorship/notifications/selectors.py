"""Reads for the bell and the notifications page."""

from __future__ import annotations

from django.db.models import QuerySet

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification


def _inbox(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(
        recipient=user,
        channel=Notification.Channel.IN_APP,
        status=Notification.Status.SENT,
    )


def notification_unread_count(*, user: User) -> int:
    # One COUNT over notification_inbox_idx (recipient, channel, read_at).
    return _inbox(user).filter(read_at__isnull=True).count()


def notification_list_for_user(*, user: User, limit: int = 50) -> list[Notification]:
    """The latest delivered in-app messages, newest first (one query)."""
    return list(_inbox(user).order_by("-due_at", "-id")[:limit])
