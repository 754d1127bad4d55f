"""The coordinator's home (/manage/): every program they run and what to do next.

It lives in reporting, the top layer, because its figures come from every app
(enrolment, proposals, pair health, training, surveys)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest
from programs.selectors import local_today
from reporting.selectors.home import program_cards_for_coordinator


@require_GET
@coordinator_required
def manage_home(request: AppRequest) -> HttpResponse:
    cards = program_cards_for_coordinator(
        user=request.user, now=timezone.now(), today=local_today(user=request.user)
    )
    return render(request, "reporting/manage_home.html", {"cards": cards})
