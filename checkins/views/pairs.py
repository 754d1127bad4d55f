"""The viewer's pairs (/pairs/) and a pair's page (/pairs/<id>/), whose context
the other views re-render with a form's errors."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from checkins import selectors
from checkins.forms import (
    CoordinatorCheckInForm,
    GoalForm,
    MeetingForm,
    PairMessageForm,
    RhythmForm,
    UpdateForm,
)
from checkins.selectors.coordinator import coordinator_panel
from mentorship.http import AppRequest
from programs.selectors import local_today


@require_GET
@login_required
def pair_list(request: AppRequest) -> HttpResponse:
    pairs = selectors.pair_list_for_participant(user=request.user)
    context = {
        "cards": selectors.pair_cards_for_participant(pairs=pairs, viewer=request.user),
        "groups": selectors.group_list_for_participant(user=request.user),
    }
    return render(request, "checkins/pair_list.html", context)


def _pair_context(
    request: AppRequest, pair: selectors.Pair, role: str, **bound: forms.Form
) -> dict:
    page = selectors.pair_page(pair=pair, role=role, viewer=request.user)
    program = pair.match.program
    context = {"page": page, "pair": pair, "program": program}
    if page.is_member:
        context.update(
            meeting_form=bound.get("meeting_form")
            or MeetingForm(
                zone=request.user.time_zone,
                initial={
                    "duration_minutes": program.meeting_length_minutes,
                    # An engagement's first meeting starts from "What we need".
                    "agenda": page.first_agenda,
                },
            ),
            goal_form=bound.get("goal_form") or GoalForm(program_id=program.pk),
            update_form=bound.get("update_form") or UpdateForm(team=pair.is_engagement),
            rhythm_form=RhythmForm(
                initial={"update_cadence_days": page.own_update_days or ""}
            ),
        )
    elif role == "coordinator":
        today = local_today(user=request.user)
        context.update(
            panel=coordinator_panel(pair=pair, viewer=request.user),
            checkin_form=bound.get("checkin_form")
            or CoordinatorCheckInForm(initial={"held_on": today}),
            message_form=bound.get("message_form") or PairMessageForm(),
        )
    return context


@require_GET
@login_required
def pair_detail(request: AppRequest, match_id: int) -> HttpResponse:
    """The pair's page; coordinators of the program get it read-only, without notes."""
    pair, role = selectors.pair_get_for_viewer(user=request.user, match_id=match_id)
    template = "checkins/pair_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#meetings"
    response = render(request, template, _pair_context(request, pair, role))
    response["Vary"] = "HX-Request"
    return response
