"""What a pair works towards and how it keeps in touch in writing: goals,
milestones, the goal timeline, async updates and the pair's written rhythm."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from matching.models import Match
from mentorship.fields import SingleLineCharField
from programs.models import ProgramObjective


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
