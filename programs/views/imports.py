"""Importing participants (/manage/programs/…/import/…): upload, preview, read
again with other choices, confirm; and the template file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs import importing, selectors, services
from programs.forms import ImportReadingForm, ImportUploadForm
from programs.models import Program


@require_http_methods(["GET", "POST"])
@coordinator_required
def participant_import(request: AppRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    form = ImportUploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ())
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.participant_import_preview(
            program=program,
            by=request.user,
            filename=upload.name,
            content=upload.read(importing.MAX_BYTES + 1),
        )
        return redirect(
            "programs:participant-import-preview",
            program_id=program.pk,
            batch_id=batch.pk,
        )
    context = {"program": program, "form": form, "format_help": importing.FORMAT_HELP}
    status = 422 if request.method == "POST" else 200
    return render(request, "programs/import_upload.html", context, status=status)


@require_GET
@coordinator_required
def participant_import_preview(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    form = ImportReadingForm(reading=batch.reading)
    return _import_preview_render(request, program, batch, form)


def _import_preview_render(
    request: AppRequest, program: Program, batch, form: ImportReadingForm, status=200
) -> HttpResponse:
    context = {
        "program": program,
        "batch": batch,
        "sample": batch.rows[:20],
        "form": form,
        "reading_description": importing.reading_description(batch.reading),
        "problem_rows": importing.problems_by_line(batch.errors),
    }
    return render(request, "programs/import_preview.html", context, status=status)


@require_POST
@coordinator_required
def participant_import_reread(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    """Read the file again with the chosen encoding, separator and column mapping
    (the mapping is remembered for the organization's later files)."""
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    form = ImportReadingForm(request.POST, reading=batch.reading)
    if form.is_valid():
        try:
            services.participant_import_reread(
                batch=batch,
                by=request.user,
                encoding=form.cleaned_data["encoding"] or None,
                delimiter=form.cleaned_data["delimiter"] or None,
                mapping=form.mapping(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect(
                "programs:participant-import-preview",
                program_id=program.pk,
                batch_id=batch.pk,
            )
    return _import_preview_render(request, program, batch, form, status=422)


@require_POST
@coordinator_required
def participant_import_confirm(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    try:
        batch = services.participant_import_commit(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            "programs:participant-import-preview",
            program_id=program.pk,
            batch_id=batch.pk,
        )
    messages.success(
        request,
        f"Invited {batch.row_count} people by email ({batch.created_count} new to the "
        f"organization; {batch.updated_count} already had an account, left unchanged). "
        "Each is enrolled once they accept the program's agreement.",
    )
    return redirect("programs:program-detail", program_id=program.pk)


@require_GET
@coordinator_required
def participant_import_template(request: AppRequest) -> HttpResponse:
    response = HttpResponse(
        importing.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="participants-template.csv"'
    return response
