from django.conf import settings
from django.db import models

#: The kind of the daily digest email, which carries the person's digest items.
DIGEST_KIND = "digest"


class Notification(models.Model):
    """One message to one person: the outbox row is the source of truth, not the queue.

    `dedupe_key` is unique, so a second beat tick, a retried task or two racing workers
    can never create the same message twice. The life of a row is described in
    `mentorship.notifications.services`.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        IN_APP = "in_app", "In-app"
        # A nudge that waits for the person's daily digest email.
        DIGEST = "digest", "Daily digest item"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        QUEUED = "queued", "Queued for delivery"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        # A digest item, waiting in (or sent with) its digest email.
        BUNDLED = "bundled", "In a digest"
        FAILED = "failed", "Failed"
        # Claimed for sending, then the worker vanished: it may or may not have gone out.
        UNKNOWN = "unknown", "Unknown (worker lost mid-send)"
        CANCELLED = "cancelled", "Cancelled"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    channel = models.CharField(max_length=10, choices=Channel, default=Channel.EMAIL)
    dedupe_key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    due_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When the in-app copy appears on the person's notifications page: the due time,
    # except for a digest item made "now", which shows at once while its email waits
    # for the digest. Null on digest emails (the page shows their items instead).
    shown_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Times a worker died while this row was `sending` (see services: the crash window).
    lost_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Digest items: the digest email that carries them, and the working days
    # ("01234" = Mon-Fri) used to move them to the next digest if they arrive late.
    digest = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
    )
    digest_days = models.CharField(max_length=7, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_at"]
        indexes = [
            # The beat tick: scheduled rows whose time has come.
            models.Index(
                fields=["due_at"],
                name="notification_due_idx",
                condition=models.Q(status="scheduled"),
            ),
            # The sweeper: claimed rows whose task or worker may be lost.
            models.Index(
                fields=["status", "claimed_at"],
                name="notification_claimed_idx",
                condition=models.Q(status__in=["queued", "sending", "unknown"]),
            ),
            # The notifications page and the bell: a person's messages, newest first.
            models.Index(
                fields=["recipient", "-shown_at"],
                name="notification_shown_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "scheduled",
                        "queued",
                        "sending",
                        "sent",
                        "bundled",
                        "failed",
                        "unknown",
                        "cancelled",
                    ]
                ),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=["email", "in_app", "digest"]),
                name="notification_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id} ({self.status})"
