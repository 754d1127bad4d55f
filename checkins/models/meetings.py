"""Meetings and what follows them: the invitees' answers, logs, private notes,
the pulse, feedback for the partner, action items.

Who reads what (services and selectors enforce it): the pair sees meetings, logs
(shared notes, action items); a ``PrivateNote`` is read by its author alone; a
``Pulse`` is for the coordinator (its author and the coordinators read it, the
partner does not); ``MeetingFeedback`` is for the partner only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from matching.models import Circle, Match
from mentorship.fields import SingleLineCharField


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
