"""What a coordinator sees under a pair to act on it: their check-in records and
the messages and nudges coordinators sent the pair (from the outbox). Never
shown to the pair (the view builds this for the coordinator role only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from checkins import display
from checkins.models import CoordinatorCheckIn
from checkins.selectors.access import Pair
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification

# The kinds checkins.services.coordinator sends; their keys start "<kind>:<match id>:".
MESSAGE_KIND = "coordinator-message"
NUDGE_KIND = "coordinator-nudge"
LISTED = 10


@dataclass(frozen=True)
class SentItem:
    kind: str  # "message" or "nudge"
    to: str
    subject: str
    when: str
    status: str


@dataclass(frozen=True)
class CoordinatorPanel:
    checkins: list[CoordinatorCheckIn]
    sent: list[SentItem]


def coordinator_panel(*, pair: Pair, viewer: User) -> CoordinatorPanel:
    """The pair's coordinator check-ins and what coordinators sent them, newest
    first, at most ``LISTED`` of each: 2 queries."""
    checkins = list(
        CoordinatorCheckIn.objects.filter(match=pair.match).select_related("author")[
            :LISTED
        ]
    )
    match_id = pair.match.pk
    sent = (
        Notification.objects.filter(
            Q(kind=MESSAGE_KIND, dedupe_key__startswith=f"{MESSAGE_KIND}:{match_id}:")
            | Q(kind=NUDGE_KIND, dedupe_key__startswith=f"{NUDGE_KIND}:{match_id}:")
        )
        .select_related("recipient")
        .order_by("-created_at", "-id")[:LISTED]
    )
    return CoordinatorPanel(
        checkins=checkins,
        sent=[
            SentItem(
                kind="nudge" if item.kind == NUDGE_KIND else "message",
                to=item.recipient.greeting_name,
                subject=item.subject,
                when=display.short_datetime(item.created_at, viewer.time_zone),
                status=item.get_status_display(),
            )
            for item in sent
        ],
    )
