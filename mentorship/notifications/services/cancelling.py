"""Taking messages out of the outbox without sending them: cancelled, recorded as
sent, or deleted with their person's data.

Other apps never write ``Notification`` rows themselves; they call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import F, Q

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification

Status = Notification.Status


def notifications_cancel_scheduled(
    *, key_prefixes: Sequence[str], recipient: User | None = None
) -> int:
    """Cancel the ``scheduled`` messages whose ``dedupe_key`` starts with one of
    ``key_prefixes`` (only ``recipient``'s when given); returns how many.

    A claim on ``status = scheduled``: a row the beat tick already took (queued,
    sending, sent, or bundled into a digest) is sent anyway, the lesser harm. No
    prefixes cancel nothing.
    """
    if not key_prefixes:
        return 0
    query = Q()
    for prefix in key_prefixes:
        query |= Q(dedupe_key__startswith=prefix)
    rows = Notification.objects.filter(query, status=Status.SCHEDULED)
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return rows.update(status=Status.CANCELLED)


def notifications_record_sent(
    *,
    due_by: datetime,
    statuses: Sequence[str] = (Status.SCHEDULED, Status.QUEUED),
    kind_prefix: str = "",
) -> int:
    """Record the messages in ``statuses`` due by ``due_by`` (of kinds starting with
    ``kind_prefix`` when given) as sent when they fell due, without sending them;
    returns how many.

    For a past written after the fact (the demo's story): its messages belong to
    that past. A delivery task already enqueued for such a row finds it sent and
    skips it.
    """
    rows = Notification.objects.filter(status__in=list(statuses), due_at__lte=due_by)
    if kind_prefix:
        rows = rows.filter(kind__startswith=kind_prefix)
    return rows.update(status=Status.SENT, sent_at=F("due_at"))


def notifications_delete(*, recipient: User) -> int:
    """Delete every message to ``recipient``, whatever its state (their data is
    being erased); returns how many rows went."""
    deleted, _ = Notification.objects.filter(recipient=recipient).delete()
    return deleted
