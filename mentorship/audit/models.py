"""Consent records: what a person agreed to, which version of the text, and when.

The audit log itself is django-auditlog's ``LogEntry`` (model changes through its
registry, configured in settings ``AUDITLOG_INCLUDE_TRACKING_MODELS``; other actions
through ``audit.services.record``). Both tables are append-only in the database: a
trigger (migration 0002) refuses UPDATE and DELETE, except clearing the FK of a
deleted account and, inside the erasure service's transaction, replacing personal
data in their text columns (``audit.services.redaction``).

Success-story consent is kept where stories keep it (``reporting.StoryPerson``: the
story version answered and when); this table holds the rest: program agreements and
notification choices.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ConsentText(models.Model):
    """One version of a text people agree to, stored once (keyed by its sha256)."""

    sha256 = models.CharField(max_length=64, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Text {self.sha256[:12]}"


class ConsentRecord(models.Model):
    """One answer of one person: append-only, the latest per subject is what holds."""

    class Kind(models.TextChoices):
        PROGRAM_AGREEMENT = "program_agreement", "Program agreement"
        NOTIFICATIONS = "notifications", "Notification choice"

    class Decision(models.TextChoices):
        GIVEN = "given", "Agreed"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # SET_NULL: the trigger lets a deleted account's id go, never the record.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="consent_records",
    )
    kind = models.CharField(max_length=20, choices=Kind)
    # What it is about: "program:12", "notifications".
    subject = models.CharField(max_length=80)
    decision = models.CharField(max_length=10, choices=Decision, default=Decision.GIVEN)
    # The version the person saw: the text's sha256 prefix, or a label the caller
    # names (e.g. the preferences page's "notifications-2026-11").
    version = models.CharField(max_length=64)
    text = models.ForeignKey(
        ConsentText, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The choice itself where it has parts (e.g. {"email_enabled": false}).
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["user", "kind", "subject"], name="consent_user_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=["program_agreement", "notifications"],
                    decision__in=["given", "declined", "withdrawn"],
                ),
                name="consent_kind_decision_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject}: {self.decision} ({self.version[:12]})"
