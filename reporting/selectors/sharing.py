"""Reads for published-report links (``reporting.services.sharing``)."""

from __future__ import annotations

import datetime

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from mentorship.accounts.models import User
from programs.models import Program
from programs.selectors import program_get_for_coordinator
from reporting.models import SharedReport
from reporting.services.sharing import token_hash


def shared_report_list(*, program: Program) -> QuerySet[SharedReport]:
    """The program's links, live first, with who made/revoked them: 1 query."""
    return (
        SharedReport.objects.filter(program=program)
        .select_related("created_by", "revoked_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "-created_at", "-id")
    )


def shared_report_get_for_coordinator(
    *, user: User, program_id: int, share_id: int
) -> SharedReport:
    """A link of a program the viewer manages; 404 otherwise."""
    program = program_get_for_coordinator(user=user, program_id=program_id)
    share = (
        SharedReport.objects.filter(program=program, pk=share_id)
        .select_related("program")
        .first()
    )
    if share is None:
        raise Http404("No such link.")
    return share


def shared_report_get_by_token(
    *, token: str, now: datetime.datetime | None = None
) -> SharedReport:
    """The live link for ``token`` in this organization; 404 if unknown, revoked or
    expired (never saying which). 1 query."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        raise Http404("No such report.")
    share = (
        SharedReport.objects.filter(
            token_hash=token_hash(token=token), revoked_at__isnull=True
        )
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .select_related("program")
        .first()
    )
    if share is None:
        raise Http404("No such report.")
    return share
