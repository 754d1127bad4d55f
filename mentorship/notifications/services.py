"""The outbox: every email and in-app message goes through these functions.

Life of a row (``Notification.status``)::

    scheduled --beat tick claims (due_at <= now)--> queued --deliver claims--> sending --> sent
       |                                              ^   |  transient SMTP error:
       |                                              |   |  back to queued, retried with
       |  in-app: sent at once when claimed           +---+  backoff; the 5th failure -> failed
       |  digest item: bundled into its digest email (an ordinary email row)
    sending older than the timeout --sweeper--> unknown --next sweep--> queued (attempts < 5)
    queued whose message was lost (Redis restart, killed worker) --sweeper--> enqueued again

The table in PostgreSQL is the source of truth; the Redis queue only carries ids.

Idempotency. ``dedupe_key`` is unique and rows are created with INSERT ... ON CONFLICT
DO NOTHING semantics, so producers, beat ticks and retries can't create a message
twice. Every state change is a claim: an UPDATE filtered on the old state that acts
only if it changed exactly one row (``notification_deliver``) or a ``SELECT ... FOR
UPDATE SKIP LOCKED`` (the tick, the sweeper), so two workers or two ticks never send
the same row, and a redelivered message for a row already sent is "skipped".

The crash window. A row is claimed (queued -> sending) before the SMTP call and marked
sent after it. A worker killed in between leaves the row ``sending``: it may or may
not have gone out, and nothing can tell. After ``NOTIFICATION_SENDING_TIMEOUT_SECONDS``
the sweeper marks it ``unknown`` (``lost_count`` + 1, a note in ``last_error``, visible in
the admin's dead-letter filter) and, on the following sweep, queues it again while
attempts remain (``NOTIFICATION_MAX_ATTEMPTS`` = 5, counting every claim). So a crash
never loses a message; it can repeat at most the messages in flight at that moment
(worker concurrency x crashes), and a message that kills its worker every time stops
after 5 tries, staying ``unknown`` for a person to look at. For reminders a rare repeat
is the lesser harm. Rows that are ``queued`` but whose Celery message vanished are
enqueued again once they are ``NOTIFICATION_REQUEUE_AFTER_SECONDS`` old and the broker
queue is idle (``..._BUSY_SECONDS`` when it is not, so a long backlog isn't doubled);
the extra message for a row that was not lost is "skipped" by the claim.

Digests. Nudges not tied to a meeting are created with ``channel="digest"``: a row
``scheduled`` at the person's next digest instant (local digest hour on a working
day, never in quiet hours; ``digest_due_at``). When the tick claims such items it
bundles each person's due items into ONE email row per local date, dedupe key
``digest:<user id>:<local date>``, created ``queued`` on the spot; the items become
``bundled`` and point at it. The digest's body is built from its items when it is
sent, so an item that arrives while the digest is still queued rides along; one that
arrives after the day's digest left moves to the next digest. A digest that is late
(an outage) and would now land in quiet hours waits for their end.

Preferences. A kind the person muted, or any email when ``email_enabled`` is off,
becomes an in-app message instead (it shows under the bell, it never interrupts).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.celery import enqueue_on_commit
from mentorship.notifications import localtime, tasks
from mentorship.notifications.errors import TransientDeliveryError
from mentorship.notifications.models import Notification
from mentorship.organizations.services import current_primary_url

logger = logging.getLogger(__name__)

Status = Notification.Status
Channel = Notification.Channel
DIGEST_KIND = "digest"
_ERROR_LIMIT = 2000


@dataclass(frozen=True)
class NotificationSpec:
    """One message for ``notifications_create_bulk``; fields as in ``notification_create``."""

    recipient: User
    kind: str
    dedupe_key: str
    subject: str
    body: str
    link: str = ""
    due_at: datetime | None = None
    channel: str = Channel.EMAIL
    attachment_name: str = ""
    attachment: str = ""
    working_days: frozenset[int] = localtime.WEEKDAYS


# --- Creating --------------------------------------------------------------------------


def digest_due_at(
    *,
    user: User,
    after: datetime,
    working_days: frozenset[int] = localtime.WEEKDAYS,
) -> datetime:
    """The person's next digest instant strictly after ``after`` (UTC).

    Their local ``digest_hour`` on one of ``working_days`` (0 = Monday; the working
    pattern lives in programs, so callers pass it), moved out of their quiet hours.
    """
    return localtime.next_digest_at(
        zone=user.time_zone,
        after=after,
        hour=user.digest_hour,
        working_days=working_days,
        quiet_start=user.quiet_start,
        quiet_end=user.quiet_end,
    )


def _build(spec: NotificationSpec, now: datetime) -> Notification:
    channel = spec.channel
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    recipient = spec.recipient
    if channel != Channel.IN_APP and (
        not recipient.email_enabled or spec.kind in (recipient.muted_kinds or [])
    ):
        channel = Channel.IN_APP
    due_at = spec.due_at
    if due_at is None:
        due_at = (
            digest_due_at(user=recipient, after=now, working_days=spec.working_days)
            if channel == Channel.DIGEST
            else now
        )
    return Notification(
        recipient=recipient,
        kind=spec.kind,
        channel=channel,
        dedupe_key=spec.dedupe_key,
        subject=spec.subject[:200],
        body=spec.body,
        link=spec.link,
        attachment_name=spec.attachment_name,
        attachment=spec.attachment,
        status=Status.SCHEDULED,
        due_at=due_at,
        digest_days=localtime.days_to_text(spec.working_days)
        if channel == Channel.DIGEST
        else "",
    )


def notification_create(
    *,
    recipient: User,
    kind: str,
    dedupe_key: str,
    subject: str,
    body: str,
    link: str = "",
    due_at: datetime | None = None,
    channel: str = Channel.EMAIL,
    attachment_name: str = "",
    attachment: str = "",
    working_days: frozenset[int] = localtime.WEEKDAYS,
) -> Notification | None:
    """Put one message in the outbox, in the caller's transaction; None if its key exists.

    ``due_at`` defaults to now (email, in-app) or to the person's next digest
    (``channel="digest"``, on ``working_days``). ``link`` is a path in the current
    organization. A message due now is enqueued after the caller commits; later ones
    wait for the beat tick.
    """
    now = timezone.now()
    notification = _build(
        NotificationSpec(
            recipient=recipient,
            kind=kind,
            dedupe_key=dedupe_key,
            subject=subject,
            body=body,
            link=link,
            due_at=due_at,
            channel=channel,
            attachment_name=attachment_name,
            attachment=attachment,
            working_days=working_days,
        ),
        now,
    )
    due_now = notification.due_at <= now and notification.channel != Channel.DIGEST
    if due_now and notification.channel == Channel.EMAIL:
        notification.status, notification.claimed_at = Status.QUEUED, now
    elif due_now:
        notification.status, notification.sent_at = Status.SENT, now
    try:
        with transaction.atomic():
            notification.save()
    except IntegrityError:
        if Notification.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise
    if notification.status == Status.QUEUED:
        enqueue_on_commit(tasks.notification_deliver_task, notification.pk)
    return notification


def notifications_create_bulk(*, specs: Sequence[NotificationSpec]) -> int:
    """Put many messages in the outbox at once (ON CONFLICT DO NOTHING); returns how
    many were new. All wait for the next beat tick (within a minute)."""
    if not specs:
        return 0
    now = timezone.now()
    keys = [spec.dedupe_key for spec in specs]
    before = Notification.objects.filter(dedupe_key__in=keys).count()
    Notification.objects.bulk_create(
        [_build(spec, now) for spec in specs], ignore_conflicts=True, batch_size=1000
    )
    return Notification.objects.filter(dedupe_key__in=keys).count() - before


# --- The beat tick: claiming due rows ---------------------------------------------------


def notifications_claim_due(*, now: datetime, limit: int = 2000) -> list[int]:
    """Claim up to ``limit`` due scheduled rows; returns the email ids to enqueue.

    Emails become queued; in-app messages are delivered on the spot; digest items
    are bundled into their digest email (queued, and returned). SKIP LOCKED lets two
    ticks run at once without waiting for or repeating each other.
    """
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Status.SCHEDULED, due_at__lte=now)
            .order_by("due_at")
            .values_list("id", "channel")[:limit]
        )
        email_ids = [id_ for id_, channel in rows if channel == Channel.EMAIL]
        in_app_ids = [id_ for id_, channel in rows if channel == Channel.IN_APP]
        item_ids = [id_ for id_, channel in rows if channel == Channel.DIGEST]
        if email_ids:
            Notification.objects.filter(id__in=email_ids).update(
                status=Status.QUEUED, claimed_at=now
            )
        if in_app_ids:
            Notification.objects.filter(id__in=in_app_ids).update(
                status=Status.SENT, sent_at=now, attempts=F("attempts") + 1
            )
        return email_ids + _bundle_digest_items(item_ids, now)


def _digest_key(recipient_id: int, local_date: date) -> str:
    return f"digest:{recipient_id}:{local_date.isoformat()}"


def _bundle_digest_items(item_ids: list[int], now: datetime) -> list[int]:
    """One digest email per person per local date for these (locked) items."""
    if not item_ids:
        return []
    items = list(
        Notification.objects.filter(id__in=item_ids).values_list(
            "id", "recipient_id", "due_at", "recipient__time_zone"
        )
    )
    key_of_item = {
        item_id: _digest_key(recipient_id, localtime.local_date_of(zone, due_at))
        for item_id, recipient_id, due_at, zone in items
    }
    recipient_of_key = {
        key_of_item[item_id]: recipient_id for item_id, recipient_id, _, _ in items
    }
    # Sorted, so that two ticks racing over the same people lock in the same order.
    keys = sorted(recipient_of_key)
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_of_key[key],
                kind=DIGEST_KIND,
                channel=Channel.EMAIL,
                dedupe_key=key,
                subject="Your daily digest",
                status=Status.QUEUED,
                due_at=now,
                claimed_at=now,
            )
            for key in keys
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
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


# --- The sweeper ------------------------------------------------------------------------


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


# --- Delivering ------------------------------------------------------------------------


def notification_deliver(
    *, notification_id: int, mail_connection: BaseEmailBackend | None = None
) -> str:
    """Send one queued message: "sent", "skipped" (not queued: someone else has it),
    "failed", "cancelled" (an empty digest, or email turned off since) or "deferred"
    (a late digest in quiet hours).

    Claims the row (queued -> sending) before sending and marks it sent after; a
    batch passes one open ``mail_connection`` for all its messages. Raises
    ``TransientDeliveryError`` after putting the row back to queued when the failure
    may pass and attempts remain; the caller retries with backoff.
    """
    now = timezone.now()
    claimed = Notification.objects.filter(
        id=notification_id, status=Status.QUEUED
    ).update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return "skipped"
    notification = Notification.objects.select_related("recipient").get(
        id=notification_id
    )
    user = notification.recipient
    if notification.channel == Channel.EMAIL and (
        not user.is_active
        or not user.email_enabled
        or notification.kind in (user.muted_kinds or [])
    ):
        # Preferences changed (or the person left) after the row was created.
        _finish(notification, Status.CANCELLED, error="The person turned this off.")
        return "cancelled"
    items: list[Notification] = []
    if notification.kind == DIGEST_KIND and notification.channel == Channel.EMAIL:
        outcome = _digest_precheck(notification, now)
        if outcome:
            return outcome
        items = list(
            notification.items.filter(status=Status.BUNDLED).order_by("due_at")
        )
        if not items:
            _finish(
                notification, Status.CANCELLED, error="No items left in the digest."
            )
            return "cancelled"
    if notification.channel == Channel.EMAIL:
        try:
            _email(notification, items, mail_connection).send()
        except (smtplib.SMTPException, OSError) as error:
            if mail_connection is not None:
                # Reopened by the next send, in case the session itself broke.
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    mail_connection.close()
            return _after_failure(notification, error)
    _mark_sent(notification, now=timezone.now())
    return "sent"


@dataclass
class BatchResult:
    outcomes: Counter[str] = field(default_factory=Counter)
    to_retry: list[tuple[int, int]] = field(default_factory=list)  # (id, attempts)


def notifications_deliver_batch(*, notification_ids: list[int]) -> BatchResult:
    """Deliver several queued messages over one SMTP session.

    Each row is claimed and marked on its own (``notification_deliver``); rows that
    failed for a passing reason are returned in ``to_retry`` for the caller to retry.
    """
    result = BatchResult()
    mail_connection = get_connection()
    with contextlib.suppress(smtplib.SMTPException, OSError):
        mail_connection.open()  # if this fails, each send opens its own
    try:
        for notification_id in notification_ids:
            try:
                outcome = notification_deliver(
                    notification_id=notification_id, mail_connection=mail_connection
                )
            except TransientDeliveryError as error:
                outcome = "retrying"
                result.to_retry.append((notification_id, error.attempts))
            result.outcomes[outcome] += 1
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            mail_connection.close()
    return result


def _digest_precheck(notification: Notification, now: datetime) -> str:
    user = notification.recipient
    if not localtime.is_quiet(user.time_zone, now, user.quiet_start, user.quiet_end):
        return ""
    # Late (an outage pushed it into the night): wait for the end of the quiet hours.
    Notification.objects.filter(id=notification.pk, status=Status.SENDING).update(
        status=Status.SCHEDULED,
        due_at=localtime.quiet_ends_at(
            user.time_zone, now, user.quiet_start, user.quiet_end
        ),
        attempts=F("attempts") - 1,
    )
    return "deferred"


def _is_transient(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    # Connection refused or dropped, timeouts, DNS: the network may come back.
    return isinstance(error, OSError | smtplib.SMTPServerDisconnected)


def _after_failure(notification: Notification, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:_ERROR_LIMIT]
    if (
        _is_transient(error)
        and notification.attempts < settings.NOTIFICATION_MAX_ATTEMPTS
    ):
        Notification.objects.filter(id=notification.pk, status=Status.SENDING).update(
            status=Status.QUEUED, claimed_at=timezone.now(), last_error=message
        )
        raise TransientDeliveryError(message, attempts=notification.attempts) from error
    logger.error("Notification %s failed for good: %s", notification.pk, message)
    _finish(notification, Status.FAILED, error=message)
    return "failed"


def _finish(notification: Notification, status: str, *, error: str) -> None:
    Notification.objects.filter(id=notification.pk, status=Status.SENDING).update(
        status=status, last_error=error
    )


def _mark_sent(notification: Notification, *, now: datetime) -> None:
    # Also from unknown/queued: if the sweeper gave up on this worker too early, the
    # message still went out, and marking it spares a resend.
    Notification.objects.filter(
        id=notification.pk,
        status__in=[Status.SENDING, Status.UNKNOWN, Status.QUEUED],
    ).update(status=Status.SENT, sent_at=now)
    if notification.kind == DIGEST_KIND:
        notification.items.filter(status=Status.BUNDLED).update(sent_at=now)


_site_urls: dict[str, tuple[float, str]] = {}


def _site_url() -> str:
    """The current organization's absolute base URL (two queries, kept a minute)."""
    schema_name = connection.schema_name
    cached = _site_urls.get(schema_name)
    if cached is None or cached[0] < time.monotonic():
        cached = (time.monotonic() + 60, current_primary_url("").rstrip("/"))
        _site_urls[schema_name] = cached
    return cached[1]


def _absolute(link: str) -> str:
    return _site_url() + link if link.startswith("/") else link


def _email(
    notification: Notification,
    items: list[Notification],
    mail_connection: BaseEmailBackend | None,
) -> EmailMultiAlternatives:
    user = notification.recipient
    context = {
        "notification": notification,
        "user": user,
        "link": _absolute(notification.link) if notification.link else "",
        "items": [
            {"item": item, "link": _absolute(item.link) if item.link else ""}
            for item in items
        ],
        "home": _absolute("/notifications/"),
    }
    subject = notification.subject
    if items:
        subject = (
            f"Your daily digest: {len(items)} update{'s' if len(items) != 1 else ''}"
        )
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email.txt", context),
        to=[user.email],
        headers={"X-Notification-Key": notification.dedupe_key},
        connection=mail_connection,
    )
    message.attach_alternative(
        render_to_string("notifications/email.html", context), "text/html"
    )
    if notification.attachment:
        mimetype = (
            "text/calendar"
            if notification.attachment_name.endswith(".ics")
            else "application/octet-stream"
        )
        message.attach(
            notification.attachment_name or "attachment",
            notification.attachment,
            mimetype,
        )
    return message


# --- Admin and the bell ------------------------------------------------------------------


def notification_retry(*, notification: Notification) -> Notification:
    """Send a failed or unknown message again (admin action): attempts start over.

    Enqueues the delivery after commit.
    """
    with transaction.atomic():
        updated = Notification.objects.filter(
            id=notification.pk, status__in=[Status.FAILED, Status.UNKNOWN]
        ).update(status=Status.QUEUED, claimed_at=timezone.now(), attempts=0)
        if updated:
            enqueue_on_commit(tasks.notification_deliver_task, notification.pk)
    notification.refresh_from_db()
    return notification


def notifications_mark_read(*, user: User, now: datetime | None = None) -> int:
    """Mark every delivered in-app message of ``user`` read; returns how many."""
    return Notification.objects.filter(
        recipient=user,
        channel=Channel.IN_APP,
        status=Status.SENT,
        read_at__isnull=True,
    ).update(read_at=now or timezone.now())
