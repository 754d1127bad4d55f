"""A meeting's messages: its .ics, the invitations, reminders and log nudges.

Messages (through the outbox, in the same transaction): on confirmation every
attendee gets the .ics invitation (METHOD:REQUEST, SEQUENCE = ``meeting.sequence``),
email reminders due 24 h and 1 h before, and a "log your meeting" digest item after
it. A reschedule bumps the sequence, cancels the scheduled reminders and nudges of
the old sequence and sends a new set; a cancellation sends METHOD:CANCEL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from checkins import calendar, display
from checkins.models import Meeting
from checkins.selectors.access import Attendee
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    digest_due_at,
    notification_create,
    notifications_cancel_scheduled,
)

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


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
