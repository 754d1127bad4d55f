"""After a meeting: each person's log (with their private note and action items),
their pulse (for the coordinator) and their feedback (for the partner)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import (
    ActionItem,
    Meeting,
    MeetingFeedback,
    MeetingLog,
    PrivateNote,
    Pulse,
)
from checkins.selectors.access import Group, Pair
from checkins.services import coordinator
from checkins.services.meetings import log_nudge_cancel
from checkins.services.text import clean_html, excerpt
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notification_create

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
            "shared_notes_source": entry.shared_notes.strip(),
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
    _action_items_sync(meeting=meeting, by=by, text=log.action_items)
    log_nudge_cancel(meeting=meeting, recipient=by)
    return log


# "- ", "* ", "1. ", "[ ] ", "[x] " at the start of a line: list marks, not text.
_ITEM_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])?\s*(?:\[[ xX]?\])?\s*")


def action_item_lines(text: str) -> list[str]:
    """The action items in a log's text: one per non-empty line, marks removed."""
    lines = (_ITEM_MARK.sub("", line).strip() for line in text.splitlines())
    return [line[:300] for line in lines if line]


def _action_items_sync(*, meeting: Meeting, by: User, text: str) -> None:
    """``by``'s checklist for ``meeting`` follows their log's lines; an item kept
    (same text) keeps its ticked state."""
    lines = action_item_lines(text)
    existing = {
        item.text: item
        for item in ActionItem.objects.filter(meeting=meeting, author=by)
    }
    keep = set()
    for position, line in enumerate(lines):
        item = existing.get(line)
        if item is not None and item.pk not in keep:
            keep.add(item.pk)
            if item.position != position:
                item.position = position
                item.save(update_fields=["position"])
        else:
            keep.add(
                ActionItem.objects.create(
                    meeting=meeting, author=by, text=line, position=position
                ).pk
            )
    ActionItem.objects.filter(meeting=meeting, author=by).exclude(pk__in=keep).delete()


@transaction.atomic
def action_item_toggle(
    *, item: ActionItem, owner: Pair | Group, by: User
) -> ActionItem:
    """Anyone in the meeting ticks an action item off, or reopens it."""
    meeting = item.meeting
    owns = (
        meeting.match_id == owner.match.pk
        if isinstance(owner, Pair)
        else meeting.circle_id == owner.circle.pk
    )
    if not owner.is_member(by) or not owns:
        raise PermissionDenied("Only the people in this meeting can tick it off.")
    item.is_done = not item.is_done
    item.done_at = timezone.now() if item.is_done else None
    item.done_by = by if item.is_done else None
    item.save(update_fields=["is_done", "done_at", "done_by"])
    return item


@dataclass(frozen=True)
class FeedbackEntry:
    worked: str = ""
    try_next: str = ""


@transaction.atomic
def meeting_feedback_save(
    *, meeting: Meeting, pair: Pair, by: User, entry: FeedbackEntry
) -> MeetingFeedback:
    """``by``'s feedback for their partner on a held meeting: what worked, what to
    try next time. Shared with the partner only (not the coordinators; the pulse is
    theirs); the partner gets a digest item the first time it is given."""
    if not pair.is_member(by) or meeting.match_id != pair.match.pk:
        raise PermissionDenied("Only the people in this pair can give feedback.")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError("Give feedback once the meeting has been logged as held.")
    worked, try_next = entry.worked.strip()[:2000], entry.try_next.strip()[:2000]
    if not (worked or try_next):
        raise ValidationError("Write what worked, what to try next time, or both.")
    feedback, _ = MeetingFeedback.objects.update_or_create(
        meeting=meeting, author=by, defaults={"worked": worked, "try_next": try_next}
    )
    for partner in pair.others_of(by):
        notification_create(
            recipient=partner.user,
            kind="meeting-feedback",
            dedupe_key=f"meeting-feedback:{feedback.pk}:{partner.user.pk}",
            subject=f"{by.greeting_name} left you feedback on your meeting",
            body=excerpt(worked or try_next),
            link=reverse("checkins:meeting-detail", args=[meeting.pk]) + "#feedback",
            channel=Notification.Channel.DIGEST,
            working_days=partner.working_days,
        )
    return feedback


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
