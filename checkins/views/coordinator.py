"""The coordinator's side: a program's relationship health
(/manage/programs/<id>/health/) and acting on a pair (/manage/pairs/<id>/…)."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from checkins import selectors
from checkins.forms import CoordinatorCheckInForm, PairMessageForm
from checkins.services import coordinator as coordinator_services
from checkins.views._shared import _pair_url
from checkins.views.pairs import _pair_context
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs.selectors import program_get_for_coordinator

# --- Coordinator: relationship health -----------------------------------------------------------


@require_GET
@coordinator_required
def program_health(request: AppRequest, program_id: int) -> HttpResponse:
    """Every active pair of a program with its health; #health-table for htmx."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    filters = selectors.HealthFilters.from_query(request.GET)
    table = selectors.program_health(
        program=program, filters=filters, now=timezone.now()
    )
    template = "checkins/program_health.html"
    if request.htmx and not request.htmx.boosted:
        template += "#health-table"
    response = render(request, template, {"program": program, "table": table})
    response["Vary"] = "HX-Request"
    return response


# --- Coordinator: acting on a pair ---------------------------------------------------------


def _pair_for_coordinator(request: AppRequest, match_id: int) -> selectors.Pair:
    """The pair if the viewer manages its program (its people get 404 here too)."""
    pair, role = selectors.pair_get_for_viewer(user=request.user, match_id=match_id)
    if role != "coordinator":
        raise Http404("No such pair.")
    return pair


def _coordinator_post(
    request: AppRequest,
    pair: selectors.Pair,
    form: forms.Form,
    form_name: str,
    call: Callable[[dict], str],
) -> HttpResponse:
    """Validate ``form``, call one service (which returns the success message),
    then back to the pair page; errors re-render the page with the form (422)."""
    if form.is_valid():
        try:
            ok = call(form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, ok)
            return back(request, _pair_url(pair.match.pk) + "#act")
    context = _pair_context(request, pair, "coordinator", **{form_name: form})
    return render(request, "checkins/pair_detail.html", context, status=422)


@require_POST
@coordinator_required
def coordinator_checkin(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)

    def record(data: dict) -> str:
        coordinator_services.coordinator_checkin_record(
            pair=pair, by=request.user, **data
        )
        return "Check-in recorded. Only coordinators see it."

    return _coordinator_post(
        request, pair, CoordinatorCheckInForm(request.POST), "checkin_form", record
    )


@require_POST
@coordinator_required
def pair_message(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)

    def send(data: dict) -> str:
        sent = coordinator_services.pair_message_send(
            pair=pair, by=request.user, **data
        )
        if not sent:
            return "That message was already sent today."
        return f"Message sent to {'both of them' if sent > 1 else 'one person'}."

    return _coordinator_post(
        request, pair, PairMessageForm(request.POST), "message_form", send
    )


@require_POST
@coordinator_required
def pair_nudge(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)
    try:
        sent = coordinator_services.pair_nudge_send(pair=pair, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "Nudged both to plan their next meeting."
            if sent
            else "They were already nudged today.",
        )
    return back(request, _pair_url(pair.match.pk) + "#act")
