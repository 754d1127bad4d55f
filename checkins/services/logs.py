"""After a meeting: each person's log (with their private note) and their pulse."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins.models import Meeting, MeetingLog, PrivateNote, Pulse
from checkins.selectors.access import Group, Pair
from checkins.services import coordinator
from checkins.services.meetings import log_nudge_cancel
from checkins.services.text import clean_html
from mentorship.accounts.models import User

LOGGABLE = (Meeting.Status.CONFIRMED, Meeting.Status.HELD, Meeting.Status.MISSED)


@dataclass(frozen=True)
class LogEntry:
    happened: bool
    duration_minutes: int | None = None
    topics: str = ""
    shared_notes: str = ""
    action_items: str = ""
    # Read by its author alone; empty removes the note.
    private_note: str = ""


@transaction.atomic
def meeting_log_save(
    *, meeting: Meeting, owner: Pair | Group, by: User, entry: LogEntry
) -> MeetingLog:
    """Create or replace ``by``'s log of a meeting that has started.

    The meeting becomes held if anyone says it happened, missed otherwise. Shared
    notes are cleaned HTML. Cancels ``by``'s pending "log your meeting" nudge.
    """
    if not owner.is_member(by):
        raise PermissionDenied("Only the people in this meeting can log it.")
    if meeting.status not in LOGGABLE:
        raise ValidationError("Only a confirmed meeting can be logged.")
    if meeting.starts_at > timezone.now():
        raise ValidationError("You can log a meeting once it has started.")
    if entry.duration_minutes is not None and not 0 <= entry.duration_minutes <= 600:
        raise ValidationError({"duration_minutes": "Between 0 and 600 minutes."})
    log, _ = MeetingLog.objects.update_or_create(
        meeting=meeting,
        author=by,
        defaults={
            "happened": entry.happened,
            "duration_minutes": entry.duration_minutes if entry.happened else None,
            "topics": entry.topics.strip()[:300],
            "shared_notes": clean_html(entry.shared_notes),
            "action_items": entry.action_items.strip(),
        },
    )
    private = entry.private_note.strip()
    if private:
        PrivateNote.objects.update_or_create(
            meeting=meeting, author=by, defaults={"body": private}
        )
    else:
        PrivateNote.objects.filter(meeting=meeting, author=by).delete()
    happened = meeting.logs.filter(happened=True).exists()
    status = Meeting.Status.HELD if happened else Meeting.Status.MISSED
    Meeting.objects.filter(pk=meeting.pk, status__in=LOGGABLE).update(
        status=status, updated_at=timezone.now()
    )
    meeting.status = status
    log_nudge_cancel(meeting=meeting, recipient=by)
    return log


@transaction.atomic
def pulse_submit(
    *, meeting: Meeting, pair: Pair, by: User, usefulness: int, for_coordinator: str
) -> Pulse:
    """Record ``by``'s one pulse for a held meeting of their pair (DB-unique); a
    low score or a note for the coordinator goes into the coordinators' next
    digest (``coordinator.coordinator_pulse_alert``)."""
    if not pair.is_member(by) or meeting.match_id != pair.match.pk:
        raise PermissionDenied("Only the people in this pair can answer.")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("Answer once the meeting has been logged as held.")
    if not 1 <= usefulness <= 5:
        raise ValidationError({"usefulness": "Pick 1 to 5."})
    try:
        with transaction.atomic():
            pulse = Pulse.objects.create(
                meeting=meeting,
                author=by,
                usefulness=usefulness,
                for_coordinator=for_coordinator.strip()[:2000],
            )
    except IntegrityError:
        raise ValidationError("You have already answered for this meeting.") from None
    coordinator.coordinator_pulse_alert(pulse=pulse, pair=pair)
    return pulse
