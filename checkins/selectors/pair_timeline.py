"""The pair page's goals and timeline, per viewer: goal events, meetings proposed,
answered and cancelled, logs, pulses, updates and their replies, newest first.

What the pair wrote to each other (shared notes, action items, updates, comments)
is only put in ``body`` fields when the viewer is one of the two; a pulse is shown
to its author and the coordinators, never to the partner.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from checkins.models import (
    AsyncUpdate,
    Goal,
    GoalEvent,
    Meeting,
    MeetingLog,
    Pulse,
)
from checkins.selectors.access import Pair
from checkins.selectors.pages import MeetingView, _when
from mentorship.accounts.models import User

TIMELINE_LIMIT = 60


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime.datetime
    when: str
    kind: str
    title: str
    detail: str = ""
    # Only for the pair: cleaned HTML (shared notes, updates) or plain text.
    body_html: SafeString | str = ""
    body_text: str = ""
    private_note: str = ""
    badge: str = ""
    # A meeting's entry links to its page and, once confirmed, its .ics (members).
    meeting_url: str = ""
    ics_url: str = ""
    # An update's entry: its id (the anchor and reply target) and its replies.
    update_id: int | None = None
    replies: tuple[TimelineEntry, ...] = ()
    # Who wrote it ("You" or a name), where the title doesn't say.
    author: str = ""


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    objective: str
    milestones: list
    comments: list[TimelineEntry]


def _goals(
    pair: Pair, viewer: User, is_member: bool, names: dict[int, str]
) -> tuple[list[GoalView], list[TimelineEntry]]:
    goals = (
        Goal.objects.filter(match=pair.match)
        .select_related("objective")
        .prefetch_related(
            "milestones",
            Prefetch("events", queryset=GoalEvent.objects.order_by("created_at", "id")),
        )
    )
    views, entries = [], []
    for goal in goals:
        comments = []
        for event in goal.events.all():
            who = (
                "You"
                if event.author_id == viewer.pk
                else names.get(event.author_id, "Someone")
            )
            entry = _goal_entry(goal, event, who, viewer, is_member)
            entries.append(entry)
            if event.kind == GoalEvent.Kind.COMMENT and is_member:
                comments.append(entry)
        views.append(
            GoalView(
                goal=goal,
                objective=goal.objective.text if goal.objective else "",
                milestones=list(goal.milestones.all()),
                comments=comments,
            )
        )
    return views, entries


def _goal_entry(
    goal: Goal, event: GoalEvent, who: str, viewer: User, is_member: bool
) -> TimelineEntry:
    Kind = GoalEvent.Kind
    titles = {
        Kind.CREATED: f"{who} set the goal “{goal.title}”",
        Kind.PROGRESS: f"{who} moved “{goal.title}” to {event.progress}%",
        Kind.MILESTONE_ADDED: f"{who} added a milestone to “{goal.title}”",
        Kind.MILESTONE_DONE: f"{who} reached a milestone of “{goal.title}”",
        Kind.MILESTONE_REOPENED: f"{who} reopened a milestone of “{goal.title}”",
        Kind.COMMENT: f"{who} commented on “{goal.title}”",
    }
    # Milestone titles are part of the plan, shown to all; comments to the pair only.
    detail = event.text if event.kind != Kind.COMMENT else ""
    return TimelineEntry(
        at=event.created_at,
        when=_when(event.created_at, viewer),
        kind="goal",
        title=titles.get(event.kind, f"{who} changed “{goal.title}”"),
        detail=detail,
        body_text=event.text if event.kind == Kind.COMMENT and is_member else "",
        author=who,
    )


def _timeline(
    *,
    pair: Pair,
    viewer: User,
    is_member: bool,
    names: dict[int, str],
    meetings: list[Meeting],
    views: dict[int, MeetingView],
    logs: list[MeetingLog],
    pulses: list[Pulse],
    private: dict[int, str],
    goal_entries: list[TimelineEntry],
) -> list[TimelineEntry]:
    def who(user_id: int | None) -> str:
        return "You" if user_id == viewer.pk else names.get(user_id, "Someone")

    entries = list(goal_entries)
    by_id = {meeting.pk: meeting for meeting in meetings}
    for meeting in meetings:
        view = views[meeting.pk]
        verb = "suggested another time" if meeting.replaces_id else "proposed a meeting"
        entries.append(
            TimelineEntry(
                at=meeting.proposed_at,
                when=_when(meeting.proposed_at, viewer),
                kind="meeting",
                title=f"{who(meeting.proposed_by_id)} {verb}",
                detail=f"{view.line} · {view.day}",
                meeting_url=reverse("checkins:meeting-detail", args=[meeting.pk])
                if is_member
                else "",
                ics_url=view.ics_url,
            )
        )
        # A circle's meetings are confirmed by their proposer: no separate answer.
        if meeting.responded_at and meeting.responded_by_id != meeting.proposed_by_id:
            answer = "declined" if meeting.status == "declined" else "accepted"
            entries.append(
                TimelineEntry(
                    at=meeting.responded_at,
                    when=_when(meeting.responded_at, viewer),
                    kind="meeting",
                    title=f"{who(meeting.responded_by_id)} {answer} the meeting of "
                    f"{_when(meeting.starts_at, viewer)}",
                )
            )
        if meeting.status == "cancelled":
            entries.append(
                TimelineEntry(
                    at=meeting.updated_at,
                    when=_when(meeting.updated_at, viewer),
                    kind="meeting",
                    title=f"The meeting of {_when(meeting.starts_at, viewer)} was cancelled",
                )
            )
    for log in logs:
        meeting = by_id[log.meeting_id]
        outcome = (
            f"it happened{f', {log.duration_minutes} min' if log.duration_minutes else ''}"
            if log.happened
            else "it didn't happen"
        )
        detail = outcome + (f" · topics: {log.topics}" if log.topics else "")
        entries.append(
            TimelineEntry(
                at=log.created_at,
                when=_when(log.created_at, viewer),
                kind="log",
                title=f"{who(log.author_id)} logged the meeting of "
                f"{_when(meeting.starts_at, viewer)}",
                detail=detail,
                body_html=mark_safe(log.shared_notes) if is_member else "",  # noqa: S308  cleaned by nh3 on save
                body_text=log.action_items if is_member else "",
                private_note=private.get(log.meeting_id, "")
                if log.author_id == viewer.pk
                else "",
            )
        )
    for pulse in pulses:
        # The pulse is for the coordinator: the partner never sees the other's answer.
        if is_member and pulse.author_id != viewer.pk:
            continue
        entries.append(
            TimelineEntry(
                at=pulse.created_at,
                when=_when(pulse.created_at, viewer),
                kind="pulse",
                title=f"{who(pulse.author_id)} rated the meeting of "
                f"{_when(by_id[pulse.meeting_id].starts_at, viewer)}",
                badge=f"{pulse.usefulness}/5",
                body_text=pulse.for_coordinator,
            )
        )
    updates = (
        AsyncUpdate.objects.filter(match=pair.match, reply_to__isnull=True)
        .prefetch_related(
            Prefetch("replies", queryset=AsyncUpdate.objects.order_by("created_at"))
        )
        .order_by("-created_at")[:TIMELINE_LIMIT]
    )
    for update in updates:
        replies = update.replies.all()
        entries.append(
            TimelineEntry(
                at=update.created_at,
                when=_when(update.created_at, viewer),
                kind="update",
                title=f"{who(update.author_id)} posted an update",
                detail=""
                if is_member or not replies
                else f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}",
                body_html=mark_safe(update.body) if is_member else "",  # noqa: S308  cleaned by nh3 on save
                update_id=update.pk,
                # Replies are the pair's words: the pair alone reads them.
                replies=tuple(
                    TimelineEntry(
                        at=reply.created_at,
                        when=_when(reply.created_at, viewer),
                        kind="reply",
                        title=f"{who(reply.author_id)} replied",
                        body_html=mark_safe(reply.body),  # noqa: S308  cleaned by nh3 on save
                    )
                    for reply in replies
                )
                if is_member
                else (),
            )
        )
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:TIMELINE_LIMIT]
