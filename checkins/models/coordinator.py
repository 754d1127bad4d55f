"""What coordinators record about a pair, and a pair's pauses: coordinator
check-ins (never shown to the pair) and set-period breaks."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from matching.models import Match
from mentorship.fields import SingleLineCharField


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
