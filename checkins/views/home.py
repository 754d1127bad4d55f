"""The portal home's "Waiting for you" card alone (the home, reporting's, renders it
in its own response). Routed in ``mentorship/urls.py`` as ``portal-waiting``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from checkins.selectors.waiting import waiting_for_participant
from mentorship.http import AppRequest


@require_GET
@login_required
def portal_waiting(request: AppRequest) -> HttpResponse:
    """Meeting requests to answer, meetings to log or rate, the next meetings."""
    context = {"waiting": waiting_for_participant(user=request.user)}
    return render(request, "checkins/_portal_waiting.html", context)
