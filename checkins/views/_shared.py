"""Helpers the check-in views share: back after a POST, error text, page URLs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from mentorship.http import AppRequest


def _error_text(error: ValidationError) -> str:
    return " ".join(message for message in error.messages)


def _back(request: AppRequest, url: str) -> HttpResponse:
    """After a successful POST: follow with a full page, htmx or not."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _pair_url(match_id: int) -> str:
    return reverse("checkins:pair-detail", args=[match_id])


def _meeting_url(meeting_id: int) -> str:
    return reverse("checkins:meeting-detail", args=[meeting_id])


def _circle_url(circle_id: int) -> str:
    return reverse("checkins:circle-detail", args=[circle_id])
