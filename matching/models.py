from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from mentorship.fields import SingleLineCharField
from programs.models import Enrollment, Program


class MatchingCriteria(models.Model):
    """What a program's coordinator weighs when matching (0–5 each) and the hard rules."""

    class Culture(models.TextChoices):
        DIFFERENT = "different", "Prefer a different country"
        SAME = "same", "Prefer the same country"
        IGNORE = "ignore", "Country doesn't matter"

    class LanguageRule(models.TextChoices):
        HARD = "hard", "Must share a language"
        WEIGHTED = "weighted", "Sharing a language scores higher"

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", "Best total fit"
        STABLE = "stable", "Respect stated preferences"
        MENTEE_CHOICE = "mentee_choice", "Mentees pick from their top 5"

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="criteria"
    )
    weight_skills = models.PositiveSmallIntegerField(default=5)
    weight_overlap = models.PositiveSmallIntegerField(default=3)
    weight_language = models.PositiveSmallIntegerField(default=2)
    weight_seniority = models.PositiveSmallIntegerField(default=2)
    weight_culture = models.PositiveSmallIntegerField(default=1)
    weight_style = models.PositiveSmallIntegerField(default=1)
    weight_preference = models.PositiveSmallIntegerField(default=3)
    language_rule = models.CharField(
        max_length=10, choices=LanguageRule, default=LanguageRule.HARD
    )
    culture = models.CharField(max_length=10, choices=Culture, default=Culture.IGNORE)
    exclude_same_reporting_line = models.BooleanField(default=True)
    min_score = models.FloatField(default=0)
    # Hard rule: pairs sharing fewer working hours a week are never proposed (0 = off).
    min_overlap_hours = models.PositiveSmallIntegerField(default=0)
    mode = models.CharField(max_length=15, choices=Mode, default=Mode.OPTIMAL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "matching criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_skills__lte=5)
                & Q(weight_overlap__lte=5)
                & Q(weight_language__lte=5)
                & Q(weight_seniority__lte=5)
                & Q(weight_culture__lte=5)
                & Q(weight_style__lte=5)
                & Q(weight_preference__lte=5),
                name="criteria_weights_0_to_5",
            ),
            models.CheckConstraint(
                condition=Q(min_overlap_hours__lte=40),
                name="criteria_min_overlap_hours_0_to_40",
            ),
        ]

    def __str__(self) -> str:
        return f"Matching criteria for {self.program}"


class MatchRun(models.Model):
    """One bulk matching of a program: its settings, progress and outcome."""

    class Mode(models.TextChoices):
        OPTIMAL = "optimal", "Best total fit"
        STABLE = "stable", "Respect stated preferences"
        MENTEE_CHOICE = "mentee_choice", "Mentees pick from their top 5"
        CIRCLES = "circles", "Group circles"

    class Stage(models.TextChoices):
        WAITING = "", "Waiting for a worker"
        BUILDING = "building", "Reading profiles"
        SCORING = "scoring", "Scoring every pair"
        SOLVING = "solving", "Finding the best assignment"
        SAVING = "saving", "Saving proposals"
        FINISHED = "finished", "Finished"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready for review"
        PUBLISHED = "published", "Published"
        DISCARDED = "discarded", "Discarded"
        FAILED = "failed", "Failed"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="match_runs"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    mode = models.CharField(max_length=15, choices=Mode)
    # The criteria (and circle size) the run used, as they were when it started.
    settings = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=10, choices=Stage, default="", blank=True)
    mentee_count = models.PositiveIntegerField(default=0)
    mentor_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(
        default=list, blank=True
    )  # [{"enrollment": id, "reason": …}]
    total_score = models.FloatField(default=0)
    mean_score = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="matchrun_progress_0_to_100"
            )
        ]

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.program} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_reviewable(self) -> bool:
        return self.status == self.Status.DONE


class Match(models.Model):
    """A mentor enrolment paired with a mentee enrolment, with why."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", "Suggested (in review)"
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted by one side"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        COMPLETED = "completed", "Completed"
        ENDED = "ended", "Ended early"
        DISCARDED = "discarded", "Discarded"

    # Statuses in which a mentee holds their one place (a mentee has one mentor).
    HOLDING = ("suggested", "proposed", "accepted", "active")
    # Statuses that take one of the mentor's places (suggestions are only a draft).
    LIVE = ("proposed", "accepted", "active")
    # Statuses that mean the two have been put together before: never again.
    PAIRED = ("proposed", "accepted", "active", "declined", "completed", "ended")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="matches"
    )
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
    )
    mentor = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mentor_matches"
    )
    mentee = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mentee_matches"
    )
    # Organization mentoring: the mentee party is this member organization's team
    # (``mentee`` is its lead contact's enrolment); every active member takes part.
    member_organization = models.ForeignKey(
        "members.MemberOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="engagements",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.SUGGESTED)
    score = models.FloatField(default=0)
    # Points per criterion, in the same 0–100 units as the score; they add up to it.
    explanation = models.JSONField(default=dict, blank=True)
    mentor_accepted_at = models.DateTimeField(null=True, blank=True)
    mentee_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True, max_length=2000)
    proposed_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=["suggested", "proposed", "accepted", "active"]),
                name="match_one_live_mentor_per_mentee",
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")), name="match_not_self"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "suggested",
                        "proposed",
                        "accepted",
                        "active",
                        "declined",
                        "completed",
                        "ended",
                        "discarded",
                    ]
                ),
                name="match_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(started_at__isnull=False),
                name="match_active_has_start",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"], name="match_program_status_idx"),
            models.Index(fields=["run", "status"], name="match_run_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.mentee} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class MatchSuggestion(models.Model):
    """One of a mentee's top mentors from a "mentees pick" run, best first."""

    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="suggestions"
    )
    mentee = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mentor_suggestions"
    )
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField(default=0)
    explanation = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["run", "mentee", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "mentee", "rank"], name="suggestion_rank_once"
            ),
            models.UniqueConstraint(
                fields=["run", "mentee", "mentor"], name="suggestion_mentor_once"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.mentor} for {self.mentee}"


class MentorPreference(models.Model):
    """A mentor a mentee asked for (stated preference; scored, never guaranteed)."""

    mentee = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="mentor_preferences"
    )
    mentor = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["mentee", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentee", "mentor"], name="mentor_preference_once"
            ),
            models.CheckConstraint(
                condition=~Q(mentor=models.F("mentee")),
                name="mentor_preference_not_self",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} prefers {self.mentor}"


class Circle(models.Model):
    """A group of participants around one or more facilitators (group and peer programs)."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="circles"
    )
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="circles",
    )
    name = SingleLineCharField(max_length=120)
    facilitators = models.ManyToManyField(
        Enrollment, related_name="facilitated_circles"
    )
    members = models.ManyToManyField(Enrollment, related_name="circles")
    is_published = models.BooleanField(default=False)
    # Mean pairwise affinity of all members (0–100), hours a week everyone works,
    # and the skills at least half the participants want.
    score = models.FloatField(default=0)
    common_hours = models.PositiveSmallIntegerField(default=0)
    shared_skills = ArrayField(
        models.CharField(max_length=120), default=list, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "name"]

    def __str__(self) -> str:
        return self.name
