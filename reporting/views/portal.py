"""Participant pages: the portal home's survey panel and answering one survey."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.http import AppRequest, error_text
from programs.selectors import local_today
from reporting.selectors import surveys as selectors
from reporting.services import responses


@require_GET
@login_required
def portal_surveys_panel(request: AppRequest) -> HttpResponse:
    """The "Surveys for you" card of the portal home alone (the home renders it
    itself); empty when there is nothing to answer."""
    pending = selectors.pending_surveys_for_user(
        user=request.user, today=local_today(user=request.user)
    )
    return render(request, "reporting/_portal_surveys.html", {"pending": pending})


@require_http_methods(["GET", "POST"])
@login_required
def survey_answer(request: AppRequest, assignment_id: int) -> HttpResponse:
    """One survey: answer it, edit it until it is due (attributed), or a thank-you
    (anonymous and answered: the answers are never shown again)."""
    assignment = selectors.assignment_get_for_participant(
        user=request.user, assignment_id=assignment_id
    )
    survey = assignment.survey
    today = local_today(user=request.user)
    editable = responses.assignment_is_editable(assignment, today=today)
    values, errors = selectors.previous_answers(assignment=assignment), {}
    form_error, status = "", 200
    if request.method == "POST" and editable:
        try:
            responses.response_submit(
                assignment=assignment,
                by=request.user,
                data=dict(request.POST.lists()),
                today=today,
            )
        except ValidationError as error:
            values = dict(request.POST.lists())
            if hasattr(error, "error_dict"):
                errors = {name: " ".join(m) for name, m in error.message_dict.items()}
            else:
                form_error = error_text(error)
            status = 422
        else:
            messages.success(request, "Thank you! Your answers are saved.")
            return redirect("reporting:survey-answer", assignment_id=assignment.pk)
    elif request.method == "POST":
        status = 422
        form_error = "This survey can't be changed any more."
    context = {
        "survey": survey,
        "program": survey.program,
        "assignment": assignment,
        "questions": survey.questions.all(),
        "values": values,
        "errors": errors,
        "form_error": form_error,
        "editable": editable,
        "is_thanks": survey.is_anonymous and assignment.is_answered,
    }
    return render(request, "reporting/survey_answer.html", context, status=status)
