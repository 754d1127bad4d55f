"""Goals and milestones of a pair, and the short updates they post between meetings.

Either person sets a goal and comments on it; the mentee moves its progress and
milestones. Every change is a ``GoalEvent`` for the timeline. A goal that
reaches 100 % and a milestone ticked off are celebrated: both people get an
in-app note through the outbox, once per goal or milestone (the dedupe key names
it, so reopening and finishing again sends nothing more); reports list them as
highlights (reporting reads the timeline).

Updates are a way to meet (``checkins.rhythm``): each update or reply, and each
comment on a goal, goes to the partner as an item of their daily digest (through
the outbox, once per update and person), linking to it on the pair's page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from checkins.models import AsyncUpdate, Goal, GoalEvent, Milestone, PairRhythm
from checkins.selectors.access import Pair
from checkins.services.text import clean_html, excerpt
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notification_create
from programs.models import ProgramObjective

Kind = GoalEvent.Kind


def _require_role(pair: Pair, by: User, *roles: str) -> None:
    if pair.role_of(by) not in roles:
        raise PermissionDenied(
            "Only the mentee can do that."
            if roles == ("mentee",)
            else "Only the mentor can do that."
            if roles == ("mentor",)
            else "Only the people in this pair can do that."
        )
    if not pair.is_active:
        raise ValidationError("This pair is no longer active.")


def _require_goal_of(pair: Pair, goal: Goal) -> None:
    if goal.match_id != pair.match.pk:
        raise PermissionDenied("This goal belongs to another pair.")


def _tell_partner(
    pair: Pair, by: User, *, kind: str, key: str, subject: str, body: str, link: str
) -> None:
    """One digest item for ``by``'s partner (in an engagement: everyone else in it),
    once per ``key`` and person."""
    for partner in pair.others_of(by):
        notification_create(
            recipient=partner.user,
            kind=kind,
            dedupe_key=f"{key}:{partner.user.pk}",
            subject=subject,
            body=body,
            link=link,
            channel=Notification.Channel.DIGEST,
            working_days=partner.working_days,
        )


def _celebrate(pair: Pair, *, key: str, subject: str, body: str) -> None:
    """An in-app note to both people of the pair, once per ``key`` and person."""
    link = reverse("checkins:pair-detail", args=[pair.match.pk])
    for attendee in pair.attendees:
        notification_create(
            recipient=attendee.user,
            kind="goal-celebration",
            dedupe_key=f"{key}:{attendee.user.pk}",
            subject=subject,
            body=body,
            link=link,
            channel=Notification.Channel.IN_APP,
        )


@transaction.atomic
def goal_create(
    *,
    pair: Pair,
    by: User,
    title: str,
    description: str = "",
    objective: ProgramObjective | None = None,
) -> Goal:
    """Set a goal for the pair, tied to one of the program's objectives."""
    _require_role(pair, by, "mentor", "mentee")
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Give the goal a name."})
    if objective is not None and objective.program_id != pair.match.program_id:
        raise ValidationError({"objective": "Pick one of this program's objectives."})
    goal = Goal.objects.create(
        match=pair.match,
        objective=objective,
        title=title[:200],
        description=description.strip()[:2000],
        created_by=by,
    )
    GoalEvent.objects.create(goal=goal, author=by, kind=Kind.CREATED, progress=0)
    return goal


@transaction.atomic
def goal_progress_set(*, pair: Pair, goal: Goal, by: User, progress: int) -> Goal:
    """The mentee moves a goal's progress (0–100)."""
    _require_role(pair, by, "mentee")
    _require_goal_of(pair, goal)
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "Progress is between 0 and 100."})
    if progress != goal.progress:
        goal.progress = progress
        goal.save(update_fields=["progress", "updated_at"])
        GoalEvent.objects.create(
            goal=goal, author=by, kind=Kind.PROGRESS, progress=progress
        )
        if progress == 100:
            _celebrate(
                pair,
                key=f"goal-reached:{goal.pk}",
                subject=f"Goal reached: {goal.title}",
                body=f"{pair.mentee.greeting_name} and {pair.mentor.greeting_name} reached "
                f"“{goal.title}”. Well done!",
            )
    return goal


@transaction.atomic
def milestone_add(*, pair: Pair, goal: Goal, by: User, title: str) -> Milestone:
    _require_role(pair, by, "mentee")
    _require_goal_of(pair, goal)
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Name the milestone."})
    milestone = Milestone.objects.create(goal=goal, title=title[:200])
    GoalEvent.objects.create(
        goal=goal, author=by, kind=Kind.MILESTONE_ADDED, text=milestone.title
    )
    return milestone


@transaction.atomic
def milestone_toggle(*, pair: Pair, milestone: Milestone, by: User) -> Milestone:
    """The mentee ticks a milestone off, or reopens it."""
    _require_role(pair, by, "mentee")
    _require_goal_of(pair, milestone.goal)
    milestone.is_done = not milestone.is_done
    milestone.done_at = timezone.now() if milestone.is_done else None
    milestone.save(update_fields=["is_done", "done_at"])
    GoalEvent.objects.create(
        goal=milestone.goal,
        author=by,
        kind=Kind.MILESTONE_DONE if milestone.is_done else Kind.MILESTONE_REOPENED,
        text=milestone.title,
    )
    if milestone.is_done:
        _celebrate(
            pair,
            key=f"milestone-done:{milestone.pk}",
            subject=f"Milestone reached: {milestone.title}",
            body=f"“{milestone.title}” is done, on the way to “{milestone.goal.title}”.",
        )
    return milestone


@transaction.atomic
def goal_comment(*, pair: Pair, goal: Goal, by: User, text: str) -> GoalEvent:
    """Either person comments on a goal (shown to the pair); the partner gets a
    digest item."""
    _require_role(pair, by, "mentor", "mentee")
    _require_goal_of(pair, goal)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write a comment."})
    event = GoalEvent.objects.create(
        goal=goal, author=by, kind=Kind.COMMENT, text=text[:2000]
    )
    _tell_partner(
        pair,
        by,
        kind="goal-comment",
        key=f"goal-comment:{event.pk}",
        subject=f"{by.greeting_name} commented on “{goal.title}”",
        body=excerpt(text),
        link=reverse("checkins:pair-detail", args=[pair.match.pk]) + f"#goal-{goal.pk}",
    )
    return event


@transaction.atomic
def async_update_post(
    *, pair: Pair, by: User, body: str, reply_to: AsyncUpdate | None = None
) -> AsyncUpdate:
    """A short update between meetings (or a reply to one), cleaned HTML, shown to
    the pair. It counts as a touchpoint (health, nudges); the partner gets it as a
    digest item."""
    _require_role(pair, by, "mentor", "mentee")
    if reply_to is not None:
        if reply_to.match_id != pair.match.pk:
            raise PermissionDenied("This update belongs to another pair.")
        # Replies hang under the update they answer: one level, like a thread.
        if reply_to.reply_to_id is not None:
            reply_to = reply_to.reply_to
    cleaned = clean_html(body)
    if not cleaned:
        raise ValidationError({"body": "Write something first."})
    if len(cleaned) > 4000:
        raise ValidationError({"body": "Keep updates short (about 3,000 characters)."})
    update = AsyncUpdate.objects.create(
        match=pair.match, author=by, body=cleaned, reply_to=reply_to
    )
    thread = reply_to or update
    _tell_partner(
        pair,
        by,
        kind="pair-update",
        key=f"pair-update:{update.pk}",
        subject=f"{by.greeting_name} replied to an update"
        if reply_to
        else f"{by.greeting_name} posted an update",
        body=excerpt(cleaned),
        link=reverse("checkins:pair-detail", args=[pair.match.pk])
        + f"#update-{thread.pk}",
    )
    return update


MAX_UPDATE_CADENCE_DAYS = 90


@transaction.atomic
def pair_rhythm_set(
    *, pair: Pair, by: User, update_cadence_days: int | None
) -> PairRhythm:
    """Either person sets how the pair keeps in touch in writing ("an update every
    N days"; None: the program's rhythm). Health and nudges honour it."""
    _require_role(pair, by, "mentor", "mentee")
    if update_cadence_days is not None and not (
        1 <= update_cadence_days <= MAX_UPDATE_CADENCE_DAYS
    ):
        raise ValidationError(
            {"update_cadence_days": f"Between 1 and {MAX_UPDATE_CADENCE_DAYS} days."}
        )
    rhythm, _ = PairRhythm.objects.update_or_create(
        match=pair.match,
        defaults={"update_cadence_days": update_cadence_days, "updated_by": by},
    )
    return rhythm
