"""Page URLs the check-in views share (back-after-POST and error text are the
project-wide ``mentorship.http.back`` / ``error_text``)."""

from __future__ import annotations

from django.urls import reverse


def _pair_url(match_id: int) -> str:
    return reverse("checkins:pair-detail", args=[match_id])


def _meeting_url(meeting_id: int) -> str:
    return reverse("checkins:meeting-detail", args=[meeting_id])


def _circle_url(circle_id: int) -> str:
    return reverse("checkins:circle-detail", args=[circle_id])
