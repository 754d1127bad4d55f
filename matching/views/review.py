"""The coordinator's matching review (/manage/programs/<id>/matching/): criteria,
runs (start, poll, publish, discard) and edits to the proposals. Thin: parse, call
one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from matching import display, engine, selectors, services
from matching.forms import CriteriaForm, ReassignForm, RunStartForm
from matching.models import MatchRun
from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs.models import Program
from programs.selectors import program_get_for_coordinator

# --- Review -----------------------------------------------------------------------------


def _publish_confirmation(run: MatchRun) -> confirm.Confirmation:
    """Publishing messages everyone it names and can't be taken back: ask first."""
    audience = selectors.run_publish_audience(run=run)
    people = f"{audience.people} {'person' if audience.people == 1 else 'people'}"
    if run.mode == MatchRun.Mode.MENTEE_CHOICE:
        question = f"Publish choices to {audience.offers} mentees?"
        effects = (
            f"Emails {people}: each mentee picks a mentor from their suggestions.",
        )
        label = "Publish to mentees"
    elif run.mode == MatchRun.Mode.CIRCLES:
        question = f"Publish {audience.offers} circles?"
        effects = (f"Emails {people}: every facilitator and member of each circle.",)
        label = "Publish to participants"
    else:
        pairs = f"{audience.offers} match{'es' if audience.offers != 1 else ''}"
        question = f"Publish {pairs}?"
        effects = (
            f"Emails {people}: each mentor and mentee sees who they are matched "
            "with and why, and accepts or declines in their portal.",
        )
        label = "Publish to participants"
    return confirm.Confirmation(
        question=question,
        effects=(*effects, "This can't be undone: a published proposal stays sent."),
        action_url=reverse("matching:run-publish", args=[run.program_id, run.pk]),
        label=label,
        confirm_label=f"Publish and email {people}",
        cancel_url=reverse("matching:review", args=[run.program_id]),
    )


def _discard_confirmation(run: MatchRun) -> confirm.Confirmation:
    return confirm.Confirmation(
        question="Discard this run's proposals?",
        effects=(
            "Nobody has seen them; nobody is told.",
            "You can start a new run at any time.",
        ),
        action_url=reverse("matching:run-discard", args=[run.program_id, run.pk]),
        label="Discard",
        confirm_label="Discard the proposals",
        cancel_url=reverse("matching:review", args=[run.program_id]),
        is_primary=False,
    )


def _review_context(request: AppRequest, program: Program, **extra) -> dict:
    criteria = selectors.criteria_get(program=program)
    run = selectors.run_latest(program=program)
    context = {
        "program": program,
        "criteria": criteria,
        "weights": [
            (display.CRITERION_LABELS[c], getattr(criteria, f"weight_{c}"))
            for c in engine.CRITERIA
        ],
        "run": run,
        "start_form": RunStartForm(
            program=program, initial={"mode": criteria.mode, "circle_size": 6}
        ),
        "criterion_labels": display.CRITERION_LABELS,
    }
    if run is not None and run.status == MatchRun.Status.DONE:
        if run.mode in (MatchRun.Mode.OPTIMAL, MatchRun.Mode.STABLE):
            context["table"] = selectors.proposal_table(
                run=run,
                sort=request.GET.get("sort", "score"),
                page=request.GET.get("page", 1),
            )
        elif run.mode == MatchRun.Mode.MENTEE_CHOICE:
            context["choice_counts"] = selectors.suggestion_counts(run=run)
    if (
        run is not None
        and run.mode == MatchRun.Mode.CIRCLES
        and run.status
        in (
            MatchRun.Status.DONE,
            MatchRun.Status.PUBLISHED,
        )
    ):
        context["circles"] = selectors.circle_rows(run=run)
    if run is not None and run.status in (
        MatchRun.Status.DONE,
        MatchRun.Status.PUBLISHED,
    ):
        context["unmatched"] = selectors.unmatched_rows(run=run)
    if run is not None and run.status == MatchRun.Status.DONE:
        context["publish_confirmation"] = _publish_confirmation(run)
        context["discard_confirmation"] = _discard_confirmation(run)
    context.update(extra)
    return context


@require_GET
@coordinator_required
def review(request: AppRequest, program_id: int) -> HttpResponse:
    """The run form, its progress, then the proposals; #proposals on htmx."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    template = "matching/review.html"
    if request.htmx and not request.htmx.boosted:
        template += "#proposals"
    response = render(request, template, _review_context(request, program))
    response["Vary"] = "HX-Request"
    return response


@require_POST
@coordinator_required
def run_start(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = RunStartForm(request.POST, program=program)
    if form.is_valid():
        try:
            run = services.match_run_start(
                program=program,
                by=request.user,
                mode=form.cleaned_data["mode"],
                circle_size=form.cleaned_data.get("circle_size"),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            if run.status == MatchRun.Status.FAILED:
                messages.error(request, "The run failed; nothing was proposed.")
            return back(request, reverse("matching:review", args=[program.pk]))
    context = _review_context(request, program, start_form=form)
    return render(request, "matching/review.html", context, status=422)


@require_GET
@coordinator_required
def run_status(request: AppRequest, program_id: int, run_id: int) -> HttpResponse:
    """The #run-status region; a poll that sees the run finish reloads the page."""
    run = selectors.run_get_for_coordinator(
        user=request.user, program_id=program_id, run_id=run_id
    )
    if request.htmx and request.GET.get("poll") and not run.is_running:
        return HttpResponseClientRefresh()
    context: dict[str, object] = {"program": run.program, "run": run}
    if run.status == MatchRun.Status.DONE:
        context["publish_confirmation"] = _publish_confirmation(run)
        context["discard_confirmation"] = _discard_confirmation(run)
    return render(request, "matching/review.html#run-status", context)


@require_POST
@coordinator_required
def run_publish(request: AppRequest, program_id: int, run_id: int) -> HttpResponse:
    run = selectors.run_get_for_coordinator(
        user=request.user, program_id=program_id, run_id=run_id
    )
    if run.status == MatchRun.Status.DONE and not confirm.is_confirmed(request):
        context = {"program": run.program}
        return confirm.page(request, _publish_confirmation(run), context=context)
    try:
        services.match_run_publish(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "Published. Everyone concerned gets a message and sees it in their portal.",
        )
    return back(request, reverse("matching:review", args=[program_id]))


@require_POST
@coordinator_required
def run_discard(request: AppRequest, program_id: int, run_id: int) -> HttpResponse:
    run = selectors.run_get_for_coordinator(
        user=request.user, program_id=program_id, run_id=run_id
    )
    if run.status == MatchRun.Status.DONE and not confirm.is_confirmed(request):
        context = {"program": run.program}
        return confirm.page(request, _discard_confirmation(run), context=context)
    try:
        services.match_run_discard(run=run, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "The proposals were discarded.")
    return back(request, reverse("matching:review", args=[program_id]))


def _proposals_response(request: AppRequest, program: Program) -> HttpResponse:
    """After an edit: the #proposals region again, and a nudge to #run-status."""
    if not request.htmx:
        return redirect("matching:review", program_id=program.pk)
    response = render(
        request, "matching/review.html#proposals", _review_context(request, program)
    )
    return trigger_client_event(response, "run-changed")


@require_POST
@coordinator_required
def match_remove(request: AppRequest, program_id: int, match_id: int) -> HttpResponse:
    match = selectors.match_get_for_coordinator(
        user=request.user, program_id=program_id, match_id=match_id
    )
    try:
        services.match_remove(match=match, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return _proposals_response(request, match.program)


@require_http_methods(["GET", "POST"])
@coordinator_required
def match_reassign(request: AppRequest, program_id: int, match_id: int) -> HttpResponse:
    """Move a proposed mentee to another mentor with room (the #swap form)."""
    match = selectors.match_get_for_coordinator(
        user=request.user, program_id=program_id, match_id=match_id
    )
    options = selectors.swap_options(
        match=match, criteria=selectors.criteria_get(program=match.program)
    )
    form = ReassignForm(
        request.POST if request.method == "POST" else None, options=options
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.match_reassign(match=match, mentor=form.chosen(), by=request.user)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"{match.mentee.participant.user} reassigned.")
            return back(request, reverse("matching:review", args=[program_id]))
    template = "matching/match_reassign.html"
    if request.htmx:
        template += "#swap"
    context = {"program": match.program, "match": match, "form": form}
    return render(request, template, context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@coordinator_required
def criteria_edit(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    criteria = selectors.criteria_get(program=program)
    data = request.POST if request.method == "POST" else None
    form = CriteriaForm.for_criteria(criteria, data)
    if data is not None and form.is_valid():
        try:
            services.criteria_update(
                program=program, by=request.user, fields=form.cleaned_data
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Matching criteria saved for the next run.")
            return redirect("matching:review", program_id=program.pk)
    context = {
        "program": program,
        "form": form,
        "is_reverse": program.kind == Program.Kind.REVERSE,
    }
    status = 422 if form.errors else 200
    return render(request, "matching/criteria_form.html", context, status=status)
