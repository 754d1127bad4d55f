"""Pauses as the health view, the pair page and the nudges read them.

A pause is *open* while it is neither ended early nor over (``ends_on`` after
today, UTC): current when it has started (``has_started``: in the earliest zone),
planned otherwise. A pair is *paused*
while its open pause has started. When a started pause is over (``ends_on``
reached, or ended early), the pair *resumed* on that date and its rhythm counts
from there. All of it is expressions to annotate a ``Match`` queryset, so the
pages that list pairs keep their query counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    DateField,
    Exists,
    F,
    JSONField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce, JSONObject, TruncDate
from django.urls import reverse

from checkins.models import PairPause
from mentorship import confirm

# Dates are read in UTC, but a pause counts from the day it starts in the earliest
# zone (UTC+14), so that nobody sees "planned" on their own first day of it.
STARTED_LEAD = datetime.timedelta(days=1)


def has_started(starts_on: datetime.date, today: datetime.date) -> bool:
    """Whether a pause starting on ``starts_on`` has begun somewhere on ``today`` (UTC)."""
    return starts_on <= today + STARTED_LEAD


def _resume_date():
    """The date a pause ended: the day it was ended early, else ``ends_on``."""
    return Coalesce(
        TruncDate("ended_early_at", tzinfo=datetime.UTC),
        F("ends_on"),
        output_field=DateField(),
    )


def open_pauses(today: datetime.date):
    """Pauses neither ended early nor over on ``today``."""
    return PairPause.objects.filter(ended_early_at__isnull=True, ends_on__gt=today)


def resumed_pauses(today: datetime.date):
    """Pauses that started and are over on ``today`` (a planned pause called off
    before it began is not a resume)."""
    return (
        PairPause.objects.annotate(resumed_on=_resume_date())
        .filter(resumed_on__lte=today, starts_on__lt=F("resumed_on"))
        .order_by()
    )


def open_pause_annotation(today: datetime.date) -> Subquery:
    """The pair's open pause as JSON (id, starts_on, ends_on, reason, note), or NULL:
    one subquery in the caller's query."""
    return Subquery(
        open_pauses(today)
        .filter(match=OuterRef("pk"))
        .order_by("starts_on")
        .values(
            data=JSONObject(
                id="id",
                starts_on="starts_on",
                ends_on="ends_on",
                reason="reason",
                note="note",
            )
        )[:1],
        output_field=JSONField(),
    )


def resumed_on_annotation(today: datetime.date) -> Subquery:
    """The date the pair last came back from a pause, or NULL."""
    return Subquery(
        resumed_pauses(today)
        .filter(match=OuterRef("pk"))
        .order_by("-resumed_on")
        .values("resumed_on")[:1],
        output_field=DateField(),
    )


def is_paused_annotation(today: datetime.date) -> Exists:
    """Whether the pair's open pause has started."""
    return Exists(open_pauses(today).filter(match=OuterRef("pk"), starts_on__lte=today))


def day_start(day: datetime.date | None) -> datetime.datetime | None:
    """A pause date as the instant it begins (UTC), for the rhythm."""
    if day is None:
        return None
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


@dataclass(frozen=True)
class PauseInfo:
    """A pair's open pause, as the health row and the pair page show it."""

    id: int
    match_id: int
    starts_on: datetime.date
    ends_on: datetime.date
    reason: str
    note: str
    is_current: bool

    @property
    def reason_text(self) -> str:
        return PairPause(reason=self.reason, note=self.note).reason_text

    @property
    def line(self) -> str:
        """ "Paused until 12 Jan 2027 — Travel" (or "Pause planned from …")."""
        if self.is_current:
            return f"Paused until {self.ends_on:%-d %b %Y} — {self.reason_text}"
        return (
            f"Pause planned {self.starts_on:%-d %b} to {self.ends_on:%-d %b %Y}"
            f" — {self.reason_text}"
        )

    @property
    def end_confirmation(self) -> confirm.Confirmation:
        """The "end the pause now" button, asked first (mentorship/confirm.py)."""
        pair_url = reverse("checkins:pair-detail", args=[self.match_id])
        verb = "End the pause now" if self.is_current else "Call off the planned pause"
        return confirm.Confirmation(
            question=f"{verb}?",
            effects=(
                (
                    "You're both back on your meeting rhythm from today, counted afresh.",
                    "Both of you get a welcome-back note in your next digest.",
                )
                if self.is_current
                else ("The pair keeps its meeting rhythm.", "Nothing is sent.")
            ),
            action_url=reverse("checkins:pair-pause-end", args=[self.match_id]),
            label="End the pause now" if self.is_current else "Call off the pause",
            cancel_url=pair_url,
            is_primary=False,
            title=verb,
        )


def pause_info(
    data: dict[str, Any] | None, *, match_id: int, today: datetime.date
) -> PauseInfo | None:
    """The ``open_pause_annotation`` value as a ``PauseInfo``."""
    if not data:
        return None
    pause = PairPause(
        id=data["id"],
        match_id=match_id,
        starts_on=datetime.date.fromisoformat(data["starts_on"]),
        ends_on=datetime.date.fromisoformat(data["ends_on"]),
        reason=data["reason"],
        note=data["note"] or "",
    )
    return pause_info_of(pause, today=today)


def pause_info_of(pause: PairPause, *, today: datetime.date) -> PauseInfo:
    """A loaded pause as a ``PauseInfo``."""
    return PauseInfo(
        id=pause.pk,
        match_id=pause.match_id,
        starts_on=pause.starts_on,
        ends_on=pause.ends_on,
        reason=pause.reason,
        note=pause.note,
        is_current=has_started(pause.starts_on, today),
    )


def pair_pause_open(*, match_id: int, today: datetime.date) -> PairPause | None:
    """The pair's open pause (current or planned), if any."""
    return open_pauses(today).filter(match_id=match_id).order_by("starts_on").first()
