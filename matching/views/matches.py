"""The coordinator's match list (/manage/programs/<id>/matches/): filter, remind,
end, and pair by hand. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching import selectors, services
from matching.forms import EndForm, ManualMatchForm
from matching.models import Match
from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs.selectors import program_get_for_coordinator

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
    list_url = reverse("matching:match-list", args=[program_id]) + "?stale=1"
    if not services.match_unanswered_by(match):
        messages.error(request, "This match is no longer waiting for an answer.")
        return back(request, list_url)
    if not confirm.is_confirmed(request):
        context = {"program": match.program}
        return confirm.page(request, _remind_confirmation(match), context=context)
    try:
        people = services.match_remind(match=match, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        names = " and ".join(str(person) for person in people)
        messages.success(request, f"Reminded {names}.")
    return back(request, list_url)


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
            return back(request, reverse("matching:match-list", args=[program_id]))
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
