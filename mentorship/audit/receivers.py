"""Audit entries for the admin's bulk imports and exports (django-import-export
signals; the actor and address come from the request through AuditMiddleware)."""

from __future__ import annotations

from typing import Any

from django.db import models

from mentorship.audit.services import record


def admin_import_recorded(
    sender: Any, model: type[models.Model], **kwargs: Any
) -> None:
    record(action="import.committed", target=model, details={"via": "admin"})


def admin_export_recorded(
    sender: Any, model: type[models.Model], **kwargs: Any
) -> None:
    record(action="export.downloaded", target=model, details={"via": "admin"})
