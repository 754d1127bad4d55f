"""The beat tick: claiming due rows, bundling digests, sweeping lost sends."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from mentorship import localtime
from mentorship.notifications.models import DIGEST_KIND, Notification
from mentorship.notifications.services.creating import digest_due_at

logger = logging.getLogger(__name__)

Status = Notification.Status
Channel = Notification.Channel


def notifications_claim_due(*, now: datetime, limit: int = 2000) -> list[int]:
    """Claim up to ``limit`` due scheduled rows; returns the email ids to enqueue.

    Emails become queued; in-app messages are delivered on the spot; digest items
    are bundled into their digest email (queued, and returned). SKIP LOCKED lets two
    ticks run at once without waiting for or repeating each other.
    """
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.SCHEDULED, due_at__lte=now)
            .order_by("due_at")
            .values_list(
                "id", "channel", "recipient_id", "due_at", "recipient__time_zone"
            )[:limit]
        )
        email_ids = [row[0] for row in rows if row[1] == Channel.EMAIL]
        in_app_ids = [row[0] for row in rows if row[1] == Channel.IN_APP]
        items = [
            (id_, recipient_id, due_at, zone)
            for id_, channel, recipient_id, due_at, zone in rows
            if channel == Channel.DIGEST
        ]
        if email_ids:
            Notification.objects.filter(id__in=email_ids).update(
                status=Status.QUEUED, claimed_at=now
            )
        if in_app_ids:
            Notification.objects.filter(id__in=in_app_ids).update(
                status=Status.SENT, sent_at=now, attempts=F("attempts") + 1
            )
        return email_ids + _bundle_digest_items(items, now)


def _digest_key(recipient_id: int, local_date: date) -> str:
    return f"digest:{recipient_id}:{local_date.isoformat()}"


def _bundle_digest_items(
    items: list[tuple[int, int, datetime, str]], now: datetime
) -> list[int]:
    """One digest email per person per local date for these locked items
    (id, recipient id, due at, recipient's zone)."""
    if not items:
        return []
    key_of_item = {
        item_id: _digest_key(recipient_id, localtime.local_date_of(zone, due_at))
        for item_id, recipient_id, due_at, zone in items
    }
    recipient_of_key = {
        key_of_item[item_id]: recipient_id for item_id, recipient_id, _, _ in items
    }
    # Sorted, so that two ticks racing over the same people lock in the same order.
    keys = sorted(recipient_of_key)
    _insert_digests(keys, [recipient_of_key[key] for key in keys], now)
    digests = {
        key: (id_, status, claimed_at)
        for key, id_, status, claimed_at in Notification.objects.select_for_update()
        .filter(dedupe_key__in=keys)
        .order_by("dedupe_key")
        .values_list("dedupe_key", "id", "status", "claimed_at")
    }
    # A digest that is still waiting takes the item; one that already left doesn't.
    open_statuses = {Status.QUEUED, Status.SCHEDULED}
    attach = [
        (item_id, digests[key][0])
        for item_id, key in key_of_item.items()
        if digests[key][1] in open_statuses
    ]
    late = [
        item_id
        for item_id, key in key_of_item.items()
        if digests[key][1] not in open_statuses
    ]
    if attach:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE notifications_notification AS n "
                "SET digest_id = v.digest_id, status = %s "
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, digest_id) "
                "WHERE n.id = v.id",
                [Status.BUNDLED, [a for a, _ in attach], [d for _, d in attach]],
            )
    _move_to_next_digest(late, now)
    return [
        id_
        for id_, status, claimed_at in digests.values()
        if status == Status.QUEUED and claimed_at == now
    ]


def _insert_digests(keys: list[str], recipient_ids: list[int], now: datetime) -> None:
    """INSERT ... ON CONFLICT DO NOTHING, one statement for every new digest.

    Raw SQL because it runs for every person due in a tick: building 2,000 model
    instances for bulk_create cost more than the database work (bench/nudges.py).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Notification._meta.db_table} "  # noqa: S608 (a constant)
            "(recipient_id, kind, channel, dedupe_key, subject, body, link, "
            "attachment_name, attachment, status, due_at, claimed_at, attempts, "
            "lost_count, last_error, digest_days, created_at) "
            "SELECT v.recipient_id, %s, %s, v.key, %s, '', '', '', '', %s, %s, %s, "
            "0, 0, '', '', %s "
            "FROM unnest(%s::bigint[], %s::varchar[]) AS v(recipient_id, key) "
            "ORDER BY v.key ON CONFLICT (dedupe_key) DO NOTHING",
            [
                DIGEST_KIND,
                Channel.EMAIL,
                "Your daily digest",
                Status.QUEUED,
                now,
                now,
                now,
                recipient_ids,
                keys,
            ],
        )


def _move_to_next_digest(item_ids: list[int], now: datetime) -> None:
    for item in Notification.objects.filter(id__in=item_ids).select_related(
        "recipient"
    ):
        item.due_at = digest_due_at(
            user=item.recipient,
            after=now,
            working_days=localtime.days_from_text(item.digest_days),
        )
        item.save(update_fields=["due_at"])


@dataclass(frozen=True)
class SweepResult:
    requeued_ids: list[int] = field(default_factory=list)
    marked_unknown: int = 0
    unknown_requeued: int = 0


def notifications_sweep(
    *,
    now: datetime,
    requeue_after: timedelta,
    sending_timeout: timedelta,
    limit: int = 2000,
) -> SweepResult:
    """Find sends whose task or worker was lost; returns the ids to enqueue again.

    In order: ``unknown`` rows from an earlier sweep are queued again while attempts
    remain; ``sending`` rows older than ``sending_timeout`` become ``unknown`` (seen for
    one sweep, counted in ``lost_count``); ``queued`` rows claimed more than
    ``requeue_after`` ago are handed out again (their claim time restarts).
    """
    with transaction.atomic():
        unknown_ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(
                status=Status.UNKNOWN, attempts__lt=settings.NOTIFICATION_MAX_ATTEMPTS
            )
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(id__in=unknown_ids).update(
            status=Status.QUEUED, claimed_at=now
        )
        marked = Notification.objects.filter(
            status=Status.SENDING, claimed_at__lt=now - sending_timeout
        ).update(
            status=Status.UNKNOWN,
            lost_count=F("lost_count") + 1,
            last_error=f"Worker lost while sending (found {now:%Y-%m-%d %H:%M:%S} UTC); "
            "it may have gone out. Sent again while attempts remain.",
        )
        lost_ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED, claimed_at__lt=now - requeue_after)
            .order_by("claimed_at")
            .values_list("id", flat=True)[:limit]
        )
        Notification.objects.filter(id__in=lost_ids).update(claimed_at=now)
    if marked or lost_ids:
        logger.warning(
            "Outbox sweep: %d lost mid-send, %d re-queued, %d re-enqueued",
            marked,
            len(unknown_ids),
            len(lost_ids),
        )
    return SweepResult(unknown_ids + lost_ids, marked, len(unknown_ids))


@dataclass(frozen=True)
class DispatchResult:
    to_enqueue: list[int]
    claimed: int
    swept: SweepResult


def notifications_dispatch_due(
    *, now: datetime, queue_is_idle: bool = True, limit: int = 2000, rounds: int = 10
) -> DispatchResult:
    """One beat tick in the current organization: claim what is due, then sweep.

    Claims in rounds of ``limit`` rows (each its own short transaction), at most
    ``rounds`` of them, so one tick's work stays bounded. The caller enqueues
    ``to_enqueue`` (committed as queued already: a failed enqueue is swept later).
    """
    to_enqueue: list[int] = []
    for _ in range(rounds):
        claimed = notifications_claim_due(now=now, limit=limit)
        to_enqueue += claimed
        if len(claimed) < limit:
            break
    requeue_after = (
        settings.NOTIFICATION_REQUEUE_AFTER_SECONDS
        if queue_is_idle
        else settings.NOTIFICATION_REQUEUE_AFTER_BUSY_SECONDS
    )
    swept = notifications_sweep(
        now=now,
        requeue_after=timedelta(seconds=requeue_after),
        sending_timeout=timedelta(
            seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS
        ),
        limit=limit,
    )
    claimed_count = len(to_enqueue)
    return DispatchResult(to_enqueue + swept.requeued_ids, claimed_count, swept)
