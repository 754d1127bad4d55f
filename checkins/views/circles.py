"""A circle's page (/circles/<id>/), where its facilitators schedule meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from checkins import selectors, services
from checkins.forms import MeetingForm
from checkins.views._shared import _circle_url
from mentorship.http import AppRequest, back


@require_http_methods(["GET", "POST"])
@login_required
def circle_detail(request: AppRequest, circle_id: int) -> HttpResponse:
    """A circle's meetings; its facilitators schedule them here (POST)."""
    group = selectors.group_get_for_member(user=request.user, circle_id=circle_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        zone=request.user.time_zone,
        with_slots=False,
        initial={"duration_minutes": group.circle.program.meeting_length_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_meeting_schedule(
                group=group,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                details=form.details(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Scheduled. Everyone gets an invitation.")
            return back(request, _circle_url(circle_id))
    page = selectors.circle_page(group=group, viewer=request.user)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "checkins/circle_detail.html",
        {"page": page, "form": form},
        status=status,
    )
