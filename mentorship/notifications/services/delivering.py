"""Sending one queued message (or a batch of them) and recording the outcome."""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import DatabaseError, connection
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mentorship import localtime
from mentorship.accounts import preferences
from mentorship.notifications.errors import TransientDeliveryError
from mentorship.notifications.models import DIGEST_KIND, Notification
from mentorship.organizations.services import current_primary_url

logger = logging.getLogger(__name__)

# Errors in building the message rather than in sending it: they fail the row for
# good. BadHeaderError is a ValueError; UnicodeError too.
PERMANENT_ERRORS = (ValueError, TypeError, LookupError)

Status = Notification.Status
Channel = Notification.Channel
_ERROR_LIMIT = 2000


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
        except PERMANENT_ERRORS as error:
            # The message itself can't be built (a stored name with a line break
            # makes a bad header, BadHeaderError): no retry will help.
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
    One row's unexpected error never stops the batch: that row is marked failed
    (when it can be) and counted as "failed", and the rest are sent.
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
            except Exception as error:  # one row never stops the batch
                logger.exception("Notification %s broke its batch", notification_id)
                outcome = _fail_unexpected(notification_id, error)
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


def _fail_unexpected(notification_id: int, error: Exception) -> str:
    """Mark a claimed row failed after an error nothing expected; if even that
    fails (the database is away), the sweeper finds the row in ``sending``."""
    message = f"{type(error).__name__}: {error}"[:_ERROR_LIMIT]
    with contextlib.suppress(DatabaseError):
        Notification.objects.filter(id=notification_id, status=Status.SENDING).update(
            status=Status.FAILED, last_error=message
        )
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
    schema_name = connection.schema_name  # type: ignore[attr-defined]
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
    # A digest bundles several kinds: its unsubscribe link stops digests altogether.
    unsubscribe = _absolute(preferences.unsubscribe_path(user, notification.kind))
    context = {
        "notification": notification,
        "user": user,
        "link": _absolute(notification.link) if notification.link else "",
        "items": [
            {"item": item, "link": _absolute(item.link) if item.link else ""}
            for item in items
        ],
        "home": _absolute(reverse("notifications:list")),
        "preferences": _absolute(preferences.preferences_path(user)),
        "unsubscribe": unsubscribe,
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
        headers={
            "X-Notification-Key": notification.dedupe_key,
            # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=mail_connection,
    )
    message.attach_alternative(
        render_to_string("notifications/email.html", context), "text/html"
    )
    if notification.attachment_name.endswith(".ics") and notification.attachment:
        message.attach(_calendar_part(notification))
    elif notification.attachment:
        message.attach(
            notification.attachment_name or "attachment",
            notification.attachment,
            "application/octet-stream",
        )
    return message


def _calendar_part(notification: Notification) -> MIMEText:
    """An invitation as iMIP wants it (RFC 6047 §2.4): ``text/calendar`` with the
    file's own METHOD and ``charset=utf-8`` on the part, so mail clients show an
    invitation with answer buttons rather than a file."""
    ics = notification.attachment
    method = next(
        (
            line.split(":", 1)[1].strip().upper()
            for line in ics.splitlines()
            if line.upper().startswith("METHOD:")
        ),
        "",
    )
    part = MIMEText(ics, "calendar", "utf-8")
    if method:
        part.set_param("method", method)
    part.add_header(
        "Content-Disposition", "attachment", filename=notification.attachment_name
    )
    return part
