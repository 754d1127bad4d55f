"""Acting on a pair's health, as its coordinator: record a check-in, message the
pair (or one side), nudge them to meet; and the alert that brings a low pulse or
a note for the coordinator into the coordinators' next digest.

Everything goes through the outbox. A check-in record is for coordinators and HR
admins only: it is never sent to the pair nor shown on their pages. Alerts name
the people, the program and the score, never what anyone wrote (the pair page
shows the note to whoever may read it).
"""

from __future__ import annotations

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import CoordinatorCheckIn, Pulse
from checkins.selectors.access import Attendee, Pair
from checkins.selectors.coordinator import MESSAGE_KIND, NUDGE_KIND
from checkins.selectors.health import LOW_PULSE
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)
from programs.services import require_manager

PULSE_ALERT_KIND = "pulse-alert"
RECIPIENTS = ("both", "mentor", "mentee")
DEFAULT_WORKING_DAYS = frozenset(range(5))  # Monday to Friday


def _pair_link(pair: Pair) -> str:
    return reverse("checkins:pair-detail", args=[pair.match.pk])


@transaction.atomic
def coordinator_checkin_record(
    *,
    pair: Pair,
    by: User,
    held_on: datetime.date,
    outcome: str,
    how_it_went: str = "",
    follow_up: str = "",
    follow_up_on: datetime.date | None = None,
) -> CoordinatorCheckIn:
    """Record a coordinator's check-in with a pair (coordinators only). Raises
    PermissionDenied for anyone else, ValidationError for a bad outcome or dates."""
    require_manager(program=pair.match.program, by=by)
    if outcome not in CoordinatorCheckIn.Outcome.values:
        raise ValidationError({"outcome": "Say how it went."})
    today = localtime.local_date_of(by.time_zone, timezone.now())
    if held_on > today:
        raise ValidationError({"held_on": "A check-in can't be in the future."})
    if follow_up_on is not None and follow_up_on < held_on:
        raise ValidationError(
            {"follow_up_on": "The follow-up date can't be before the check-in."}
        )
    return CoordinatorCheckIn.objects.create(
        match=pair.match,
        author=by,
        held_on=held_on,
        outcome=outcome,
        how_it_went=how_it_went.strip(),
        follow_up=follow_up.strip(),
        follow_up_on=follow_up_on,
    )


def _recipients(pair: Pair, to: str) -> list[Attendee]:
    if to not in RECIPIENTS:
        raise ValidationError({"to": "Choose who gets the message."})
    return {
        "both": [pair.mentor, pair.mentee],
        "mentor": [pair.mentor],
        "mentee": [pair.mentee],
    }[to]


@transaction.atomic
def pair_message_send(*, pair: Pair, by: User, to: str, subject: str, body: str) -> int:
    """Email the pair, or one side (``to``: "both", "mentor", "mentee"), from their
    coordinator, through the outbox; returns how many messages were new. The same
    message to the same person on the same day is sent once (a double click)."""
    require_manager(program=pair.match.program, by=by)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError("Write a subject and a message.")
    digest = hashlib.sha256(f"{subject}\n{body}".encode()).hexdigest()[:16]
    day = timezone.now().date().isoformat()
    sender = by.full_name or by.email
    program = pair.match.program.name
    specs = [
        NotificationSpec(
            recipient=attendee.user,
            kind=MESSAGE_KIND,
            dedupe_key=f"{MESSAGE_KIND}:{pair.match.pk}:{attendee.user.pk}:{day}:{digest}",
            subject=subject,
            body=f"{body}\n\n— {sender}, coordinator of {program}",
            link=_pair_link(pair),
        )
        for attendee in _recipients(pair, to)
    ]
    return notifications_create_bulk(specs=specs)


@transaction.atomic
def pair_nudge_send(*, pair: Pair, by: User) -> int:
    """Ask both people to plan their next meeting (an email through the outbox);
    at most one nudge per person per pair per day. Returns how many were new."""
    require_manager(program=pair.match.program, by=by)
    if not pair.is_active:
        raise ValidationError("Only an active pair can be nudged.")
    day = timezone.now().date().isoformat()
    sender = by.full_name or by.email
    program = pair.match.program
    specs = []
    for attendee in pair.attendees:
        partner = pair.partner_of(attendee.user)
        specs.append(
            NotificationSpec(
                recipient=attendee.user,
                kind=NUDGE_KIND,
                dedupe_key=f"{NUDGE_KIND}:{pair.match.pk}:{attendee.user.pk}:{day}",
                subject=f"Time to plan your next meeting with {partner.greeting_name}",
                body=f"{sender}, who coordinates {program.name}, asks you to plan "
                f"your next meeting with {partner.greeting_name}. The program suggests "
                f"meeting every {program.meeting_cadence_days} days; pick a time "
                "that suits you both on your pair's page.",
                link=_pair_link(pair),
            )
        )
    return notifications_create_bulk(specs=specs)


def pulse_needs_coordinator(pulse: Pulse) -> bool:
    """A low score (2/5 or lower) or a note for the coordinator."""
    return pulse.usefulness <= LOW_PULSE or bool(pulse.for_coordinator.strip())


def coordinator_pulse_alert(*, pulse: Pulse, pair: Pair) -> int:
    """Put a low pulse or a note for the coordinator in each active coordinator's
    next digest (HR admins when the program has none); returns how many items were
    new (once per pulse per person). Names and the score only, never the note."""
    if not pulse_needs_coordinator(pulse):
        return 0
    program = pair.match.program
    staff = list(
        program.coordinators.filter(is_active=True).select_related("participant")
    )
    if not staff:
        staff = list(
            User.objects.filter(is_active=True, role=User.Role.HR_ADMIN).select_related(
                "participant"
            )
        )
    author = pair.attendee_of(pulse.author)
    partner = pair.partner_of(pulse.author)
    low = pulse.usefulness <= LOW_PULSE
    noted = bool(pulse.for_coordinator.strip())
    what = " and ".join(
        part
        for part, shown in (
            (f"rated their last meeting {pulse.usefulness}/5", low),
            ("left a note for you", noted),
        )
        if shown
    )
    specs = []
    for user in staff:
        participant = getattr(user, "participant", None)
        working_days = (
            frozenset(participant.working_days or ()) if participant else frozenset()
        ) or DEFAULT_WORKING_DAYS
        specs.append(
            NotificationSpec(
                recipient=user,
                kind=PULSE_ALERT_KIND,
                dedupe_key=f"{PULSE_ALERT_KIND}:{pulse.pk}:{user.pk}",
                subject=(
                    f"Low pulse: {author.greeting_name} rated a meeting {pulse.usefulness}/5"
                    if low
                    else f"{author.greeting_name} left a note for you"
                ),
                body=f"{author.user} {what} with {partner.user} in {program.name}. "
                "Open the pair's page to read it and act: record a check-in, "
                "message them or nudge them to meet.",
                link=_pair_link(pair),
                channel=Notification.Channel.DIGEST,
                working_days=working_days,
            )
        )
    return notifications_create_bulk(specs=specs)
