"""The portal's "Your matches": proposals to answer, mentors to name, suggestions
to pick. Thin: parse, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matching import selectors, services
from matching.forms import DeclineForm, MentorChoiceForm
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text

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
    """The portal home's "Your matches" card alone (the home renders it itself)."""
    context = {"matches": selectors.portal_matches(user=request.user)}
    return render(request, "matching/_portal_matches.html", context)


@require_POST
@login_required
def match_accept(request: AppRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get_for_participant(user=request.user, match_id=match_id)
    try:
        match = services.match_accept(match=match, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
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
    return back(request, reverse("matching:my-matches"))


@require_POST
@login_required
def match_decline(request: AppRequest, match_id: int) -> HttpResponse:
    match = selectors.match_get_for_participant(user=request.user, match_id=match_id)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.match_decline(match=match, by=request.user, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request, "Declined. Your coordinator will look for another match."
        )
    return back(request, reverse("matching:my-matches"))


@require_POST
@login_required
def suggestion_pick(request: AppRequest, suggestion_id: int) -> HttpResponse:
    suggestion = selectors.suggestion_get_for_mentee(
        user=request.user, suggestion_id=suggestion_id
    )
    try:
        services.match_suggestion_pick(suggestion=suggestion, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            f"You chose {suggestion.mentor.participant.user}. They'll accept or "
            "decline soon.",
        )
    return back(request, reverse("matching:my-matches"))
