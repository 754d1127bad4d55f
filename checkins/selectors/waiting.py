"""What waits for a person on their portal home: meeting requests to answer, meetings
to log or rate, and the next meeting, in both people's zones. Four queries, whatever
the number of pairs or meetings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from checkins import display
from checkins.models import Meeting, MeetingInvitee, MeetingLog, Pulse
from checkins.selectors.access import Attendee, Pair, pair_list_for_participant
from checkins.selectors.pages import clocks_for
from mentorship.accounts.models import User

#: Meetings older than this are no longer asked to be logged on the home page.
OWED_WINDOW = datetime.timedelta(days=30)


@dataclass(frozen=True)
class WaitingMeeting:
    meeting: Meeting
    pair: Pair
    partner: Attendee
    times: str  # "Tue 14:00 for you · 21:00 for Minh"
    date: str  # on the viewer's calendar
    needs_log: bool = False
    needs_pulse: bool = False


@dataclass(frozen=True)
class Waiting:
    requests: list[WaitingMeeting]  # proposed by the partner, for me to answer
    owed: list[WaitingMeeting]  # held (or due to be), not logged or rated by me
    next_meetings: list[WaitingMeeting]  # the next confirmed one of each pair

    @property
    def is_empty(self) -> bool:
        return not (self.requests or self.owed or self.next_meetings)


def waiting_for_participant(*, user: User) -> Waiting:
    """Everything that waits for ``user`` in their pairs, oldest request first."""
    now = timezone.now()
    pairs = {pair.match.pk: pair for pair in pair_list_for_participant(user=user)}
    if not pairs:
        return Waiting([], [], [])
    meetings = (
        Meeting.objects.filter(
            match_id__in=pairs,
            status__in=Meeting.OPEN,
            starts_at__gt=now - OWED_WINDOW,
        )
        .annotate(
            logged=Exists(
                MeetingLog.objects.filter(meeting=OuterRef("pk"), author=user)
            ),
            rated=Exists(Pulse.objects.filter(meeting=OuterRef("pk"), author=user)),
            # A team meeting waits for the user only while their answer is pending.
            awaits_me=Exists(
                MeetingInvitee.objects.filter(
                    meeting=OuterRef("pk"), user=user, answer="pending"
                )
            ),
        )
        .order_by("starts_at")
    )
    requests, owed, next_meetings, seen = [], [], [], set()
    for meeting in meetings:
        pair = pairs[meeting.match_id]  # type: ignore[index]
        partner = pair.partner_of(user)

        def entry(meeting=meeting, pair=pair, partner=partner, **owing):
            return WaitingMeeting(
                meeting=meeting,
                pair=pair,
                partner=partner,
                times=display.times_line(
                    meeting.starts_at, clocks_for(user, [partner])
                ),
                date=display.date_line(meeting.starts_at, user.time_zone),
                **owing,
            )

        if meeting.starts_at <= now:
            if meeting.status == Meeting.Status.CONFIRMED and not (
                meeting.logged and meeting.rated
            ):
                owed.append(
                    entry(needs_log=not meeting.logged, needs_pulse=not meeting.rated)
                )
        elif meeting.status == Meeting.Status.PROPOSED:
            if pair.is_engagement and meeting.awaits_me:
                proposer = next(
                    (a for a in pair.attendees if a.user.pk == meeting.proposed_by_id),
                    partner,
                )
                requests.append(entry(partner=proposer))
            elif not pair.is_engagement and meeting.proposed_by_id != user.pk:
                requests.append(entry())
        elif meeting.match_id not in seen:
            seen.add(meeting.match_id)
            next_meetings.append(entry())
    return Waiting(requests, owed, next_meetings)
