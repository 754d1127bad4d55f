"""The report a program shows outside the dashboard: the printable report, exports,
and the published (shared) report for sponsors with the links that open it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.accounts.decorators import coordinator_required
from mentorship.audit.services import record
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs.models import Program
from programs.selectors import program_get_for_coordinator, program_list_for_coordinator
from reporting import exports
from reporting.forms import ShareForm
from reporting.selectors import exports as export_selectors
from reporting.selectors import report as report_selectors
from reporting.selectors import sharing as selectors
from reporting.services import sharing as services

FORMATS = ("csv", "xlsx")


def _share_context(request: AppRequest, program, form: ShareForm, **extra) -> dict:
    return {
        "program": program,
        "shares": selectors.shared_report_list(program=program),
        "form": form,
        "exports": export_selectors.export_choices(program=program),
        **extra,
    }


@require_GET
@coordinator_required
def share_list(request: AppRequest, program_id: int) -> HttpResponse:
    """The program's "share and export" page: published links, exports, print."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    context = _share_context(request, program, ShareForm())
    return render(request, "reporting/share_list.html", context)


@require_POST
@coordinator_required
def share_create(request: AppRequest, program_id: int) -> HttpResponse:
    """Make a link; the page shows its token once (it isn't stored)."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = ShareForm(request.POST)
    new = None
    if form.is_valid():
        try:
            new = services.shared_report_create(
                program=program,
                by=request.user,
                label=form.cleaned_data["label"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
    context = _share_context(
        request,
        program,
        ShareForm() if new else form,
        new_url=request.build_absolute_uri(
            reverse("reporting:shared-report", args=[new.token])
        )
        if new
        else "",
        new_share=new.share if new else None,
    )
    template = "reporting/share_list.html"
    if request.htmx:
        template += "#share-links"
    response = render(request, template, context, status=200 if new else 422)
    # The token is in this page only: keep it out of caches and history restores.
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@coordinator_required
def share_revoke(request: AppRequest, program_id: int, share_id: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes (the link answers 404 from then on)."""
    share = selectors.shared_report_get_for_coordinator(
        user=request.user, program_id=program_id, share_id=share_id
    )
    if request.method == "POST":
        services.shared_report_revoke(share=share, by=request.user)
        return redirect("reporting:share-list", program_id=program_id)
    return render(
        request,
        "reporting/share_revoke.html",
        {"program": share.program, "share": share},
    )


@require_GET
def shared_report(request: AppRequest, token: str) -> HttpResponse:
    """The published report: no login, aggregates under the 5-person rule and
    approved stories only; 404 for an unknown, revoked or expired token."""
    share = selectors.shared_report_get_by_token(token=token)
    services.shared_report_record_view(share=share)
    report = report_selectors.program_report(
        program=share.program, now=timezone.now(), zone="UTC", public=True
    )
    response = render(
        request,
        "reporting/shared_report.html",
        {"report": report, "share": share, "public": True},
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    # The token is in the URL: never send it on in a Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@coordinator_required
def impact_report(request: AppRequest, program_id: int) -> HttpResponse:
    """The printable report of one program (the browser's "Save as PDF")."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    report = report_selectors.program_report(
        program=program, now=timezone.now(), zone=request.user.time_zone
    )
    return render(
        request, "reporting/impact_report.html", {"report": report, "public": False}
    )


@require_GET
@coordinator_required
def organization_report(request: AppRequest) -> HttpResponse:
    """Every program the viewer manages (not drafts), one printed page each."""
    programs = list(
        program_list_for_coordinator(user=request.user)
        .exclude(status=Program.Status.DRAFT)
        .order_by("name", "id")
    )
    reports = report_selectors.organization_report(
        programs=programs, now=timezone.now(), zone=request.user.time_zone
    )
    context = {
        "reports": reports,
        "left_out": len(programs) - len(reports),
        "public": False,
    }
    return render(request, "reporting/organization_report.html", context)


@require_GET
@coordinator_required
def impact_export(
    request: AppRequest, program_id: int, table: str, fmt: str
) -> StreamingHttpResponse:
    """One table as CSV (streamed) or XLSX; ``?survey=<id>`` for responses."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    if fmt not in FORMATS:
        raise Http404("No such format.")
    try:
        survey_id = int(request.GET.get("survey") or 0)
    except ValueError:
        raise Http404("No such survey.") from None
    built = export_selectors.export_table(
        program=program,
        key=table,
        zone=request.user.time_zone,
        now=timezone.now(),
        survey_id=survey_id,
        breakdown=request.GET.get("breakdown", ""),
    )
    filename = f"{program.pk}-{built.name}.{fmt}"
    record(
        action="export.downloaded",
        target=program,
        actor=request.user,
        details={"table": built.name, "format": fmt},
    )
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_lines(built), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(
            exports.xlsx_file([built]),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "no-store"
    return response
