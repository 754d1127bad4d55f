"""A person's own data export: a ZIP (JSON per kind, all of it in one JSON, and a
readable HTML page), built by a worker and announced by email with a signed link.

The link binds the export, its owner and the organization (``organizations.signing``),
works for ``LINK_DAYS`` days and only for its owner, signed in. The file is
deleted when it expires (the daily retention task).
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signing import BadSignature
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from mentorship.accounts.models import User
from mentorship.audit.services import record
from mentorship.celery import enqueue_on_commit
from mentorship.notifications.services import notification_create
from mentorship.organizations import signing
from privacy import selectors, tasks
from privacy.models import DataExport

LINK_DAYS = 7
_PURPOSE = "privacy-data-export"


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Queue an export of ``user``'s data (or return the one already being
    prepared). Enqueues the build after commit."""
    pending = DataExport.objects.filter(
        user=user, status=DataExport.Status.QUEUED
    ).first()
    if pending is not None:
        return pending
    export = DataExport.objects.create(user=user)
    enqueue_on_commit(tasks.data_export_build_task, export.pk)
    return export


def data_export_token(export: DataExport) -> str:
    return signing.sign({"export": export.pk, "user": export.user_id}, purpose=_PURPOSE)


def data_export_path(export: DataExport) -> str:
    return reverse("privacy:export-download", args=[data_export_token(export)])


def data_export_for_token(
    *, token: str, user: User, now: datetime.datetime
) -> DataExport | None:
    """The ready, unexpired export ``token`` names, if it is ``user``'s; else None
    (a token of another organization, person or export, or too old)."""
    try:
        value = signing.unsign(
            token, purpose=_PURPOSE, max_age_seconds=LINK_DAYS * 86400
        )
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("user") != user.pk:
        return None
    return DataExport.objects.filter(
        pk=value.get("export"),  # type: ignore[misc]
        user=user,
        status=DataExport.Status.READY,
        expires_at__gt=now,
    ).first()


def data_export_zip(*, user: User, now: datetime.datetime) -> bytes:
    """The ZIP's bytes: ``data.json`` (everything), ``<kind>.json`` each, ``index.html``."""
    data = selectors.person_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        dump = {"exported_at": now.isoformat(), "records": data}
        archive.writestr("data.json", json.dumps(dump, cls=DjangoJSONEncoder, indent=2))
        for kind, rows in data.items():
            archive.writestr(
                f"{kind}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=2)
            )
        sections = [
            {"kind": kind, "title": title, "rows": data.get(kind, [])}
            for kind, title in selectors.KINDS.items()
        ]
        archive.writestr(
            "index.html",
            render_to_string(
                "privacy/export_index.html",
                {"sections": sections, "person": user, "now": now},
            ),
        )
    return buffer.getvalue()


def data_export_build(*, export_id: int, now: datetime.datetime) -> str:
    """Build a queued export, store the file, email its owner the link, audit it.
    Returns the export's status ("missing" if it no longer exists)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .select_related("user")
            .filter(pk=export_id)
            .first()
        )
        if export is None:
            return "missing"
        if export.status != DataExport.Status.QUEUED:
            return export.status
        content = data_export_zip(user=export.user, now=now)
        export.file.save(
            f"{export.user_id}-{now:%Y%m%d%H%M%S}-{export.pk}.zip",
            ContentFile(content),
            save=False,
        )
        export.size = len(content)
        export.status = DataExport.Status.READY
        export.finished_at = now
        export.expires_at = now + datetime.timedelta(days=LINK_DAYS)
        export.save()
        notification_create(
            recipient=export.user,
            kind="data-export-ready",
            dedupe_key=f"data-export-ready:{export.pk}",
            subject="Your data is ready to download",
            body=(
                f"Hello {export.user.greeting_name},\n\n"
                "The copy of your data you asked for is ready: a ZIP with a readable "
                f"page and the same records as JSON. The link works for {LINK_DAYS} "
                "days, and only when you are signed in."
            ),
            link=data_export_path(export),
        )
        record(
            action="person.data_exported",
            target=export.user,
            actor=export.user,
            details={"export": export.pk, "bytes": export.size},
        )
    return export.status


def data_exports_expire(*, now: datetime.datetime) -> int:
    """Delete the files of exports past their expiry; returns how many."""
    expired = list(
        DataExport.objects.filter(status=DataExport.Status.READY, expires_at__lte=now)
    )
    for export in expired:
        export.file.delete(save=False)
        export.status = DataExport.Status.EXPIRED
        export.save(update_fields=["file", "status"])
    return len(expired)


def data_exports_delete(*, user: User) -> None:
    """Delete every export of ``user`` with its file (erasure)."""
    for export in DataExport.objects.filter(user=user):
        export.file.delete(save=False)
        export.delete()
