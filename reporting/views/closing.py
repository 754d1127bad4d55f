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
from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, error_text
from programs.models import Program
from programs.selectors import program_get_for_coordinator
from reporting.services import closing


def _close_confirmation(program: Program) -> confirm.Confirmation:
    """Closing is final; the page lists what it completes and which surveys go."""
    preview = closing.program_close_preview(program=program)
    matches, enrollments = preview.matches, preview.enrollments
    effects = [
        f"{matches} match{'es' if matches != 1 else ''} that "
        f"{'is' if matches == 1 else 'are'} running or proposed will be completed "
        "(proposed ones end without starting).",
        f"{enrollments} approved enrolment{'s' if enrollments != 1 else ''} will be "
        "marked completed, with today's date.",
    ]
    if preview.surveys:
        surveys = ", ".join(
            f"“{survey.title}” ({survey.get_audience_role_display().lower()})"
            for survey in preview.surveys
        )
        effects.append(
            f"Sent to the people who completed, each survey to those it is for: "
            f"{surveys}."
        )
    else:
        effects.append(
            "No closing survey is open: add the closing template in Surveys first "
            "to measure what changed."
        )
    effects.append("Closing is final: the program can't be reopened.")
    return confirm.Confirmation(
        title=f"Close {program.name}",
        question=f"Close {program.name}?",
        effects=tuple(effects),
        action_url=reverse("reporting:program-close", args=[program.pk]),
        label="Close program…",
        confirm_label="Close the program",
        cancel_url=reverse("programs:program-detail", args=[program.pk]),
        is_danger=True,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def program_close(request: AppRequest, program_id: int) -> HttpResponse:
    """Confirm, then close: completes matches and enrolments, sends closing surveys."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    if request.method == "POST" and confirm.is_confirmed(request):
        try:
            summary = closing.program_close(program=program, by=request.user)
        except ValidationError as error:
            messages.error(request, error_text(error))
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
    context = {"program": program}
    return confirm.page(request, _close_confirmation(program), context=context)


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
            if request.POST.get("reassign") == "1":
                # A stale proposal ended to reassign: choose the mentee's next mentor.
                url = reverse("matching:match-create", args=[program_id])
                return redirect(f"{url}?mentee={match.mentee_id}")
            return redirect(reverse("matching:match-list", args=[program_id]))
    context = {
        "program": match.program,
        "match": match,
        "form": form,
        "is_reassign": request.POST.get("reassign") == "1",
    }
    return render(request, "matching/match_end.html", context, status=422)
