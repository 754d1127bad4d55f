"""Published reports for sponsors: unguessable read-only links to a program's report.

A link is ``secrets.token_urlsafe(32)`` (256 random bits), shown once when it is
made and stored only as ``token_hash``: sha256 over the organization's schema and
the token. Putting the schema in the hash binds the link to the organization
(DESIGN.md, FINDINGS E1): the same token presented on another organization's
host hashes to a different value and finds nothing. Revoking sets ``revoked_at``;
the lookup filters on it, so the next request answers 404 (no cache in between:
the page is sent with ``Cache-Control: no-store``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.audit.services import record
from programs.models import Program
from programs.services import require_manager
from reporting.models import SharedReport

TOKEN_BYTES = 32  # 256 bits; the issue asks for at least 128
MAX_DAYS = 366


def token_hash(*, token: str, schema: str | None = None) -> str:
    """sha256 hex of ``"<schema>:<token>"``; schema defaults to the current one."""
    schema = schema or connection.schema_name  # type: ignore[attr-defined]
    return hashlib.sha256(f"{schema}:{token}".encode()).hexdigest()


@dataclass(frozen=True)
class NewShare:
    """A link just made: ``token`` exists only here (never stored, never shown again)."""

    share: SharedReport
    token: str


@transaction.atomic
def shared_report_create(
    *,
    program: Program,
    by: User,
    label: str = "",
    expires_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> NewShare:
    """Make a link to the program's published report. ``expires_on`` is the last
    day it works, in the creator's zone (it dies at the end of that day).
    Raises PermissionDenied for non-managers, ValidationError for a past day or
    one more than a year ahead."""
    require_manager(program=program, by=by)
    now = now or timezone.now()
    expires_at = None
    if expires_on is not None:
        zone = localtime.zone_name(by.time_zone)
        today = localtime.local_date_of(zone, now)
        if expires_on < today:
            raise ValidationError({"expires_on": "Pick today or a later day."})
        if expires_on > today + datetime.timedelta(days=MAX_DAYS):
            raise ValidationError({"expires_on": "Links last a year at most."})
        expires_at = localtime.local_instant(
            zone, expires_on + datetime.timedelta(days=1), datetime.time(0)
        )
    token = secrets.token_urlsafe(TOKEN_BYTES)
    share = SharedReport.objects.create(
        program=program,
        label=label.strip()[:120],
        token_hash=token_hash(token=token),
        created_by=by,
        expires_at=expires_at,
    )
    return NewShare(share=share, token=token)


@transaction.atomic
def shared_report_revoke(
    *, share: SharedReport, by: User, now: datetime.datetime | None = None
) -> SharedReport:
    """Kill a link at once (idempotent: revoking twice keeps the first time)."""
    require_manager(program=share.program, by=by)
    revoked = SharedReport.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by
    )
    share.refresh_from_db()
    if revoked:
        record(action="share_link.revoked", target=share, actor=by)
    return share


def shared_report_record_view(
    *, share: SharedReport, now: datetime.datetime | None = None
) -> None:
    """Count one opening of the link (one UPDATE, safe under concurrent views)."""
    SharedReport.objects.filter(pk=share.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=now or timezone.now()
    )
