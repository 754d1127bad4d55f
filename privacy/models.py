"""Privacy: a person's own data export, erasure and the retention period.

This app sits above every domain app (it reads all of them): a person's export
gathers what each app holds about them, an erasure and the retention task
anonymise it. The audit log and consent records it writes live at the bottom
(``mentorship.audit``), so every app can write them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mentorship.accounts.models import User


class DataExport(models.Model):
    """One "download my data" request: a ZIP prepared by a worker, kept for a week."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Being prepared"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    file = models.FileField(upload_to="privacy-exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["queued", "ready", "failed", "expired"]),
                name="data_export_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"Data export {self.pk} ({self.status})"


class RetentionPolicy(models.Model):
    """How long this organization keeps personal data after a program closes.

    One row per organization (schema); ``privacy.services.retention`` reads it,
    creating it with the default when missing.
    """

    DEFAULT_MONTHS = 24

    months = models.PositiveSmallIntegerField(
        default=DEFAULT_MONTHS,
        help_text=(
            "Months after a program closes before the personal data of its people "
            "is anonymised (people still in a later program keep their profile)."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "retention period"
        verbose_name_plural = "retention period"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months__gte=1, months__lte=120),
                name="retention_months_1_to_120",
                violation_error_message="Keep data between 1 and 120 months.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.months} months after a program closes"


class Person(User):
    """People, as the privacy pages of the admin list them (erasure)."""

    class Meta:
        proxy = True
        verbose_name = "person's personal data"
        verbose_name_plural = "people's personal data (erase)"
