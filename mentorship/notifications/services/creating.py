"""Putting messages in the outbox; retrying dead letters; reading them in the app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.celery import enqueue_on_commit
from mentorship.notifications import tasks
from mentorship.notifications.models import Notification
from mentorship.notifications.selectors import notification_inbox

Status = Notification.Status
Channel = Notification.Channel


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
    return localtime.next_digest_due(
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
    # The in-app copy shows when the message is due; a digest item about something
    # that just happened shows at once, while its email waits for the digest.
    shown_at = due_at or now
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
        shown_at=shown_at,
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


def notifications_mark_read(
    *, user: User, ids: Sequence[int] | None = None, now: datetime | None = None
) -> int:
    """Mark ``user``'s messages on their notifications page read (only ``ids`` when
    given); returns how many changed."""
    now = now or timezone.now()
    rows = notification_inbox(user=user, now=now).filter(read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(id__in=ids)
    return rows.update(read_at=now)
