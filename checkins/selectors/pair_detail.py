"""What the pair page (/pairs/<id>/) shows, per viewer: the meetings by state,
proposed slots, goals, health and the timeline (the goals and the timeline are
built in ``checkins.selectors.pair_timeline``).

An engagement's page (a mentor and a member organization's team) is the same page
for the mentor and every active member: team meetings with each invitee's answer,
slots that fit the whole team, the organization's goals and its local-context
brief (prominent before the first meeting is held, one click away after).

Every time is given in the viewer's zone and the other people's. What the pair
wrote to each other (shared notes, action items, updates, comments) is only ever
put in ``body`` fields when the viewer is one of the two; a private note is only
ever fetched with ``author=viewer``.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.safestring import SafeString

from checkins import display, timezones
from checkins.models import (
    Meeting,
    MeetingInvitee,
    MeetingLog,
    PrivateNote,
    Pulse,
)
from checkins.selectors.access import Attendee, Pair
from checkins.selectors.health import HealthRow, pair_health
from checkins.selectors.pages import (
    MeetingView,
    _meeting_view,
    author_names,
    clocks_for,
)
from checkins.selectors.pair_timeline import GoalView, TimelineEntry, _goals, _timeline
from members.selectors import member_organization_brief
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.markdown import markdown_text
from programs.models import ProgramObjective

SLOT_LIMIT = 8
SLOT_LEAD = datetime.timedelta(hours=2)


@dataclass(frozen=True)
class SlotView:
    start: datetime.datetime
    line: str
    day: str
    labels: tuple[str, ...]
    inside_both: bool

    @property
    def value(self) -> str:
        return self.start.isoformat()


@dataclass
class PairPage:
    pair: Pair
    role: str
    viewer: User
    clocks: list[display.Clock]
    is_member: bool
    overlap_minutes: int = 0
    slots: list[SlotView] = field(default_factory=list)
    has_overlap: bool = True
    awaiting_me: list[MeetingView] = field(default_factory=list)
    awaiting_partner: list[MeetingView] = field(default_factory=list)
    upcoming: list[MeetingView] = field(default_factory=list)
    to_log: list[MeetingView] = field(default_factory=list)
    goals: list[GoalView] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    objectives: list[ProgramObjective] = field(default_factory=list)
    health: HealthRow | None = None
    next_due: str = ""
    is_overdue: bool = False
    partner: Attendee | None = None
    # The pair's own written rhythm (None: the program's, if any).
    own_update_days: int | None = None
    # An engagement: the organization's brief as (heading, HTML), shown up front
    # until a meeting has been held; the first meeting's suggested agenda.
    brief: list[tuple[str, SafeString]] = field(default_factory=list)
    brief_first: bool = False
    first_agenda: str = ""

    @property
    def is_engagement(self) -> bool:
        return self.pair.is_engagement

    @property
    def counterpart(self) -> str:
        """Who the viewer works with: the organization for an engagement's
        mentor, else the partner (the mentor, for someone on the team)."""
        organization = self.pair.match.member_organization
        if organization is not None and self.role == "mentor":
            return organization.name
        return str(self.partner.user) if self.partner else ""

    @property
    def invitee_names(self) -> str:
        """ "Amina, Karim and Sara": who a proposal from the viewer invites."""
        names = [other.greeting_name for other in self.pair.others_of(self.viewer)]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def goals_title(self) -> str:
        """ "Goals", or "Sahel Chamber's goals" on an engagement."""
        organization = self.pair.match.member_organization
        return f"{organization.name}'s goals" if organization else "Goals"

    @property
    def overlap_text(self) -> str:
        """ "17 h 30 min": the same words as the match card (localtime.hours_text)."""
        return localtime.hours_text(datetime.timedelta(minutes=self.overlap_minutes))

    @property
    def clocks_now(self) -> list[tuple[str, str, str]]:
        """(who, their time now, their place) for the local-times card."""
        now = timezone.now()
        return [
            (
                clock.label[:1].upper() + clock.label[1:],
                display.local(now, clock.zone).strftime("%a %H:%M"),
                display.place(clock.zone),
            )
            for clock in self.clocks
        ]


def _slot_views(pair: Pair, viewer: User, now: datetime.datetime, minutes: int):
    me = pair.attendee_of(viewer)
    others = list(pair.others_of(viewer))
    clocks = clocks_for(viewer, others)
    slots = timezones.propose_team_slots(
        [me.working_pattern(), *(other.working_pattern() for other in others)],
        after=now + SLOT_LEAD,
        weeks=2,
        duration=datetime.timedelta(minutes=minutes),
        limit=SLOT_LIMIT,
    )

    def labels(slot: timezones.Slot) -> tuple[str, ...]:
        if not pair.is_engagement:
            return tuple(display.outside_label(out, clocks) for out in slot.outside)
        # A team: one label per person, with their local times and place.
        return tuple(
            dict.fromkeys(
                display.outside_hours_label(out, clocks, slot.start, slot.end)
                for out in slot.outside
            )
        )

    return [
        SlotView(
            start=slot.start,
            line=display.times_line(slot.start, clocks),
            day=display.date_line(slot.start, viewer.time_zone),
            labels=labels(slot),
            inside_both=slot.inside_both,
        )
        for slot in slots
    ]


def _team_answers(
    pair: Pair, viewer: User, views: dict[int, MeetingView], names: dict[int, str]
) -> set[int]:
    """Put each invitee's answer on the views of the engagement's proposed and
    declined meetings (one query); the ids of the meetings awaiting the viewer."""
    awaiting: set[int] = set()
    if not pair.is_engagement:
        return awaiting
    invitees = MeetingInvitee.objects.filter(
        meeting__match=pair.match, meeting__status__in=("proposed", "declined")
    ).order_by("meeting_id", "id")
    answers: dict[int, list[tuple[str, str]]] = {}
    declined: dict[int, str] = {}
    for invitee in invitees:
        if invitee.user_id not in names:
            continue  # left the team: no longer holds the meeting up
        who = "You" if invitee.user_id == viewer.pk else names[invitee.user_id]
        answers.setdefault(invitee.meeting_id, []).append(
            (who, invitee.get_answer_display())
        )
        if invitee.answer == MeetingInvitee.Answer.DECLINED:
            declined[invitee.meeting_id] = who
        if invitee.user_id == viewer.pk and invitee.answer == "pending":
            awaiting.add(invitee.meeting_id)
    for meeting_id, view in views.items():
        if meeting_id in answers:
            views[meeting_id] = dataclasses.replace(
                view,
                answers=tuple(answers[meeting_id]),
                declined_by=declined.get(meeting_id, ""),
                can_answer=view.can_answer and meeting_id in awaiting,
            )
        elif view.can_answer:
            views[meeting_id] = dataclasses.replace(view, can_answer=False)
    return awaiting


def _weekly_overlap_minutes(pair: Pair, now: datetime.datetime) -> int:
    # The week the match card and the engine use: one figure everywhere.
    overlap = timezones.weekly_overlap(
        pair.mentor.working_pattern(),
        pair.mentee.working_pattern(),
        localtime.overlap_week(now),
    )
    return int(overlap.total_seconds() // 60)


def pair_page(*, pair: Pair, role: str, viewer: User) -> PairPage:
    """Everything on /pairs/<id>/ for this viewer (about a dozen queries)."""
    now = timezone.now()
    is_member = role in ("mentor", "mentee")
    match = pair.match
    names = {a.user.pk: a.greeting_name for a in pair.attendees}
    # Authors include people who left the team: their words stay theirs.
    authors = author_names(pair)
    page = PairPage(
        pair=pair,
        role=role,
        viewer=viewer,
        clocks=clocks_for(viewer, list(pair.attendees)),
        is_member=is_member,
        partner=pair.partner_of(viewer) if is_member else None,
        overlap_minutes=_weekly_overlap_minutes(pair, now),
    )
    meetings = list(Meeting.objects.filter(match=match).order_by("starts_at", "id"))
    logs = list(
        MeetingLog.objects.filter(meeting__match=match).order_by("created_at", "id")
    )
    pulses = list(Pulse.objects.filter(meeting__match=match).order_by("created_at"))
    private = (
        {
            note.meeting_id: note.body
            for note in PrivateNote.objects.filter(meeting__match=match, author=viewer)
        }
        if is_member
        else {}
    )
    logged = {log.meeting_id for log in logs if log.author_id == viewer.pk}
    pulsed = {pulse.meeting_id for pulse in pulses if pulse.author_id == viewer.pk}
    view_of = {
        meeting.pk: _meeting_view(
            meeting,
            viewer=viewer,
            clocks=page.clocks,
            names=authors,
            logged=logged,
            pulsed=pulsed,
            is_member=is_member,
            now=now,
        )
        for meeting in meetings
    }
    awaiting = _team_answers(pair, viewer, view_of, names)
    for meeting in meetings:
        view = view_of[meeting.pk]
        if meeting.status == "proposed" and meeting.starts_at > now:
            waiting_on_me = is_member and not view.is_mine
            if pair.is_engagement:
                waiting_on_me = meeting.pk in awaiting
            (page.awaiting_me if waiting_on_me else page.awaiting_partner).append(view)
        elif meeting.status == "confirmed" and meeting.starts_at > now:
            page.upcoming.append(view)
        elif (
            is_member
            and view.can_log
            and (
                not view.has_logged
                or (meeting.status == "held" and not view.has_pulsed)
            )
        ):
            page.to_log.append(view)
    page.to_log.reverse()
    if is_member and pair.is_active:
        page.slots = _slot_views(
            pair, viewer, now, match.program.meeting_length_minutes
        )
        page.has_overlap = any(slot.inside_both for slot in page.slots)
    page.own_update_days = (
        match.rhythm.update_cadence_days if hasattr(match, "rhythm") else None
    )
    organization = match.member_organization
    if organization is not None:
        page.brief = member_organization_brief(member_organization=organization)
        first = not any(meeting.status == "held" for meeting in meetings)
        # The team wrote the brief: up front for the mentor, one click for them.
        page.brief_first = first and role == "mentor"
        if first and organization.context_needs.strip():
            # the agenda is plain text: the brief's Markdown markers dropped
            page.first_agenda = markdown_text(organization.context_needs)[:2000]
    page.health = pair_health(match=match, now=now)
    if page.health is not None:
        page.next_due = display.date_line(page.health.next_due, viewer.time_zone)
        page.is_overdue = page.health.next_due < now
    page.goals, goal_entries = _goals(pair, viewer, is_member, authors)
    page.objectives = list(match.program.objectives.all()) if is_member else []
    page.timeline = _timeline(
        pair=pair,
        viewer=viewer,
        is_member=is_member,
        names=authors,
        meetings=meetings,
        views=view_of,
        logs=logs,
        pulses=pulses,
        private=private,
        goal_entries=goal_entries,
    )
    return page
