"""Meetings: propose, answer, reschedule, cancel — and the messages each sends.

Life of a pair's meeting::

    proposed --partner accepts--> confirmed --logged--> held / missed
       |  \\--partner declines--> declined
       |   \\-partner proposes another--> declined, and a new proposed one (replaces=)
       \\--proposer withdraws--> cancelled      confirmed --either cancels--> cancelled

Transitions are claims (UPDATE ... WHERE status = the old one), so two clicks or
two people answering at once change a meeting once. A circle's meeting is set by
a facilitator and is confirmed at once.

Messages (through the outbox, in the same transaction): on confirmation every
attendee gets the .ics invitation (METHOD:REQUEST, SEQUENCE = ``meeting.sequence``),
email reminders due 24 h and 1 h before, and a "log your meeting" digest item after
it. A reschedule bumps the sequence, cancels the scheduled reminders and nudges of
the old sequence and sends a new set; a cancellation sends METHOD:CANCEL.

A team meeting (a meeting of an engagement) invites everyone in it but the
proposer: the mentor and every active member of the team, one ``MeetingInvitee``
each. Each answers for themselves; the meeting is confirmed by the last acceptance
(of the invitees still on the engagement) and declined by the first decline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from checkins import calendar, display
from checkins.models import Meeting, MeetingInvitee
from checkins.selectors.access import Attendee, Group, Pair
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    digest_due_at,
    notification_create,
    notifications_cancel_scheduled,
)

Status = Meeting.Status
REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
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


# --- Calendar and messages ------------------------------------------------------------------


def _title(meeting: Meeting, attendees: Sequence[Attendee]) -> str:
    if meeting.circle_id is not None:
        return f"Circle: {meeting.circle.name}"  # type: ignore[union-attr]
    names = " & ".join(attendee.greeting_name for attendee in attendees)
    return f"Mentoring: {names}"


def meeting_ics_for(
    *,
    meeting: Meeting,
    attendees: Sequence[Attendee],
    method: str = "REQUEST",
) -> str:
    """The meeting's .ics as it stands (download link and email attachment). Its
    organizer is always the proposer (``meeting.proposed_by``), for its whole life."""
    organizer = meeting.proposed_by
    description = meeting.agenda
    if meeting.online_link:
        description = f"{description}\n\nJoin: {meeting.online_link}".strip()
    return calendar.meeting_ics(
        uid=calendar.meeting_uid(
            meeting_id=meeting.pk,
            schema_name=connection.schema_name,  # type: ignore[attr-defined]
        ),
        method=method,
        sequence=meeting.sequence,
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=_title(meeting, attendees),
        description=description,
        location=meeting.location,
        url=meeting.online_link,
        organizer=calendar.Person(str(organizer), organizer.email)
        if organizer
        else None,
        attendees=[
            calendar.Person(str(attendee.user), attendee.user.email)
            for attendee in attendees
        ],
        stamp=meeting.updated_at or timezone.now(),
    )


def _link(meeting: Meeting) -> str:
    if meeting.match_id is not None:
        return reverse("checkins:pair-detail", args=[meeting.match_id])
    return reverse("checkins:circle-detail", args=[meeting.circle_id])


def _notify(
    meeting: Meeting,
    recipient: User,
    *,
    kind: str,
    key: str,
    subject: str,
    body: str,
    channel: str = Notification.Channel.EMAIL,
    **extra: Any,
) -> None:
    # Never a note in here: only times, names and the agenda the pair agreed on.
    notification_create(
        recipient=recipient,
        kind=kind,
        dedupe_key=key,
        subject=subject,
        body=body,
        link=_link(meeting),
        channel=channel,
        **extra,
    )


def _send_invitations(
    meeting: Meeting, attendees: Sequence[Attendee], *, method: str = "REQUEST"
) -> None:
    ics = meeting_ics_for(meeting=meeting, attendees=attendees, method=method)
    cancelled = method == "CANCEL"
    for attendee in attendees:
        zone = attendee.user.time_zone
        when = display.short_datetime(meeting.starts_at, zone)
        kind = "meeting-cancelled" if cancelled else "meeting-invitation"
        action = "cancel" if cancelled else "invite"
        _notify(
            meeting,
            attendee.user,
            kind=kind,
            key=f"meeting-{action}:{meeting.pk}:{meeting.sequence}:{attendee.user.pk}",
            subject=("Cancelled: " if cancelled else "")
            + f"{_title(meeting, attendees)}, {when}",
            body=(
                f"The meeting on {when} is cancelled."
                if cancelled
                else f"{_title(meeting, attendees)} on {when} for "
                f"{meeting.duration_minutes} min. The invitation is attached: "
                "open it to add the meeting to your calendar."
            ),
            attachment_name="cancel.ics" if cancelled else "invite.ics",
            attachment=ics,
        )


def _schedule_followups(
    meeting: Meeting, attendees: Iterable[Attendee], *, now: datetime
) -> None:
    """Reminders 24 h and 1 h before (skipping any already past) and the log nudge."""
    for attendee in attendees:
        user = attendee.user
        when = display.short_datetime(meeting.starts_at, user.time_zone)
        for label, before in REMINDERS:
            # Never in the recipient's quiet hours (README "Reminders and quiet hours").
            due_at = localtime.reminder_due(
                zone=user.time_zone,
                due=meeting.starts_at - before,
                starts_at=meeting.starts_at,
                quiet_start=user.quiet_start,
                quiet_end=user.quiet_end,
            )
            if due_at <= now:
                continue
            ahead = localtime.hours_text(meeting.starts_at - due_at)
            _notify(
                meeting,
                user,
                kind="meeting-reminder",
                key=f"meeting-reminder:{meeting.pk}:{meeting.sequence}:{label}:{user.pk}",
                subject=f"Reminder: meeting {when}",
                body=f"You meet in {ahead}: {when}."
                + (f" Join: {meeting.online_link}" if meeting.online_link else ""),
                due_at=due_at,
            )
        _notify(
            meeting,
            user,
            kind="meeting-log-nudge",
            key=f"meeting-log-nudge:{meeting.pk}:{meeting.sequence}:{user.pk}",
            subject="How did your meeting go? Log it",
            body=f"Log the meeting of {when}: did it happen, what you covered, and "
            "how useful it was.",
            channel=Notification.Channel.DIGEST,
            due_at=digest_due_at(
                user=user, after=meeting.ends_at, working_days=attendee.working_days
            ),
            working_days=attendee.working_days,
        )


def followup_prefixes(meeting: Meeting) -> list[str]:
    return [
        f"meeting-reminder:{meeting.pk}:",
        f"meeting-log-nudge:{meeting.pk}:",
    ]


def _cancel_followups(meeting: Meeting, *, recipient: User | None = None) -> int:
    """Cancel the meeting's reminders and nudges that haven't gone out yet.

    A claim on ``status = scheduled``: one the beat tick already took is sent anyway
    (the lesser harm).
    """
    return notifications_cancel_scheduled(
        key_prefixes=followup_prefixes(meeting), recipient=recipient
    )


def log_nudge_cancel(*, meeting: Meeting, recipient: User) -> int:
    """Drop a person's pending "log your meeting" nudge once they have logged it."""
    return notifications_cancel_scheduled(
        key_prefixes=[f"meeting-log-nudge:{meeting.pk}:"], recipient=recipient
    )
