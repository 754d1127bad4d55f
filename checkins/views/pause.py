"""A pair's pause: set one (/pairs/<id>/pause/) and end it early
(/pairs/<id>/pause/end/), by either person of the pair or a coordinator of its
program; anyone else gets 404. Thin: fetch with access check, validate, call one
service, redirect to the pair page."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from checkins import selectors, services
from checkins.forms import PauseForm
from checkins.models import PairPause
from checkins.selectors.pauses import pair_pause_open, pause_info_of
from mentorship import confirm
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs.selectors import local_today


def _pair_url(match_id: int) -> str:
    return reverse("checkins:pair-detail", args=[match_id])


def _pair_for_pause(request: AppRequest, match_id: int) -> selectors.Pair:
    """The active pair, if the viewer is in it or manages its program; else 404."""
    pair, _role = selectors.pair_get_for_viewer(user=request.user, match_id=match_id)
    if not pair.is_active:
        raise Http404("This pair isn't active.")
    return pair


@require_http_methods(["GET", "POST"])
@login_required
def pair_pause(request: AppRequest, match_id: int) -> HttpResponse:
    """The form to pause the pair; on success back to its page."""
    pair = _pair_for_pause(request, match_id)
    today = local_today(user=request.user)
    current = pair_pause_open(match_id=pair.match.pk, today=today)
    if request.method == "POST":
        form = PauseForm(request.POST)
        if form.is_valid():
            try:
                pause = services.pair_pause_start(
                    pair=pair, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form_add_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Paused from {pause.starts_on:%-d %b} until {pause.ends_on:%-d %b %Y}. "
                    "No reminders to meet until then.",
                )
                return redirect(_pair_url(pair.match.pk))
    else:
        form = PauseForm(
            initial={
                "starts_on": today,
                "ends_on": today + datetime.timedelta(days=28),
            }
        )
    context = {
        "pair": pair,
        "program": pair.match.program,
        "form": form,
        "is_member": pair.is_member(request.user),
        "partner": pair.partner_of(request.user)
        if pair.is_member(request.user)
        else None,
        "current": current,
        "max_days": PairPause.MAX_DAYS,
    }
    status = 422 if form.is_bound else 200
    return render(request, "checkins/pair_pause.html", context, status=status)


@require_POST
@login_required
def pair_pause_end(request: AppRequest, match_id: int) -> HttpResponse:
    """End the pair's pause now (asked first: mentorship/confirm.py)."""
    pair = _pair_for_pause(request, match_id)
    today = local_today(user=request.user)
    pause = pair_pause_open(match_id=pair.match.pk, today=today)
    if pause is None:
        messages.info(request, "This pair isn't paused.")
        return redirect(_pair_url(pair.match.pk))
    # Shown as on the pair's page, whose dates are read in UTC.
    info = pause_info_of(pause, today=timezone.now().date())
    if not confirm.is_confirmed(request):
        return confirm.page(request, info.end_confirmation)
    try:
        services.pair_pause_end(pair=pair, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            "Pause ended: welcome back. Your meeting rhythm counts from today."
            if info.is_current
            else "The planned pause is called off.",
        )
    return back(request, _pair_url(pair.match.pk))
