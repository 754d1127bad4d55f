"""A person's own data, in the portal: ask for a copy, download it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mentorship.http import AppRequest
from privacy.models import DataExport
from privacy.services import exports, retention


@require_GET
@login_required
def my_data(request: AppRequest) -> HttpResponse:
    """What we keep about you, and a button to download all of it."""
    recent = list(DataExport.objects.filter(user=request.user)[:5])
    links = {
        export.pk: exports.data_export_path(export)
        for export in recent
        if export.status == DataExport.Status.READY
    }
    context = {
        "exports": [(export, links.get(export.pk)) for export in recent],
        "link_days": exports.LINK_DAYS,
        "retention_months": retention.policy_get().months,
        "now": timezone.now(),
    }
    return render(request, "privacy/my_data.html", context)


@require_POST
@login_required
def data_export_request(request: AppRequest) -> HttpResponse:
    exports.data_export_request(user=request.user)
    messages.success(
        request,
        "We're preparing your data. We'll email you a link when it's ready "
        "(usually within minutes); it will also appear on this page.",
    )
    return redirect("privacy:my-data")


@require_GET
@login_required
def data_export_download(request: AppRequest, token: str) -> FileResponse:
    """The ZIP, for its owner only, while the link is valid (404 otherwise)."""
    export = exports.data_export_for_token(
        token=token, user=request.user, now=timezone.now()
    )
    if export is None:
        raise Http404("This link has expired or isn't yours.")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"my-data-{export.finished_at:%Y-%m-%d}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "no-store"
    return response
