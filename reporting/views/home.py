"""The two homes: the participant's portal home (/) and the coordinator's home
(/manage/).

They live in reporting, the top layer, because their cards come from every app:
the portal home shows programs' applications, training and resources next to
check-ins' "Waiting for you", matching's "Your matches" and reporting's "Surveys
for you", all in its first response (no card loads late, so nothing shifts); the
coordinator's home shows enrolment, proposals, pair health, training and surveys.
Each card's own partial view stays for anything that refreshes it alone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from checkins.selectors.waiting import waiting_for_participant
from matching.selectors import portal_matches
from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest
from programs import selectors as program_selectors
from programs.models import Enrollment, ProgramRole
from programs.selectors import local_today
from reporting.selectors.home import program_cards_for_coordinator
from reporting.selectors.surveys import pending_surveys_for_user


@require_GET
@login_required
def portal_home(request: AppRequest) -> HttpResponse:
    """The participant's home: what waits for them, their matches and surveys,
    their applications, training, the open programs and resources."""
    participant = program_selectors.participant_for_user(user=request.user)
    enrollments = program_selectors.enrollment_list_for_participant(
        participant=participant
    )
    applied = {
        (e.program_id, e.role)
        for e in enrollments
        if e.status != Enrollment.Status.WITHDRAWN
    }
    today = local_today(user=request.user)
    open_programs = [
        (
            program,
            [role for role in ProgramRole.values if (program.id, role) not in applied],
        )
        for program in program_selectors.programs_open_for_enrollment(today=today)
    ]
    context = {
        "participant": participant,
        "local_now": program_selectors.local_now(user=request.user),
        "place": (participant and participant.city)
        or request.user.time_zone.rsplit("/", 1)[-1].replace("_", " "),
        "enrollments": enrollments,
        "open_programs": open_programs,
        "training": program_selectors.training_for_participant(participant=participant),
        "resources": program_selectors.resources_for_participant(
            participant=participant
        ),
        # The cards of the other apps, as their partial views render them.
        "waiting": waiting_for_participant(user=request.user),
        "matches": portal_matches(user=request.user),
        "pending": pending_surveys_for_user(user=request.user, today=today),
    }
    return render(request, "reporting/portal_home.html", context)


@require_GET
@coordinator_required
def manage_home(request: AppRequest) -> HttpResponse:
    """The coordinator's home: a card per program they run, with what to do next."""
    cards = program_cards_for_coordinator(
        user=request.user, now=timezone.now(), today=local_today(user=request.user)
    )
    return render(request, "reporting/manage_home.html", {"cards": cards})
