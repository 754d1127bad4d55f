"""The coordinator's training page (/manage/programs/<id>/training/): who finished
the required training, marking it done in bulk, waivers. Thin: parse, call
programs.services.training, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest, error_text
from programs.forms.training import TrainingMarkForm, TrainingWaiverForm
from programs.models import Enrollment
from programs.selectors import program_get_for_coordinator
from programs.services import training


def _page_url(program_id: int, query: str = "") -> str:
    url = reverse("programs:training", args=[program_id])
    return f"{url}?{query}" if query else url


@require_GET
@coordinator_required
def training_page(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    filters = training.TrainingFilters.from_query(request.GET)
    table = training.training_table(program=program, filters=filters)
    return render(
        request, "programs/training_page.html", {"program": program, "table": table}
    )


@require_POST
@coordinator_required
def training_mark(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    modules = list(program.training_modules.all())
    form = TrainingMarkForm(request.POST, modules=modules)
    query = training.TrainingFilters.from_query(request.POST).query_string()
    if not form.is_valid():
        messages.error(
            request,
            " ".join(e for errors in form.errors.values() for e in errors),  # type: ignore[misc]
        )
        return redirect(_page_url(program.pk, query))
    module = next((m for m in modules if m.pk == form.cleaned_data["module"]), None)
    try:
        added = training.training_completions_mark(
            program=program,
            enrollment_ids=form.cleaned_data["enrollment"],
            module=module,
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"Marked {added} module{'s' * (added != 1)} done."
            if added
            else "Nothing to add: those modules were already done.",
        )
    return redirect(_page_url(program.pk, query))


@require_POST
@coordinator_required
def training_waiver(
    request: AppRequest, program_id: int, enrollment_id: int
) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    enrollment = (
        Enrollment.objects.select_related("program", "participant__user")
        .filter(program=program, pk=enrollment_id)
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrolment.")
    form = TrainingWaiverForm(request.POST)
    query = training.TrainingFilters.from_query(request.POST).query_string()
    name = enrollment.participant.user.greeting_name
    if not form.is_valid():
        messages.error(
            request,
            " ".join(e for errors in form.errors.values() for e in errors),  # type: ignore[misc]
        )
    elif form.cleaned_data["action"] == "remove":
        training.training_waiver_remove(enrollment=enrollment, by=request.user)
        messages.success(request, f"{name} needs the training again before matching.")
    else:
        try:
            training.training_waive(
                enrollment=enrollment,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, f"Training waived for {name}.")
    return redirect(_page_url(program.pk, query))
