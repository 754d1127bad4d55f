"""Pauses: a pair stops for a set period (travel, elections, the fiscal year end…)
and comes back with a welcome.

- ``pair_pause_start``: either person of the pair, or a coordinator of its program,
  sets a pause from a date (today or later) to the day the pair is back, at most
  ``PairPause.MAX_DAYS`` long, with a reason. One open pause per pair: a second is
  refused while one is current or planned (the match row is locked, so two people
  pausing at once make one pause). Audited.
- ``pair_pause_end``: the same people end it early (or call off a planned one).
  Audited.
- ``pair_resume_nudges_create``: the hourly producer (run by the "due to meet"
  producer) of the "welcome back" digest item each person gets on the day the pair
  is back, at their local digest hour on a working day, once (outbox dedupe key).

While paused the pair is not at risk and not nudged to meet
(``checkins.selectors.health``, ``checkins.services.nudges``); its rhythm restarts
on the day it is back (``checkins.rhythm``).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import PairPause
from checkins.selectors.access import Attendee, Pair, pair_of, pair_queryset
from checkins.selectors.pauses import pair_pause_open, resumed_pauses
from matching.models import Match
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.audit.services import record
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    NotificationSpec,
    digest_due_at,
    notifications_create_bulk,
)
from programs.selectors import local_today, program_is_managed_by

RESUME_KIND = "checkins-resume"
# A welcome-back item is made when it is due within this (so it is fresh and
# follows a change of zone), and no later than this long after the pair is back.
RESUME_LOOKAHEAD = datetime.timedelta(hours=2)
RESUME_WINDOW = datetime.timedelta(days=7)


def _require_allowed(pair: Pair, by: User) -> None:
    if not (
        pair.is_member(by) or program_is_managed_by(program=pair.match.program, user=by)
    ):
        raise PermissionDenied("Only the pair or its coordinators can pause it.")
    if not pair.is_active:
        raise ValidationError("Only an active pair can pause.")


def _check_dates(
    starts_on: datetime.date, ends_on: datetime.date, today: datetime.date
) -> None:
    errors = {}
    if starts_on < today:
        errors["starts_on"] = "A pause can't start in the past: pick today or later."
    if ends_on <= starts_on:
        errors["ends_on"] = "The day you're back must be after the pause starts."
    elif (ends_on - starts_on).days > PairPause.MAX_DAYS:
        latest = starts_on + datetime.timedelta(days=PairPause.MAX_DAYS)
        errors["ends_on"] = (
            f"A pause lasts at most {PairPause.MAX_DAYS} days: be back by "
            f"{latest:%-d %b %Y} at the latest. A longer break may mean ending the "
            "match; the coordinator can help."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pair_pause_start(
    *,
    pair: Pair,
    by: User,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str,
    note: str = "",
) -> PairPause:
    """Pause the pair from ``starts_on`` until it is back on ``ends_on``. Raises
    ``ValidationError`` for dates in the past, too long a pause, an open pause, or
    "other" without a note. Audited (``pair.paused``)."""
    _require_allowed(pair, by)
    today = local_today(user=by)
    _check_dates(starts_on, ends_on, today)
    note = note.strip()
    if reason not in PairPause.Reason.values:
        raise ValidationError({"reason": "Pick a reason."})
    if reason == PairPause.Reason.OTHER and not note:
        raise ValidationError({"note": "Say briefly why (the reason is “other”)."})
    # Lock the match: "one open pause" depends on today, so no constraint can say it.
    Match.objects.select_for_update().filter(pk=pair.match.pk).first()
    current = pair_pause_open(match_id=pair.match.pk, today=today)
    if current is not None:
        raise ValidationError(
            f"This pair already has a pause from {current.starts_on:%-d %b} to "
            f"{current.ends_on:%-d %b %Y}. End it first to set another."
        )
    pause = PairPause.objects.create(
        match=pair.match,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note,
        created_by=by,
    )
    record(
        action="pair.paused",
        target=pause,
        actor=by,
        details={
            "match": pair.match.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "reason": reason,
        },
    )
    return pause


@transaction.atomic
def pair_pause_end(*, pair: Pair, by: User) -> PairPause:
    """End the pair's open pause now (or call off a planned one). A claim: two
    clicks end it once. Audited (``pair.pause_ended``)."""
    _require_allowed(pair, by)
    pause = pair_pause_open(match_id=pair.match.pk, today=local_today(user=by))
    if pause is None:
        raise ValidationError("This pair isn't paused.")
    now = timezone.now()
    claimed = PairPause.objects.filter(pk=pause.pk, ended_early_at__isnull=True).update(
        ended_early_at=now, ended_early_by=by
    )
    if claimed != 1:
        raise ValidationError("This pause has already ended.")
    pause.ended_early_at, pause.ended_early_by = now, by
    record(
        action="pair.pause_ended",
        target=pause,
        actor=by,
        details={"match": pair.match.pk, "started": pause.starts_on <= now.date()},
    )
    return pause


def _resume_due_at(pause: PairPause, attendee: Attendee) -> datetime.datetime:
    """The person's first digest on the day the pair is back (local day), or, for a
    pause ended early, their next digest after it ended."""
    if pause.ended_early_at is not None:
        after = pause.ended_early_at
    else:
        after = localtime.local_instant(
            attendee.user.time_zone, pause.ends_on, datetime.time()
        ) - datetime.timedelta(microseconds=1)
    return digest_due_at(
        user=attendee.user, after=after, working_days=attendee.working_days
    )


def pair_resume_nudges_create(*, now: datetime.datetime) -> int:
    """ "Welcome back" digest items for both people of each active pair back from a
    pause, each due at their digest hour on the day it is back; returns how many
    were new. Idempotent (dedupe key per pause and person); 2 queries + the
    outbox's whatever the size."""
    today = now.astimezone(datetime.UTC).date()
    # Tomorrow (UTC) too: east of UTC, the day back starts before it does in UTC.
    pauses = list(
        resumed_pauses(today + datetime.timedelta(days=1))
        .filter(
            resumed_on__gte=today - RESUME_WINDOW,
            match__status=Match.Status.ACTIVE,
        )
        .order_by("pk")
    )
    if not pauses:
        return 0
    pairs = {
        match.pk: pair_of(match)
        for match in pair_queryset().filter(pk__in=[p.match_id for p in pauses])
    }
    specs = []
    for pause in pauses:
        pair = pairs[pause.match_id]
        for attendee in pair.attendees:
            due_at = _resume_due_at(pause, attendee)
            if due_at - now > RESUME_LOOKAHEAD or now - due_at > RESUME_WINDOW:
                continue
            partner = pair.partner_of(attendee.user)
            program = pair.match.program
            specs.append(
                NotificationSpec(
                    recipient=attendee.user,
                    kind=RESUME_KIND,
                    dedupe_key=f"{RESUME_KIND}:{pause.pk}:{attendee.user.pk}",
                    subject=f"Welcome back: time to catch up with {partner.greeting_name}",
                    body=(
                        "Your pause is over. "
                        f"{program.name} suggests meeting every "
                        f"{program.meeting_cadence_days} days, counted from your "
                        "return: pick a time that suits you both."
                    ),
                    link=reverse("checkins:pair-detail", args=[pair.match.pk]),
                    due_at=due_at,
                    channel=Notification.Channel.DIGEST,
                    working_days=attendee.working_days,
                )
            )
    return notifications_create_bulk(specs=specs)
