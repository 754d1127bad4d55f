"""Closing a program and ending a match early: the dashboard's forms post here,
because these span programs, matching and surveys (see reporting.services.closing)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from matching.forms import EndForm
from matching.selectors import match_get_for_coordinator
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs.selectors import program_get_for_coordinator
from reporting.forms import CloseForm
from reporting.services import closing


@require_http_methods(["GET", "POST"])
@coordinator_required
def program_close(request: AppRequest, program_id: int) -> HttpResponse:
    """Confirm, then close: completes matches and enrolments, sends closing surveys."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = closing.program_close(program=program, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{program.name} is closed: {summary.matches} matches and "
                f"{summary.enrollments} enrolments completed"
                + (
                    f"; {len(summary.surveys)} closing survey(s) on their way."
                    if summary.surveys
                    else "."
                ),
            )
            return redirect("programs:program-detail", program_id=program.pk)
    context = {
        "program": program,
        "form": form,
        "preview": closing.program_close_preview(program=program),
    }
    status = 422 if form.errors else 200
    return render(request, "reporting/program_close.html", context, status=status)


@require_POST
@coordinator_required
def match_end(request: AppRequest, program_id: int, match_id: int) -> HttpResponse:
    """The end-match form (matching's confirmation page) posts here: ends the match
    and sends the program's end-of-match surveys to both people."""
    match = match_get_for_coordinator(
        user=request.user, program_id=program_id, match_id=match_id
    )
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            closing.match_end(
                match=match, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "The match has ended. Both were told.")
            return redirect(reverse("matching:match-list", args=[program_id]))
    context = {"program": match.program, "match": match, "form": form}
    return render(request, "matching/match_end.html", context, status=422)
