"""What the meeting page (/meetings/<id>/) shows to one of its people: the logs
with their action items, the viewer's own private note, pulse and feedback.

Every time is given in the viewer's zone and the other people's. What the pair
wrote to each other (shared notes, action items, updates, comments) is only ever
put in ``body`` fields when the viewer is one of the two; a private note is only
ever fetched with ``author=viewer``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from checkins import display
from checkins.models import (
    ActionItem,
    Meeting,
    MeetingFeedback,
    MeetingLog,
    PrivateNote,
    Pulse,
)
from checkins.selectors.access import Group, Pair
from checkins.selectors.pages import (
    MeetingView,
    _meeting_view,
    _when,
    author_names,
    clocks_for,
)
from mentorship.accounts.models import User


@dataclass(frozen=True)
class ActionItemView:
    item: ActionItem
    who: str
    # For carried-over items: the meeting they came from, in the viewer's zone.
    from_meeting: str = ""


@dataclass
class MeetingPage:
    view: MeetingView
    owner: Pair | Group
    clocks: list[display.Clock]
    # (who, their log, its action items as a checklist)
    logs: list[tuple[str, MeetingLog, list[ActionItemView]]]
    my_log: MeetingLog | None
    my_private_note: str
    my_pulse: Pulse | None
    is_pair: bool
    # Open items from the earlier meetings of the same pair or circle.
    carried_over: list[ActionItemView] = field(default_factory=list)
    # Feedback between the two of a pair (never the coordinators').
    my_feedback: MeetingFeedback | None = None
    partner_feedback: MeetingFeedback | None = None
    partner_name: str = ""


def meeting_page(*, meeting: Meeting, owner: Pair | Group, viewer: User) -> MeetingPage:
    """One meeting for one of its people: both logs, and the viewer's own private
    note and pulse (never anyone else's)."""
    now = timezone.now()
    clocks = clocks_for(viewer, list(owner.attendees))
    names = author_names(owner)
    logs = list(meeting.logs.order_by("created_at", "id"))
    my_log = next((log for log in logs if log.author_id == viewer.pk), None)
    note = PrivateNote.objects.filter(meeting=meeting, author=viewer).first()
    my_pulse = Pulse.objects.filter(meeting=meeting, author=viewer).first()
    can_manage = isinstance(owner, Pair) or owner.is_facilitator(viewer)
    action_items, carried_over = _action_items(meeting, viewer, names)
    feedback = (
        {f.author_id: f for f in MeetingFeedback.objects.filter(meeting=meeting)}
        if isinstance(owner, Pair)
        else {}
    )
    partner = owner.partner_of(viewer) if isinstance(owner, Pair) else None
    view = _meeting_view(
        meeting,
        viewer=viewer,
        clocks=clocks,
        names=names,
        logged={meeting.pk} if my_log else set(),
        pulsed={meeting.pk} if my_pulse else set(),
        is_member=True,
        now=now,
        can_manage=can_manage,
    )
    return MeetingPage(
        view=view,
        owner=owner,
        clocks=clocks,
        logs=[
            (
                "You"
                if log.author_id == viewer.pk
                else names.get(log.author_id, "Someone"),
                log,
                action_items.get(log.author_id, []),
            )
            for log in logs
        ],
        my_log=my_log,
        my_private_note=note.body if note else "",
        my_pulse=my_pulse,
        is_pair=isinstance(owner, Pair),
        carried_over=carried_over,
        my_feedback=feedback.get(viewer.pk),
        partner_feedback=feedback.get(partner.user.pk) if partner else None,
        partner_name=partner.greeting_name if partner else "",
    )


def _action_items(
    meeting: Meeting, viewer: User, names: dict[int, str]
) -> tuple[dict[int, list[ActionItemView]], list[ActionItemView]]:
    """This meeting's checklists by author, and the open items of the same pair's
    (or circle's) earlier meetings, oldest first: 2 queries."""

    def who(user_id: int) -> str:
        return "You" if user_id == viewer.pk else names.get(user_id, "Someone")

    own: dict[int, list[ActionItemView]] = {}
    for item in ActionItem.objects.filter(meeting=meeting):
        own.setdefault(item.author_id, []).append(
            ActionItemView(item, who(item.author_id))
        )
    same_owner = (
        {"meeting__match_id": meeting.match_id}
        if meeting.match_id
        else {"meeting__circle_id": meeting.circle_id}
    )
    earlier = (
        ActionItem.objects.filter(
            **same_owner,
            is_done=False,
            meeting__starts_at__lt=meeting.starts_at,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "author_id", "position", "id")[:50]
    )
    carried = [
        ActionItemView(
            item,
            who(item.author_id),
            from_meeting=_when(item.meeting.starts_at, viewer),
        )
        for item in earlier
    ]
    return own, carried
