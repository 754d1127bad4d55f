"""Meetings: propose, answer, reschedule, cancel — and the messages each sends.

Life of a pair's meeting::

    proposed --partner accepts--> confirmed --logged--> held / missed
       |  \\--partner declines--> declined
       |   \\-partner proposes another--> declined, and a new proposed one (replaces=)
       \\--proposer withdraws--> cancelled      confirmed --either cancels--> cancelled

Transitions are claims (UPDATE ... WHERE status = the old one), so two clicks or
two people answering at once change a meeting once. A circle's meeting is set by
a facilitator and is confirmed at once.

Messages (through the outbox, in the same transaction) are in
``checkins.services.meeting_messages``.

A team meeting (a meeting of an engagement) invites everyone in it but the
proposer: the mentor and every active member of the team, one ``MeetingInvitee``
each. Each answers for themselves; the meeting is confirmed by the last acceptance
(of the invitees still on the engagement) and declined by the first decline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from checkins import display
from checkins.models import Meeting, MeetingInvitee
from checkins.selectors.access import Group, Pair
from checkins.services.meeting_messages import (
    _cancel_followups,
    _notify,
    _schedule_followups,
    _send_invitations,
)
from checkins.services.meeting_messages import log_nudge_cancel as log_nudge_cancel
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification

Status = Meeting.Status
MAX_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class MeetingDetails:
    """What a proposal carries besides its time."""

    duration_minutes: int
    agenda: str = ""
    online_link: str = ""
    location: str = ""


# --- Checks -----------------------------------------------------------------------------


def _require_member(owner: Pair | Group, by: User) -> None:
    if not owner.is_member(by):
        raise PermissionDenied("Only the people in this pair can do that.")


def _require_active(pair: Pair) -> None:
    if not pair.is_active:
        raise ValidationError("This pair is no longer active.")


def _check_time(starts_at: datetime, details: MeetingDetails, now: datetime) -> None:
    if starts_at <= now:
        raise ValidationError({"starts_at": "Pick a time in the future."})
    if starts_at > now + MAX_AHEAD:
        raise ValidationError({"starts_at": "Pick a time within the next year."})
    if not 5 <= details.duration_minutes <= 480:
        raise ValidationError(
            {"duration_minutes": "A meeting lasts between 5 minutes and 8 hours."}
        )
    if details.online_link and not details.online_link.startswith(
        ("https://", "http://")
    ):
        raise ValidationError({"online_link": "Give an http:// or https:// link."})


def _claim(meeting: Meeting, *, old: Sequence[str], **changes: object) -> None:
    """Move ``meeting`` out of one of the ``old`` statuses, or fail if someone did."""
    updated = Meeting.objects.filter(pk=meeting.pk, status__in=old).update(
        updated_at=timezone.now(), **changes
    )
    if updated != 1:
        raise ValidationError(
            "This meeting has changed in the meantime; reload the page."
        )
    meeting.refresh_from_db()


# --- Pair meetings --------------------------------------------------------------------------


@transaction.atomic
def meeting_propose(
    *,
    pair: Pair,
    by: User,
    starts_at: datetime,
    details: MeetingDetails,
    replaces: Meeting | None = None,
) -> Meeting:
    """Propose a meeting to the partner. Emails them the proposal (outbox)."""
    _require_member(pair, by)
    _require_active(pair)
    now = timezone.now()
    _check_time(starts_at, details, now)
    meeting = Meeting.objects.create(
        match=pair.match,
        starts_at=starts_at,
        duration_minutes=details.duration_minutes,
        agenda=details.agenda.strip(),
        online_link=details.online_link.strip(),
        location=details.location.strip(),
        status=Status.PROPOSED,
        proposed_by=by,
        proposed_at=now,
        replaces=replaces,
    )
    invited = pair.others_of(by)
    if pair.is_engagement:
        MeetingInvitee.objects.bulk_create(
            MeetingInvitee(meeting=meeting, user=attendee.user) for attendee in invited
        )
    verb = "suggests another time" if replaces else "proposes a meeting"
    where = "your engagement's page" if pair.is_engagement else "your pair's page"
    for partner in invited:
        _notify(
            meeting,
            partner.user,
            kind="meeting-proposed",
            key=f"meeting-proposed:{meeting.pk}:{partner.user.pk}",
            subject=f"{by.greeting_name} {verb}: "
            f"{display.short_datetime(starts_at, partner.user.time_zone)}",
            body=f"{by.greeting_name} {verb} for "
            f"{display.short_datetime(starts_at, partner.user.time_zone)} "
            f"({meeting.duration_minutes} min). Accept it, decline it or suggest "
            f"another time on {where}.",
        )
    return meeting


def _answer_invitation(meeting: Meeting, by: User, answer: str, now: datetime) -> None:
    """Record ``by``'s answer to a team meeting (a claim on their pending row)."""
    updated = MeetingInvitee.objects.filter(
        meeting=meeting, user=by, answer=MeetingInvitee.Answer.PENDING
    ).update(answer=answer, answered_at=now)
    if updated != 1:
        raise ValidationError("You have already answered this invitation.")


def _all_accepted(meeting: Meeting, pair: Pair) -> bool:
    """Whether every invitee still on the engagement has accepted (someone who
    left the team no longer holds the meeting up)."""
    present = {attendee.user.pk for attendee in pair.attendees}
    return (
        not MeetingInvitee.objects.filter(meeting=meeting, user_id__in=present)
        .exclude(answer=MeetingInvitee.Answer.ACCEPTED)
        .exists()
    )


@transaction.atomic
def meeting_accept(*, meeting: Meeting, pair: Pair, by: User) -> Meeting:
    """Confirm a proposal. Sends invitations, schedules reminders and the log nudge."""
    _require_member(pair, by)
    _require_active(pair)
    if meeting.proposed_by_id == by.pk:
        raise ValidationError("Your partner answers your proposal, not you.")
    now = timezone.now()
    if meeting.starts_at <= now:
        raise ValidationError("This time has passed; suggest another one.")
    if pair.is_engagement:
        if meeting.status != Status.PROPOSED:
            raise ValidationError(
                "This meeting has changed in the meantime; reload the page."
            )
        _answer_invitation(meeting, by, MeetingInvitee.Answer.ACCEPTED, now)
        if not _all_accepted(meeting, pair):
            return meeting
    _claim(
        meeting,
        old=[Status.PROPOSED],
        status=Status.CONFIRMED,
        responded_by=by,
        responded_at=now,
    )
    _send_invitations(meeting, pair.attendees)
    _schedule_followups(meeting, pair.attendees, now=now)
    return meeting


@transaction.atomic
def meeting_decline(*, meeting: Meeting, pair: Pair, by: User) -> Meeting:
    """Turn a proposal down. Tells the proposer (in-app)."""
    _require_member(pair, by)
    if meeting.proposed_by_id == by.pk:
        raise ValidationError("To take back your own proposal, cancel it.")
    now = timezone.now()
    if pair.is_engagement:
        _answer_invitation(meeting, by, MeetingInvitee.Answer.DECLINED, now)
    _claim(
        meeting,
        old=[Status.PROPOSED],
        status=Status.DECLINED,
        responded_by=by,
        responded_at=now,
    )
    proposer = next(
        (a.user for a in pair.attendees if a.user.pk == meeting.proposed_by_id),
        pair.partner_of(by).user,
    )
    _notify(
        meeting,
        proposer,
        kind="meeting-declined",
        key=f"meeting-declined:{meeting.pk}:{proposer.pk}",
        subject=f"{by.greeting_name} can't make "
        f"{display.short_datetime(meeting.starts_at, proposer.time_zone)}",
        body="Suggest another time on your "
        + ("engagement's" if pair.is_engagement else "pair's")
        + " page.",
        channel=Notification.Channel.IN_APP,
    )
    return meeting


@transaction.atomic
def meeting_counter(
    *,
    meeting: Meeting,
    pair: Pair,
    by: User,
    starts_at: datetime,
    details: MeetingDetails,
) -> Meeting:
    """Answer a proposal with another time: the old one is declined, a new one proposed."""
    _require_member(pair, by)
    if meeting.proposed_by_id == by.pk:
        raise ValidationError("Change your own proposal by cancelling it.")
    now = timezone.now()
    _check_time(starts_at, details, now)
    if pair.is_engagement:
        _answer_invitation(meeting, by, MeetingInvitee.Answer.DECLINED, now)
    _claim(
        meeting,
        old=[Status.PROPOSED],
        status=Status.DECLINED,
        responded_by=by,
        responded_at=now,
    )
    return meeting_propose(
        pair=pair, by=by, starts_at=starts_at, details=details, replaces=meeting
    )


@transaction.atomic
def meeting_reschedule(
    *,
    meeting: Meeting,
    pair: Pair | Group,
    by: User,
    starts_at: datetime,
    details: MeetingDetails,
) -> Meeting:
    """Move a confirmed meeting: SEQUENCE + 1, updated invitations to everyone, the
    old reminders and nudges cancelled and new ones scheduled."""
    _require_member(pair, by)
    if isinstance(pair, Group) and not pair.is_facilitator(by):
        raise PermissionDenied("Only a facilitator can move the circle's meeting.")
    if isinstance(pair, Pair):
        _require_active(pair)
    now = timezone.now()
    _check_time(starts_at, details, now)
    _claim(
        meeting,
        old=[Status.CONFIRMED],
        starts_at=starts_at,
        duration_minutes=details.duration_minutes,
        agenda=details.agenda.strip(),
        online_link=details.online_link.strip(),
        location=details.location.strip(),
        sequence=F("sequence") + 1,
    )
    _cancel_followups(meeting)
    _send_invitations(meeting, pair.attendees)
    _schedule_followups(meeting, pair.attendees, now=now)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, pair: Pair | Group, by: User) -> Meeting:
    """Withdraw a proposal (its proposer) or call off a confirmed meeting (anyone in
    it; a facilitator for a circle). A confirmed one gets METHOD:CANCEL to everyone
    and its reminders and nudges cancelled."""
    _require_member(pair, by)
    if meeting.status == Status.PROPOSED:
        if meeting.proposed_by_id != by.pk:
            raise ValidationError("Decline your partner's proposal instead.")
        _claim(meeting, old=[Status.PROPOSED], status=Status.CANCELLED)
        return meeting
    if isinstance(pair, Group) and not pair.is_facilitator(by):
        raise PermissionDenied("Only a facilitator can cancel the circle's meeting.")
    if meeting.starts_at <= timezone.now():
        raise ValidationError("This meeting has started; log it instead.")
    _claim(
        meeting,
        old=[Status.CONFIRMED],
        status=Status.CANCELLED,
        sequence=F("sequence") + 1,
    )
    _cancel_followups(meeting)
    _send_invitations(meeting, pair.attendees, method="CANCEL")
    return meeting


# --- Circle meetings ------------------------------------------------------------------------


@transaction.atomic
def circle_meeting_schedule(
    *, group: Group, by: User, starts_at: datetime, details: MeetingDetails
) -> Meeting:
    """A facilitator sets the circle's meeting: confirmed at once; invitations,
    reminders and log nudges go to every member."""
    if not group.is_facilitator(by):
        raise PermissionDenied("Only a facilitator can schedule the circle's meetings.")
    now = timezone.now()
    _check_time(starts_at, details, now)
    meeting = Meeting.objects.create(
        circle=group.circle,
        starts_at=starts_at,
        duration_minutes=details.duration_minutes,
        agenda=details.agenda.strip(),
        online_link=details.online_link.strip(),
        location=details.location.strip(),
        status=Status.CONFIRMED,
        proposed_by=by,
        proposed_at=now,
        responded_by=by,
        responded_at=now,
    )
    _send_invitations(meeting, group.attendees)
    _schedule_followups(meeting, group.attendees, now=now)
    return meeting
