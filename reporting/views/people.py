"""A coordinator's page per participant (/manage/people/<id>/): see
reporting.selectors.people for what it shows and never shows."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest
from reporting.selectors.people import person_page_for_coordinator


@require_GET
@coordinator_required
def participant_detail(request: AppRequest, participant_id: int) -> HttpResponse:
    page = person_page_for_coordinator(
        viewer=request.user, participant_id=participant_id
    )
    return render(request, "reporting/participant_detail.html", {"page": page})
