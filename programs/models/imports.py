"""Participant imports: the uploaded file waiting to be confirmed, and the column
mappings remembered for the organization's later files."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from mentorship.fields import SingleLineCharField
from programs.models.programs import Program


class ImportBatch(models.Model):
    """An uploaded participant file, parsed and validated, waiting to be confirmed.

    The confirm step imports these stored rows: nothing the browser re-posts is
    trusted. Rows are only kept when the file had no errors.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Imported"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEWED)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # The file as uploaded, to read it again with the coordinator's choices of
    # encoding, delimiter and column mapping (at most importing.MAX_BYTES).
    content = models.BinaryField(default=b"", editable=False)
    # How it was read: importing.ParsedFile.reading (encoding, delimiter, columns).
    reading = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_importable(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.error_count


class ImportColumnMapping(models.Model):
    """What a column header the import doesn't know holds, as a coordinator of this
    organization said once: remembered for every later file (per organization,
    as each has its own schema). An empty ``field`` means "ignore this column"."""

    key = models.CharField(
        max_length=100, unique=True, help_text="importing.header_key of the header."
    )
    header = SingleLineCharField(max_length=100)
    field = models.CharField(max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or 'ignored'}"
