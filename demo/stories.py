"""Meridian's story, told by the real services run "as of" its past days: matching,
answers, meetings held, logged and rated, goals, and a meeting next week.

The dates and pair stories are data in demo/data/stories.py.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from checkins import timezones
from checkins.models import Meeting
from checkins.selectors import Pair, pair_of, pair_queryset
from checkins.services import (
    async_update_post,
    goal_comment,
    goal_create,
    goal_progress_set,
    meeting_accept,
    meeting_log_save,
    meeting_propose,
    milestone_add,
    milestone_toggle,
    pulse_submit,
)
from checkins.services.logs import LogEntry
from checkins.services.meetings import MeetingDetails
from demo.clock import clock
from demo.data.programs import PROGRAMS
from demo.data.stories import (
    DEFAULT_PAIR_STORY,
    MATCHING_STARTS_DAYS_AGO,
    MINH,
    ONLINE_LINK,
    PAIR_STORIES,
    PROGRAM_STARTS_DAYS_AGO,
    PUBLISHED_DAYS_AGO,
    RUN_DAYS_AGO,
    HeldMeeting,
)
from demo.surveys import meridian_success_stories, meridian_surveys
from matching.models import Match, MatchRun
from matching.services import match_accept, match_run_publish, match_run_start
from mentorship.accounts.models import User
from mentorship.notifications.services import notifications_record_sent
from programs.models import Program
from programs.services import program_transition


def meridian_story(users: dict[str, User], *, now: datetime) -> list[str]:
    """Match Meridian's program and give its pairs a history; once per program."""
    program = Program.objects.get(name=PROGRAMS["meridian"]["fields"]["name"])
    if (
        program.status != Program.Status.ENROLLING
        or MatchRun.objects.filter(program=program).exists()
    ):
        return []  # told by an earlier seed, or someone has moved the program on

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    coordinator = users["coordinator@meridian.example"]
    with clock(days_ago(MATCHING_STARTS_DAYS_AGO)):
        program = program_transition(
            program=program, to=Program.Status.MATCHING, by=coordinator
        )
    with clock(days_ago(RUN_DAYS_AGO)):
        run = match_run_start(program=program, by=coordinator)
    with clock(days_ago(PUBLISHED_DAYS_AGO)):
        run = match_run_publish(run=run, by=coordinator)
    _answers(run, now=now)
    with clock(days_ago(PROGRAM_STARTS_DAYS_AGO)):
        program = program_transition(
            program=program, to=Program.Status.ACTIVE, by=coordinator
        )
    created = [f"matching run {run.pk} of {program.name}, published"]
    pairs = [
        pair_of(match)
        for match in pair_queryset()
        .filter(run=run, status=Match.Status.ACTIVE)
        .order_by("pk")
    ]
    for pair in pairs:
        story = PAIR_STORIES.get(pair.mentee.user.email, DEFAULT_PAIR_STORY)
        for held in story.meetings:
            meeting = held_meeting(
                pair, held, now=now, minutes=program.meeting_length_minutes
            )
            created.append(f"held {meeting}")
        if story.goal is not None:
            title, progress = story.goal
            first_meeting = story.meetings[0].days_ago
            with clock(days_ago(first_meeting - 1)):
                goal = goal_create(pair=pair, by=pair.mentee.user, title=title)
            with clock(days_ago(3)):
                goal_progress_set(
                    pair=pair, goal=goal, by=pair.mentee.user, progress=progress
                )
            created.append(f"goal {goal}")
        if pair.mentee.user.email == MINH:
            created.extend(_minh_goal_and_next_meeting(pair, program=program, now=now))
    created.extend(meridian_surveys(program, coordinator, pairs, now=now))
    created.extend(meridian_success_stories(program, coordinator, pairs, now=now))
    _outbox_settle(now=now)
    return created


def _outbox_settle(*, now: datetime) -> None:
    """Record the story's emails and digest items as sent when they fell due.

    They belong to its past: delivering them now would mail dozens of stale match
    notices and invitations on the demo's first start. Reminders still ahead (next
    week's meeting) stay scheduled and go out for real; the tasks enqueued for
    these rows on commit find them sent and skip them.
    """
    notifications_record_sent(due_by=now)


def _answers(run: MatchRun, *, now: datetime) -> None:
    """Both sides accept each proposal on their story's days, oldest answer first."""
    answers = []
    for match in pair_queryset().filter(run=run).order_by("pk"):
        story = PAIR_STORIES.get(
            match.mentee.participant.user.email, DEFAULT_PAIR_STORY
        )
        if story.accepted_days_ago is None:
            continue
        mentee_days, mentor_days = story.accepted_days_ago
        answers.append((mentee_days, match, match.mentee.participant.user))
        answers.append((mentor_days, match, match.mentor.participant.user))
    for days, match, person in sorted(answers, key=lambda a: (-a[0], a[1].pk)):
        with clock(now - timedelta(days=days)):
            match_accept(match=match, by=person)


def _first_slot(pair: Pair, *, after: datetime, minutes: int) -> datetime:
    """The earliest time from the pair page's suggestions (checkins.timezones)."""
    slots = timezones.propose_slots(
        pair.mentor.working_pattern(),
        pair.mentee.working_pattern(),
        after=after,
        weeks=1,
        duration=timedelta(minutes=minutes),
    )
    return slots[0].start


def held_meeting(
    pair: Pair, held: HeldMeeting, *, now: datetime, minutes: int
) -> Meeting:
    """A meeting the pair held ``held.days_ago`` days ago at the first slot that
    suits both, proposed, accepted, logged and rated by both (the services, "as of"
    those days)."""
    starts_at = _first_slot(
        pair, after=now - timedelta(days=held.days_ago), minutes=minutes
    )
    ends_at = starts_at + timedelta(minutes=minutes)
    if ends_at + timedelta(hours=3) > now:
        raise ValueError(f"A held meeting must be over by now: {held}")
    mentor, mentee = pair.mentor.user, pair.mentee.user
    details = MeetingDetails(
        duration_minutes=minutes, agenda=held.topics, online_link=ONLINE_LINK
    )
    with clock(starts_at - timedelta(days=3)):
        meeting = meeting_propose(
            pair=pair, by=mentor, starts_at=starts_at, details=details
        )
    # Confirmed within the hour before: no reminder falls due after that, so the
    # outbox is left nothing to send about a meeting long past.
    with clock(starts_at - timedelta(minutes=50)):
        # A pair's partner answers; an engagement's meeting waits for every member.
        for invitee in pair.others_of(mentor):
            meeting_accept(meeting=meeting, pair=pair, by=invitee.user)
    for person, after, usefulness in (
        (mentee, timedelta(hours=1), held.pulses[0]),
        (mentor, timedelta(hours=3), held.pulses[1]),
    ):
        with clock(ends_at + after):
            meeting_log_save(
                meeting=meeting,
                owner=pair,
                by=person,
                entry=LogEntry(
                    happened=True,
                    duration_minutes=minutes,
                    topics=held.topics,
                    shared_notes=held.notes if person == mentee else "",
                    action_items=held.action_items if person == mentee else "",
                    private_note=(
                        f"Ask {mentor.greeting_name} how they prepare for reviews "
                        "with senior staff."
                        if person == mentee and pair.mentee.user.email == MINH
                        else ""
                    ),
                ),
            )
            pulse_submit(
                meeting=meeting,
                pair=pair,
                by=person,
                usefulness=usefulness,
                for_coordinator=held.mentee_says if person == mentee else "",
            )
    return meeting


def _minh_goal_and_next_meeting(
    pair: Pair, *, program: Program, now: datetime
) -> list[str]:
    """A goal with milestones and progress, updates between meetings, and a meeting
    confirmed for next week at the first time that suits both."""
    minh, mentor = pair.mentee.user, pair.mentor.user

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    with clock(days_ago(9)):
        goal = goal_create(
            pair=pair,
            by=minh,
            title="Lead the design review of payment retries",
            description="Own the design doc and run the review with the payments "
            "and platform leads.",
            objective=program.objectives.order_by("order", "id").first(),
        )
        draft = milestone_add(
            pair=pair, goal=goal, by=minh, title="Draft the design doc"
        )
        milestone_add(
            pair=pair,
            goal=goal,
            by=minh,
            title=f"Walk {mentor.greeting_name} through it",
        )
        milestone_add(pair=pair, goal=goal, by=minh, title="Run the design review")
    with clock(days_ago(6)):
        async_update_post(
            pair=pair,
            by=mentor,
            body="<p>The talk on idempotency keys I mentioned is in the platform "
            "wiki under <em>Payments reliability</em>. Worth 20 minutes before you "
            "write the failure-modes section.</p>",
        )
    with clock(days_ago(4)):
        milestone_toggle(pair=pair, milestone=draft, by=minh)
        goal_progress_set(pair=pair, goal=goal, by=minh, progress=40)
        async_update_post(
            pair=pair,
            by=minh,
            body="<p>First draft of the design doc is done and shared with you. "
            "The retry budget section still needs numbers.</p>",
        )
    with clock(days_ago(3)):
        goal_comment(
            pair=pair,
            goal=goal,
            by=mentor,
            text="Good first draft. Lead with the failure modes; that is what the "
            "reviewers will ask about first.",
        )
    today = now.astimezone(ZoneInfo(minh.time_zone)).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    starts_at = _first_slot(
        pair,
        after=timezones.local_instant(minh.time_zone, next_monday, time(0, 0)),
        minutes=program.meeting_length_minutes,
    )
    details = MeetingDetails(
        duration_minutes=program.meeting_length_minutes,
        agenda="Walk through the design doc draft; plan the review.",
        online_link=ONLINE_LINK,
    )
    with clock(now - timedelta(days=1)):
        meeting = meeting_propose(
            pair=pair, by=minh, starts_at=starts_at, details=details
        )
    with clock(now - timedelta(hours=2)):
        meeting_accept(meeting=meeting, pair=pair, by=mentor)
    return [f"goal {goal}", f"upcoming {meeting}"]
