"""The periodic "you're due to meet" producer (beat, through the tenant fan-out).

A pair is due when its program's cadence has passed since its last held meeting
(or since it started) and nothing is proposed or confirmed ahead. Each person then
gets one digest item per cadence period: the dedupe key names the anchor (the last
meeting) and the period's number, so hourly runs add nothing new until the next
period, and a new meeting starts a new count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse

from checkins import display
from checkins.models import Meeting
from checkins.selectors.access import pair_of, pair_queryset
from matching.models import Match
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)


def checkins_nudges_create(*, now: datetime) -> int:
    """Digest nudges for every active pair that is due to meet; returns how many
    were new. Idempotent (outbox dedupe keys); a few queries whatever the size."""
    matches = (
        pair_queryset()
        .filter(status=Match.Status.ACTIVE)
        .annotate(
            last_held=Max("meetings__starts_at", filter=Q(meetings__status="held")),
            has_upcoming=Exists(
                Meeting.objects.filter(
                    match=OuterRef("pk"),
                    status__in=Meeting.OPEN,
                    starts_at__gte=now,
                )
            ),
        )
    )
    specs = []
    for match in matches:
        if match.has_upcoming:
            continue
        cadence = timedelta(days=match.program.meeting_cadence_days)
        anchor = match.last_held or match.started_at or match.created_at
        if now < anchor + cadence:
            continue
        period = (now - anchor) // cadence
        pair = pair_of(match)
        for attendee in pair.attendees:
            partner = pair.partner_of(attendee.user)
            since = (
                f"your last meeting was {display.short_datetime(anchor, attendee.user.time_zone)}"
                if match.last_held
                else "you haven't met yet"
            )
            specs.append(
                NotificationSpec(
                    recipient=attendee.user,
                    kind="checkins-due",
                    dedupe_key=f"checkins-due:{match.pk}:{anchor:%Y%m%d%H%M}:"
                    f"{period}:{attendee.user.pk}",
                    subject=f"Time to meet {partner.greeting_name}",
                    body=f"{match.program.name} suggests meeting every "
                    f"{match.program.meeting_cadence_days} days, and {since}. "
                    "Pick a time that suits you both.",
                    link=reverse("checkins:pair-detail", args=[match.pk]),
                    channel=Notification.Channel.DIGEST,
                    working_days=attendee.working_days,
                )
            )
    return notifications_create_bulk(specs=specs)
