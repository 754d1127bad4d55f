"""Coordinator survey pages: list, builder, questions, preview, send, results."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, error_text
from programs.selectors import program_get_for_coordinator
from reporting import survey_templates
from reporting.forms import QuestionForm, SendForm, SurveySettingsForm
from reporting.models import Survey
from reporting.selectors import surveys as selectors
from reporting.services import assignments
from reporting.services import surveys as services


def _builder_url(survey: Survey) -> str:
    return reverse("reporting:survey-builder", args=[survey.program_id, survey.pk])


@require_GET
@coordinator_required
def survey_list(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    context = {
        "program": program,
        "surveys": selectors.survey_list_for_program(program=program),
        "templates": survey_templates.TEMPLATES,
    }
    return render(request, "reporting/survey_list.html", context)


@require_POST
@coordinator_required
def survey_create(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    template_key = request.POST.get("template", "")
    try:
        if template_key:
            made = services.survey_copy_template(
                program=program, by=request.user, template_key=template_key
            )
        else:
            made = [services.survey_create(program=program, by=request.user)]
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("reporting:survey-list", program_id=program.pk)
    names = ", ".join(f"“{survey.title}”" for survey in made)
    messages.success(request, f"Added {names}. Check the questions, then send it.")
    return redirect(_builder_url(made[0]))


@require_http_methods(["GET", "POST"])
@coordinator_required
def survey_builder(
    request: AppRequest, program_id: int, survey_id: int
) -> HttpResponse:
    """Settings and questions; POST saves the settings."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    data = request.POST if request.method == "POST" else None
    form = SurveySettingsForm(
        data,
        instance=survey,
        locked_anonymity=bool(survey.assigned_count),  # type: ignore[attr-defined]
    )
    if data is not None and form.is_valid():
        try:
            services.survey_update(
                survey=survey, by=request.user, fields=form.survey_fields()
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Saved the survey's settings.")
            return redirect(_builder_url(survey))
    context = {
        "program": survey.program,
        "survey": survey,
        "form": form,
        "questions": survey.questions.all(),
        "question_form": QuestionForm(initial=QuestionForm.initial_for(None)),
    }
    status = 422 if data is not None else 200
    return render(request, "reporting/survey_builder.html", context, status=status)


@require_http_methods(["GET", "POST"])
@coordinator_required
def question_edit(
    request: AppRequest, program_id: int, survey_id: int, question_id: int | None = None
) -> HttpResponse:
    """Add (no question id) or edit a question."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    question = (
        selectors.question_get(survey=survey, question_id=question_id)
        if question_id
        else None
    )
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, initial=QuestionForm.initial_for(question))
    if data is not None and form.is_valid():
        try:
            services.question_save(
                survey=survey,
                by=request.user,
                question=question,
                fields=form.question_fields(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Saved the question.")
            return redirect(_builder_url(survey) + "#questions")
    context = {
        "program": survey.program,
        "survey": survey,
        "question": question,
        "form": form,
    }
    status = 422 if data is not None else 200
    return render(request, "reporting/question_form.html", context, status=status)


@require_POST
@coordinator_required
def question_change(
    request: AppRequest, program_id: int, survey_id: int, question_id: int
) -> HttpResponse:
    """Move a question up or down, or delete it (``action`` up / down / delete)."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    question = selectors.question_get(survey=survey, question_id=question_id)
    action = request.POST.get("action")
    try:
        if action == "delete":
            services.question_delete(question=question, by=request.user)
            messages.success(request, "Removed the question.")
        elif action in ("up", "down"):
            services.question_move(
                question=question, by=request.user, offset=-1 if action == "up" else 1
            )
        else:
            messages.error(request, "Choose what to do with the question.")
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(_builder_url(survey) + f"#question-{question.pk}")


@require_POST
@coordinator_required
def survey_action(request: AppRequest, program_id: int, survey_id: int) -> HttpResponse:
    """Copy, open or close a survey (``action`` copy / open / close)."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    action = request.POST.get("action")
    try:
        if action == "copy":
            copy = services.survey_copy(survey=survey, by=request.user)
            messages.success(request, f"Made “{copy.title}”, a draft you can change.")
            return redirect(_builder_url(copy))
        if action in (Survey.Status.OPEN, Survey.Status.CLOSED):
            survey = services.survey_set_status(
                survey=survey, by=request.user, status=action
            )
            messages.success(
                request, f"The survey is {survey.get_status_display().lower()}."
            )
        else:
            messages.error(request, "Choose what to do with the survey.")
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(_builder_url(survey))


@require_GET
@coordinator_required
def survey_preview(
    request: AppRequest, program_id: int, survey_id: int
) -> HttpResponse:
    """The survey as a participant sees it (answers go nowhere)."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    context = {
        "survey": survey,
        "program": survey.program,
        "questions": survey.questions.all(),
        "values": {},
        "errors": {},
        "is_preview": True,
    }
    return render(request, "reporting/survey_answer.html", context)


def _send_confirmation(survey: Survey, form: SendForm) -> confirm.Confirmation:
    """How many people these filters reach, and what each of them gets."""
    reached = assignments.send_audience(survey=survey, filters=form.filters()).count()
    people = f"{reached} {'person' if reached == 1 else 'people'}"
    chosen = tuple(
        (name, value) for name, values in form.cleaned_data.items() for value in values
    )
    return confirm.Confirmation(
        question=f"Send “{survey.title}” to {people} now?",
        effects=(
            f"Emails {people} in their next daily digest, and shows it on their "
            "portal at once.",
            f"Reminders follow until they answer or it is due in {survey.due_days} "
            "days. A send can't be taken back.",
        ),
        action_url=reverse(
            "reporting:survey-send", args=[survey.program_id, survey.pk]
        ),
        label="Send now",
        confirm_label=f"Send to {people}",
        cancel_url=reverse(
            "reporting:survey-send", args=[survey.program_id, survey.pk]
        ),
        fields=chosen,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def survey_send(request: AppRequest, program_id: int, survey_id: int) -> HttpResponse:
    """Send now to a filtered audience (confirmation shows how many it reaches)."""
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    data = request.POST if request.method == "POST" else None
    form = SendForm(data, program=survey.program)
    if data is not None and form.is_valid() and not confirm.is_confirmed(request):
        # Sending messages everyone it reaches: the count for these filters first.
        return confirm.page(
            request,
            _send_confirmation(survey, form),
            context={"program": survey.program},
        )
    if data is not None and form.is_valid():
        try:
            assignments.survey_send_create(
                survey=survey, by=request.user, filters=form.filters()
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                "Sent. People see it on their portal now and in their next daily email.",
            )
            return redirect(_builder_url(survey))
    audience = assignments.send_audience(
        survey=survey,
        filters=form.filters() if form.is_bound and form.is_valid() else {},
    ).count()
    context = {
        "program": survey.program,
        "survey": survey,
        "form": form,
        "audience": audience,
        "sends": survey.sends.all()[:10],
    }
    status = 422 if data is not None else 200
    return render(request, "reporting/survey_send.html", context, status=status)


@require_GET
@coordinator_required
def survey_results(
    request: AppRequest, program_id: int, survey_id: int
) -> HttpResponse:
    survey = selectors.survey_get_for_coordinator(
        user=request.user, program_id=program_id, survey_id=survey_id
    )
    filters = selectors.ResultFilters.from_query(request.GET)
    context = {
        "program": survey.program,
        "survey": survey,
        "results": selectors.survey_results(survey=survey, filters=filters),
        "breakdowns": selectors.BREAKDOWNS,
    }
    template = "reporting/survey_results.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response
