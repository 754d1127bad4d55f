"""What the check-in pages show, per viewer: the pieces every page shares (the
clocks, a meeting's row), a circle's page and the list of the viewer's pairs. The
pair page is in ``pair_detail``, the meeting page in ``meeting_detail``.

Every time is given in the viewer's zone and the other people's. What the pair
wrote to each other (shared notes, action items, updates, comments) is only ever
put in ``body`` fields when the viewer is one of the two; a private note is only
ever fetched with ``author=viewer``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from checkins import display
from checkins.models import Meeting, MeetingLog
from checkins.selectors.access import Attendee, Group, Pair
from mentorship.accounts.models import User


def clocks_for(viewer: User, others: list[Attendee]) -> list[display.Clock]:
    """The viewer first ("you"), then everyone else by first name."""
    return [display.Clock("you", viewer.time_zone)] + [
        display.Clock(other.greeting_name, other.user.time_zone)
        for other in others
        if other.user.pk != viewer.pk
    ]


def author_names(owner: Pair | Group) -> dict[int, str]:
    """Who wrote what, by user id: everyone in the pair or circle and, for an
    engagement, the people who left its team (what they wrote stays theirs):
    one query for an engagement, none otherwise."""
    names = {a.user.pk: a.greeting_name for a in owner.attendees}
    if isinstance(owner, Pair) and owner.is_engagement:
        former = User.objects.filter(
            memberships__member_organization_id=owner.match.member_organization_id
        ).exclude(pk__in=names)
        names.update((user.pk, user.greeting_name) for user in former.distinct())
    return names


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    line: str
    day: str
    proposer: str
    is_mine: bool
    can_answer: bool
    can_cancel: bool
    can_log: bool
    has_logged: bool
    has_pulsed: bool
    ics_url: str
    # A team meeting: each invitee's answer, as (name, "Accepted"/"Waiting"/...).
    answers: tuple[tuple[str, str], ...] = ()
    declined_by: str = ""


# Meetings whose invitation (or cancellation) can be downloaded: the view's rule.
ICS_STATUSES = ("confirmed", "held", "missed", "cancelled")


def _meeting_view(
    meeting: Meeting,
    *,
    viewer: User,
    clocks: list[display.Clock],
    names: dict[int, str],
    logged: set[int],
    pulsed: set[int],
    is_member: bool,
    now: datetime.datetime,
    can_manage: bool = True,
) -> MeetingView:
    is_mine = meeting.proposed_by_id == viewer.pk
    status = meeting.status
    started = meeting.starts_at <= now
    return MeetingView(
        meeting=meeting,
        line=display.times_line(meeting.starts_at, clocks, end=meeting.ends_at),
        day=display.date_line(meeting.starts_at, viewer.time_zone),
        proposer="you" if is_mine else names.get(meeting.proposed_by_id, "someone"),
        is_mine=is_mine,
        can_answer=is_member and status == "proposed" and not is_mine and not started,
        can_cancel=is_member
        and can_manage
        and (
            (status == "proposed" and is_mine)
            or (status == "confirmed" and not started)
        ),
        can_log=is_member and started and status in ("confirmed", "held", "missed"),
        has_logged=meeting.pk in logged,
        has_pulsed=meeting.pk in pulsed,
        ics_url=reverse("checkins:meeting-ics", args=[meeting.pk])
        if is_member and status in ICS_STATUSES
        else "",
    )


def _when(at: datetime.datetime, viewer: User) -> str:
    return display.short_datetime(at, viewer.time_zone).rsplit(" (", 1)[0]


@dataclass
class CirclePage:
    group: Group
    clocks: list[display.Clock]
    upcoming: list[MeetingView]
    past: list[MeetingView]
    is_facilitator: bool


def circle_page(*, group: Group, viewer: User) -> CirclePage:
    now = timezone.now()
    clocks = clocks_for(viewer, list(group.attendees))[:4]
    names = {a.user.pk: a.greeting_name for a in group.attendees}
    meetings = Meeting.objects.filter(circle=group.circle).order_by("starts_at")
    logged = set(
        MeetingLog.objects.filter(
            meeting__circle=group.circle, author=viewer
        ).values_list("meeting_id", flat=True)
    )
    upcoming, past = [], []
    for meeting in meetings:
        view = _meeting_view(
            meeting,
            viewer=viewer,
            clocks=clocks,
            names=names,
            logged=logged,
            pulsed=set(),
            is_member=True,
            now=now,
            can_manage=group.is_facilitator(viewer),
        )
        if meeting.status == "confirmed" and meeting.starts_at > now:
            upcoming.append(view)
        elif meeting.status in ("confirmed", "held", "missed"):
            past.append(view)
    past.reverse()
    return CirclePage(
        group=group,
        clocks=clocks,
        upcoming=upcoming,
        past=past[:20],
        is_facilitator=group.is_facilitator(viewer),
    )


@dataclass(frozen=True)
class PairCard:
    pair: Pair
    partner: Attendee
    role: str
    next_meeting: str
    waiting: int
    # The heading: the partner, or the organization for an engagement's mentor.
    title: str = ""


def pair_cards_for_participant(*, pairs: list[Pair], viewer: User) -> list[PairCard]:
    """The viewer's pairs with their next confirmed meeting: one query for all."""
    now = timezone.now()
    ids = [pair.match.pk for pair in pairs]
    upcoming: dict[int, Meeting] = {}
    waiting: dict[int, int] = {}
    for meeting in Meeting.objects.filter(
        match_id__in=ids, status__in=Meeting.OPEN, starts_at__gt=now
    ).order_by("starts_at"):
        if meeting.status == "confirmed":
            upcoming.setdefault(meeting.match_id, meeting)
        elif meeting.proposed_by_id != viewer.pk:
            waiting[meeting.match_id] = waiting.get(meeting.match_id, 0) + 1
    cards = []
    for pair in pairs:
        partner = pair.partner_of(viewer)
        meeting = upcoming.get(pair.match.pk)
        cards.append(
            PairCard(
                pair=pair,
                partner=partner,
                role=pair.role_of(viewer) or "",
                next_meeting=display.times_line(
                    meeting.starts_at, clocks_for(viewer, [partner])
                )
                + f" · {display.date_line(meeting.starts_at, viewer.time_zone)}"
                if meeting
                else "",
                waiting=waiting.get(pair.match.pk, 0),
                title=pair.match.member_organization.name
                if pair.match.member_organization and pair.role_of(viewer) == "mentor"
                else str(partner.user),
            )
        )
    return cards
