"""Matching pages: the coordinator's review (/manage/programs/<id>/matching/), the
match list, and the portal's "Your matches". Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    trigger_client_event,
)

from matching import display, engine, selectors, services
from matching.forms import (
    CriteriaForm,
    DeclineForm,
    EndForm,
    ManualMatchForm,
    MentorChoiceForm,
    ReassignForm,
    RunStartForm,
)
from matching.models import Match, MatchRun
from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs.models import Program
from programs.selectors import program_get_for_coordinator


def _messages_of(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", [str(error)]))


def _back(request: AppRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


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
            return _back(request, reverse("matching:review", args=[program.pk]))
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
    context = {"program": run.program, "run": run}
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
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            "Published. Everyone concerned gets a message and sees it in their portal.",
        )
    return _back(request, reverse("matching:review", args=[program_id]))


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
        messages.error(request, _messages_of(error))
    else:
        messages.success(request, "The proposals were discarded.")
    return _back(request, reverse("matching:review", args=[program_id]))


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
        messages.error(request, _messages_of(error))
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
            return _back(request, reverse("matching:review", args=[program_id]))
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


# --- Match list -------------------------------------------------------------------------


@require_GET
@coordinator_required
def match_list(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    filters = selectors.MatchFilters.from_query(request.GET)
    table = selectors.match_table(program=program, filters=filters)
    for match in table.page.object_list:
        if match.is_stale:
            match.remind_confirmation = _remind_confirmation(match)
    context = {
        "program": program,
        "table": table,
        "rematch": selectors.rematch_candidates(program=program),
        "stale_days": selectors.PROPOSAL_STALE_AFTER.days,
    }
    template = "matching/match_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#match-table"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


def _remind_confirmation(match: Match) -> confirm.Confirmation:
    """A reminder messages whoever hasn't answered: ask first, naming them."""
    people = services.match_unanswered_by(match)
    names = " and ".join(str(person) for person in people)
    count = f"{len(people)} {'person' if len(people) == 1 else 'people'}"
    return confirm.Confirmation(
        question=f"Remind {names}?",
        effects=(
            f"Emails {count}: a reminder to accept or decline the match in their "
            "portal (at most one a day).",
        ),
        action_url=reverse("matching:match-remind", args=[match.program_id, match.pk]),
        label="Remind",
        confirm_label=f"Email {count}",
        cancel_url=reverse("matching:match-list", args=[match.program_id]),
        is_primary=False,
    )


@require_POST
@coordinator_required
def match_remind(request: AppRequest, program_id: int, match_id: int) -> HttpResponse:
    """Remind the people who haven't answered a waiting proposal (asks first)."""
    match = selectors.match_get_for_coordinator(
        user=request.user, program_id=program_id, match_id=match_id
    )
    back = reverse("matching:match-list", args=[program_id]) + "?stale=1"
    if not services.match_unanswered_by(match):
        messages.error(request, "This match is no longer waiting for an answer.")
        return _back(request, back)
    if not confirm.is_confirmed(request):
        context = {"program": match.program}
        return confirm.page(request, _remind_confirmation(match), context=context)
    try:
        people = services.match_remind(match=match, by=request.user)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        names = " and ".join(str(person) for person in people)
        messages.success(request, f"Reminded {names}.")
    return _back(request, back)


@require_http_methods(["GET", "POST"])
@coordinator_required
def match_end(request: AppRequest, program_id: int, match_id: int) -> HttpResponse:
    """End a match (the form posts to reporting, which also sends the end-of-match
    surveys). ``?reassign=1``: a stale proposal, ended to pick another mentor."""
    match = selectors.match_get_for_coordinator(
        user=request.user, program_id=program_id, match_id=match_id
    )
    is_reassign = request.GET.get("reassign") == "1"
    initial = {}
    if is_reassign and match.proposed_at:
        days = (timezone.now() - match.proposed_at).days
        initial["reason"] = f"No answer for {days} days: proposing another mentor."
    form = EndForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_end(
                match=match, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "The match has ended. Both were told.")
            return _back(request, reverse("matching:match-list", args=[program_id]))
    context = {
        "program": match.program,
        "match": match,
        "form": form,
        "is_reassign": is_reassign,
    }
    status = 422 if form.errors else 200
    return render(request, "matching/match_end.html", context, status=status)


@require_http_methods(["GET", "POST"])
@coordinator_required
def match_create(request: AppRequest, program_id: int) -> HttpResponse:
    """Rematch by hand: choose a mentor for a mentee without a match."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    mentees = selectors.rematch_candidates(program=program)
    mentors = selectors.mentor_choices(program=program)
    data = request.POST if request.method == "POST" else None
    form = ManualMatchForm(
        data,
        mentees=mentees,
        mentors=mentors,
        initial={"mentee": request.GET.get("mentee")},
    )
    if data is not None and form.is_valid():
        try:
            services.match_create_manual(
                program=program,
                mentee=form.by_id[form.cleaned_data["mentee"]],
                mentor=form.by_id[form.cleaned_data["mentor"]],
                by=request.user,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Proposed. Both people were told.")
            return redirect("matching:match-list", program_id=program.pk)
    context = {"program": program, "form": form}
    status = 422 if form.errors else 200
    return render(request, "matching/match_create.html", context, status=status)


# --- Portal -----------------------------------------------------------------------------


@require_GET
@login_required
def my_matches(request: AppRequest) -> HttpResponse:
    context = {
        "matches": selectors.portal_matches(user=request.user),
        "decline_form": DeclineForm(),
    }
    return render(request, "matching/my_matches.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def mentor_choose(request: AppRequest, program_id: int) -> HttpResponse:
    """A mentee browses the program's approved mentors and names the ones they'd
    like (where the program allows it)."""
    mentee = selectors.mentee_enrollment_for_choice(
        user=request.user, program_id=program_id
    )
    page = selectors.mentor_choice_page(
        mentee=mentee,
        refusal=services.mentor_choice_refusal(mentee=mentee),
        now=timezone.now(),
    )
    form = MentorChoiceForm(
        request.POST if request.method == "POST" else None, page=page
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_preferences_set(
                mentee=mentee, by=request.user, mentor_ids=form.cleaned_data["mentors"]
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            count = len(form.cleaned_data["mentors"])
            messages.success(
                request,
                f"Saved: {count} mentor{'s' if count != 1 else ''} you'd like. "
                "Matching takes them into account; it can't promise them."
                if count
                else "Saved: no preference.",
            )
            return redirect("matching:mentor-choose", program_id=program_id)
    status = 422 if form.errors else 200
    return render(
        request,
        "matching/mentor_choose.html",
        {"page": page, "form": form},
        status=status,
    )


@require_GET
@login_required
def my_matches_summary(request: AppRequest) -> HttpResponse:
    """The portal home's "Your matches" card, loaded by htmx."""
    context = {"matches": selectors.portal_matches(user=request.user)}
    return render(request, "matching/_portal_matches.html", context)


@require_POST
@login_required
def match_accept(request: AppRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get_for_participant(user=request.user, match_id=match_id)
    try:
        match = services.match_accept(match=match, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
    else:
        partner = (
            match.mentor
            if match.mentee.participant.user_id == request.user.pk
            else match.mentee
        )
        messages.success(
            request,
            f"You and {partner.participant.user} are matched — time to plan a first "
            "meeting."
            if match.status == "active"
            else f"Accepted. We'll let you know when {partner.participant.user} "
            "answers.",
        )
    return _back(request, reverse("matching:my-matches"))


@require_POST
@login_required
def match_decline(request: AppRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get_for_participant(user=request.user, match_id=match_id)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.match_decline(match=match, by=request.user, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request, "Declined. Your coordinator will look for another match."
        )
    return _back(request, reverse("matching:my-matches"))


@require_POST
@login_required
def suggestion_pick(request: AppRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_mentee(
        user=request.user, suggestion_id=suggestion_id
    )
    try:
        services.match_suggestion_pick(suggestion=suggestion, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            f"You chose {suggestion.mentor.participant.user}. They'll accept or "
            "decline soon.",
        )
    return _back(request, reverse("matching:my-matches"))
