"""Reads for the bell and the notifications page.

The page is the in-app copy of every message a person is sent, whatever its channel:
emails once due (sent, or even failed or turned off at send: the copy stays), in-app
messages, and each item of a digest (from the moment it is made, not when its digest
email leaves). Digest emails themselves are not listed: their items are. A message
cancelled before it was due (a reminder for a meeting that was called off) never
shows.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.notifications.models import DIGEST_KIND, Notification

Status = Notification.Status


def notification_inbox(
    *, user: User, now: datetime | None = None
) -> QuerySet[Notification]:
    """``user``'s messages that have reached them, as the page shows them (unordered)."""
    return (
        Notification.objects.filter(recipient=user, shown_at__lte=now or timezone.now())
        .exclude(kind=DIGEST_KIND)
        # Cancelled while still scheduled = never sent; cancelled at send (the person
        # turned email off) = claimed first, and its in-app copy stays.
        .exclude(Q(status=Status.CANCELLED) & Q(claimed_at__isnull=True))
    )


def notification_unread_count(*, user: User) -> int:
    """The number next to the bell: unread messages on the page (one COUNT)."""
    return notification_inbox(user=user).filter(read_at__isnull=True).count()


def notification_list_for_user(*, user: User, limit: int = 50) -> list[Notification]:
    """The latest ``limit`` messages on the page, newest first (one query)."""
    return list(
        notification_inbox(user=user)
        .order_by("-shown_at", "-id")
        .only(
            "id",
            "kind",
            "subject",
            "body",
            "link",
            "shown_at",
            "read_at",
            "channel",
        )[:limit]
    )


def notification_kinds_for_user(*, user: User) -> list[str]:
    """The kinds of message ``user`` has been sent, for their mute list (one query)."""
    return list(
        Notification.objects.filter(recipient=user)
        .exclude(kind=DIGEST_KIND)
        .values_list("kind", flat=True)
        .distinct()
        .order_by("kind")
    )
