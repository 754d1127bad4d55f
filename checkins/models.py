"""Meetings, their logs, goals, async updates and the relationship pulse.

Every instant is UTC. Who may see what (services and selectors enforce it):

- the pair sees meetings, logs (shared notes, action items), goals, updates;
- a ``PrivateNote`` is read by its author alone: no selector returns another
  person's, it is not registered in the admin, it never goes into a notification;
- coordinators and HR admins see that things happened and the numbers (meeting
  times, log metadata, goal progress, pulses), never what the pair wrote to each
  other nor anyone's private notes;
- a ``Pulse`` is for the coordinator: its author and the coordinators read it, the
  partner does not.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from matching.models import Circle, Match
from mentorship.fields import SingleLineCharField
from programs.models import ProgramObjective


class Meeting(models.Model):
    """A meeting of a pair (``match``) or of a circle (``circle``): exactly one."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"
        MISSED = "missed", "Didn't happen"

    # Statuses that still block the calendar or wait for an answer.
    OPEN = ("proposed", "confirmed")

    match = models.ForeignKey(
        Match,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    circle = models.ForeignKey(
        Circle,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meetings",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    agenda = models.TextField(blank=True, max_length=2000)
    online_link = models.URLField(blank=True, max_length=500)
    location = SingleLineCharField(blank=True, max_length=200)
    status = models.CharField(max_length=10, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # A counter-proposal points at the proposal it answered.
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    # iCalendar SEQUENCE: 0 when first confirmed, +1 on every change sent after.
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(match__isnull=False, circle__isnull=True)
                | Q(match__isnull=True, circle__isnull=False),
                name="meeting_pair_or_circle",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480),
                name="meeting_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "proposed",
                        "confirmed",
                        "declined",
                        "cancelled",
                        "held",
                        "missed",
                    ]
                ),
                name="meeting_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["match", "status", "starts_at"], name="meeting_match_idx"
            ),
            models.Index(
                fields=["circle", "status", "starts_at"], name="meeting_circle_idx"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Meeting {self.pk} at {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"
        )

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)


class MeetingLog(models.Model):
    """One person's account of a meeting; shared with the pair (never private text)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="logs")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    happened = models.BooleanField()
    duration_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    topics = SingleLineCharField(max_length=300, blank=True)
    # Cleaned HTML (services.clean_html): safe to render with |safe.
    shared_notes = models.TextField(blank=True)
    # The Markdown as typed, so editing shows what was written (not the HTML).
    shared_notes_source = models.TextField(blank=True, max_length=10000)
    action_items = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="meeting_log_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__isnull=True)
                | Q(duration_minutes__lte=600),
                name="meeting_log_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Log of meeting {self.meeting_id} by {self.author_id}"


class PrivateNote(models.Model):
    """Notes only their author ever reads. Deliberately not in the admin."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="private_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="private_note_once_per_person"
            )
        ]

    def __str__(self) -> str:
        # Never the body: this string shows up in logs, the shell and admin history.
        return f"Private note {self.pk}"


class Pulse(models.Model):
    """A short relationship-health answer after a meeting, for the coordinator."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="pulses"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    usefulness = models.PositiveSmallIntegerField()
    for_coordinator = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="pulse_once_per_meeting_per_person"
            ),
            models.CheckConstraint(
                condition=Q(usefulness__gte=1, usefulness__lte=5),
                name="pulse_usefulness_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse {self.usefulness}/5 on meeting {self.meeting_id}"


class Goal(models.Model):
    """What the mentee works towards in a pair, tied to one of the program's aims."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    objective = models.ForeignKey(
        ProgramObjective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )
    title = SingleLineCharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    progress = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="goal_progress_0_to_100"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="milestones")
    title = SingleLineCharField(max_length=200)
    is_done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class GoalEvent(models.Model):
    """A change to a goal, for the timeline: created, progress, milestone, comment."""

    class Kind(models.TextChoices):
        CREATED = "created", "Goal set"
        PROGRESS = "progress", "Progress updated"
        MILESTONE_ADDED = "milestone_added", "Milestone added"
        MILESTONE_DONE = "milestone_done", "Milestone reached"
        MILESTONE_REOPENED = "milestone_reopened", "Milestone reopened"
        COMMENT = "comment", "Comment"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="events")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    # Milestone title, or the comment (plain text, shown to the pair only).
    text = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on goal {self.goal_id}"


class AsyncUpdate(models.Model):
    """A short written update between meetings, shared with the pair."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Cleaned HTML (services.clean_html).
    body = models.TextField(max_length=4000)
    # A reply answers one update (replies are not themselves replied to).
    reply_to = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["match", "created_at"], name="async_update_match_idx")
        ]

    def __str__(self) -> str:
        return f"Update {self.pk} in match {self.match_id}"


class PairRhythm(models.Model):
    """How a pair keeps in touch in writing: "an update every N days".

    Set by either person of the pair; overrides the program's
    ``update_cadence_days``. Health and nudges honour it: a pair that writes on
    this rhythm is in touch, whether or not it meets.
    """

    match = models.OneToOneField(Match, on_delete=models.CASCADE, related_name="rhythm")
    # None: no written rhythm of its own (the program's applies, if any).
    update_cadence_days = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(update_cadence_days__isnull=True)
                | Q(update_cadence_days__gte=1, update_cadence_days__lte=90),
                name="pair_rhythm_cadence_range",
            )
        ]

    def __str__(self) -> str:
        return f"Rhythm of match {self.match_id}"


class MeetingFeedback(models.Model):
    """What one person tells their partner after a meeting: what worked, what to
    try next time. For the partner only: not the coordinators, not the admin, not
    the pulse (which is for the coordinator)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    worked = models.TextField(blank=True, max_length=2000)
    try_next = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "author"], name="meeting_feedback_once_per_person"
            )
        ]

    def __str__(self) -> str:
        # Never the text: this string shows up in logs and admin history.
        return f"Feedback {self.pk} on meeting {self.meeting_id}"


class ActionItem(models.Model):
    """One line of a meeting log's action items, as a checklist entry. Open items
    are carried to the pair's (or circle's) next meetings until someone ticks them."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="action_list"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = SingleLineCharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    is_done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "author", "position", "id"]

    def __str__(self) -> str:
        return f"Action item {self.pk} of meeting {self.meeting_id}"


class CoordinatorCheckIn(models.Model):
    """A coordinator's record of a check-in with a pair (a call, a chat).

    Coordinators and HR admins only: never shown to the pair, never in their
    notifications or exports of their data.
    """

    class Outcome(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        SOME_CONCERNS = "some_concerns", "Some concerns"
        NEEDS_SUPPORT = "needs_support", "Needs support"

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="coordinator_checkins"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=Outcome)
    how_it_went = models.TextField(blank=True, max_length=2000)
    follow_up = models.TextField(blank=True, max_length=2000)
    follow_up_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=["on_track", "some_concerns", "needs_support"]),
                name="coordinator_checkin_outcome_valid",
            ),
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=models.F("held_on")),
                name="coordinator_checkin_follow_up_after",
                violation_error_message="The follow-up date can't be before the check-in.",
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this string shows up in logs and admin history.
        return f"Coordinator check-in {self.pk} on match {self.match_id}"


class PairPause(models.Model):
    """A pair taking a break for a set period (travel, elections, the fiscal year
    end…): not flagged at risk, not nudged to meet, welcomed back when it ends.

    Dates, read in UTC: the pause runs from ``starts_on`` to the day before
    ``ends_on``; the pair is back on ``ends_on`` (or when ended early). A pair has
    at most one open pause (current or planned; ``checkins.services.pauses``
    enforces it under a lock on the match, since "open" depends on today).
    """

    MAX_DAYS = 90

    class Reason(models.TextChoices):
        TRAVEL = "travel", "Travel"
        ELECTIONS = "elections", "Elections"
        FISCAL_YEAR_END = "fiscal_year_end", "Fiscal year end"
        LEAVE = "leave", "Illness or leave"
        OTHER = "other", "Other"

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="pauses")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason)
    note = SingleLineCharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    ended_early_at = models.DateTimeField(null=True, blank=True)
    ended_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="pair_pause_ends_after_start",
                violation_error_message="The pause must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(
                    ends_on__lte=models.F("starts_on") + datetime.timedelta(days=90)
                ),
                name="pair_pause_at_most_90_days",
                violation_error_message="A pause lasts at most 90 days.",
            ),
            models.CheckConstraint(
                condition=Q(
                    reason__in=[
                        "travel",
                        "elections",
                        "fiscal_year_end",
                        "leave",
                        "other",
                    ]
                ),
                name="pair_pause_reason_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["match", "ends_on"], name="pair_pause_match_idx")
        ]

    def __str__(self) -> str:
        return f"Pause of match {self.match_id} from {self.starts_on} to {self.ends_on}"

    @property
    def reason_text(self) -> str:
        """The reason as shown: the note for "other", else the label (and the note)."""
        if self.reason == self.Reason.OTHER:
            return self.note or self.get_reason_display()
        label = self.get_reason_display()
        return f"{label}: {self.note}" if self.note else label


class MeetingInvitee(models.Model):
    """One person's answer to a team meeting (a meeting of an engagement).

    Proposing a meeting in an engagement invites everyone in it but the proposer:
    the mentor and every active member of the team. The meeting is confirmed when
    every invitee still on the engagement has accepted; one decline declines it.
    A pair's meeting has no invitees: the partner's answer is on the meeting.
    """

    class Answer(models.TextChoices):
        PENDING = "pending", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitees"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    answer = models.CharField(max_length=10, choices=Answer, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], name="meeting_invitee_once_per_person"
            ),
            models.CheckConstraint(
                condition=Q(answer__in=["pending", "accepted", "declined"]),
                name="meeting_invitee_answer_valid",
            ),
            models.CheckConstraint(
                condition=Q(answer="pending", answered_at__isnull=True)
                | (~Q(answer="pending") & Q(answered_at__isnull=False)),
                name="meeting_invitee_answered_at_set",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitee {self.user_id} of meeting {self.meeting_id} ({self.answer})"
