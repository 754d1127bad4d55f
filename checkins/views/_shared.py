"""Helpers the check-in views share: back after a POST, error text, page URLs.

``_back`` and ``_error_text`` are the project-wide ``mentorship.http`` helpers under the
names the check-in views import them by."""

from __future__ import annotations

from django.urls import reverse

from mentorship.http import back as _back
from mentorship.http import error_text as _error_text

__all__ = ["_back", "_circle_url", "_error_text", "_meeting_url", "_pair_url"]


def _pair_url(match_id: int) -> str:
    return reverse("checkins:pair-detail", args=[match_id])


def _meeting_url(meeting_id: int) -> str:
    return reverse("checkins:meeting-detail", args=[meeting_id])


def _circle_url(circle_id: int) -> str:
    return reverse("checkins:circle-detail", args=[circle_id])
