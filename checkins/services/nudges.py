"""The periodic "you're due to meet" producer (beat, through the tenant fan-out).

A pair is due when its rhythm has lapsed (``checkins.rhythm``: the program's
meeting cadence since its last held meeting, or, for a pair with an async rhythm,
also its update cadence since its last update) and nothing is proposed or
confirmed ahead. A pair keeping its written rhythm is not asked to meet. Each
person then gets one digest item per period: the dedupe key names when the pair
fell due and the period's number, so hourly runs add nothing new until the next
period, and a new meeting or update starts a new count.

A paused pair is not due (``checkins.services.pauses``); back from a pause, its
rhythm counts from the day it is back. The same run makes the "welcome back"
items (``pair_resume_nudges_create``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from checkins import display
from checkins.models import AsyncUpdate, Meeting
from checkins.rhythm import Rhythm
from checkins.selectors.access import pair_queryset, pairs_of
from checkins.selectors.pauses import (
    day_start,
    is_paused_annotation,
    resumed_on_annotation,
)
from checkins.services.pauses import pair_resume_nudges_create
from matching.models import Match
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)


def checkins_nudges_create(*, now: datetime) -> int:
    """Digest nudges for every active pair that is due to meet; returns how many
    were new, welcome-back items included. Idempotent (outbox dedupe keys); a few
    queries whatever the size."""
    today = now.astimezone(UTC).date()
    matches = (
        pair_queryset()
        .filter(status=Match.Status.ACTIVE)
        .annotate(
            last_held=Max("meetings__starts_at", filter=Q(meetings__status="held")),
            last_update=Subquery(
                AsyncUpdate.objects.filter(match=OuterRef("pk"))
                .order_by("-created_at")
                .values("created_at")[:1]
            ),
            update_days=Coalesce(
                "rhythm__update_cadence_days", "program__update_cadence_days"
            ),
            has_upcoming=Exists(
                Meeting.objects.filter(
                    match=OuterRef("pk"),
                    status__in=Meeting.OPEN,
                    starts_at__gte=now,
                )
            ),
            is_paused=is_paused_annotation(today),
            resumed_on=resumed_on_annotation(today),
        )
    )
    specs = []
    # Every engagement's team in one query, whatever the number of pairs.
    rows = list(matches)
    pairs = {pair.match.pk: pair for pair in pairs_of(list(rows))}
    for match in rows:
        if match.has_upcoming or match.is_paused:
            continue
        rhythm = Rhythm(
            started=match.started_at or match.created_at,
            meeting_days=match.program.meeting_cadence_days,
            last_held=match.last_held,
            last_update=match.last_update,
            update_days=match.update_days,
            resumed=day_start(match.resumed_on),
        )
        due = rhythm.next_due()
        if now < due:
            continue
        period = (now - due) // rhythm.nudge_period()
        pair = pairs[match.pk]
        for attendee in pair.attendees:
            partner = pair.partner_of(attendee.user)
            zone = attendee.user.time_zone
            since = (
                f"your last meeting was {display.short_datetime(match.last_held, zone)}"
                if match.last_held
                else "you haven't met yet"
            )
            if rhythm.is_async:
                subject = f"Time to write to {partner.greeting_name}"
                body = (
                    f"You keep in touch with an update every {rhythm.update_days} "
                    "days, or a meeting every "
                    f"{match.program.meeting_cadence_days} days, and "
                    + (
                        "your last update was "
                        f"{display.short_datetime(match.last_update, zone)}. "
                        if match.last_update
                        else "neither has happened yet. "
                    )
                    + "Post a short update on your pair's page, or pick a time to meet."
                )
            else:
                subject = f"Time to meet {partner.greeting_name}"
                body = (
                    f"{match.program.name} suggests meeting every "
                    f"{match.program.meeting_cadence_days} days, and {since}. "
                    "Pick a time that suits you both."
                )
            specs.append(
                NotificationSpec(
                    recipient=attendee.user,
                    kind="checkins-due",
                    dedupe_key=f"checkins-due:{match.pk}:{due:%Y%m%d%H%M}:"
                    f"{period}:{attendee.user.pk}",
                    subject=subject,
                    body=body,
                    link=reverse("checkins:pair-detail", args=[match.pk]),
                    channel=Notification.Channel.DIGEST,
                    working_days=attendee.working_days,
                )
            )
    return notifications_create_bulk(specs=specs) + pair_resume_nudges_create(now=now)
