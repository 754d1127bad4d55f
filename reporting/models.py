"""Impact surveys: surveys, their questions, who is asked when, and the answers.

Shape, for the reports built on top (one row per answer, so every metric is one
aggregate query):

    Survey (program, kind, is_anonymous, trigger)
      └─ Question (kind, key, order, items for a competency matrix)
    SurveySend (one "send now" to a filtered audience: its occasion and filters)
    SurveyAssignment (survey × participant × occasion, unique; due_on; is_answered)
    Response (survey, segment snapshot; attributed: assignment; anonymous: nothing)
      └─ Answer (question, item, number | text)

Anonymity. A response to an anonymous survey is a row with ``assignment`` NULL and
nothing else that names the person: no user, no participant, no timestamp finer
than the day (``submitted_on``/``updated_on``); the assignment only learns that it
was answered (``is_answered``, no date). ``is_anonymous`` is copied from the survey so the database itself
refuses an anonymous row that points at an assignment. Each response keeps a small
segment snapshot (role, country, time zone, seniority) so anonymous results can be
broken down — shown only for groups of at least ``metrics.MIN_GROUP_SIZE`` (5)
people, with the rules in reporting/metrics.py.

Comparability. A question's ``key`` (``"confidence"``, ``"nps"``,
``"competencies"``…) is the same in every survey made from a template, so a
baseline and a closing survey of one program are compared key by key, and a
competency matrix compares item by item (its items are the program's focus areas,
copied in when the question is made).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from mentorship.fields import SingleLineCharField
from programs.models import (
    AudienceRole,
    Enrollment,
    Participant,
    Program,
    ProgramObjective,
    ProgramRole,
)


class Survey(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline (start)"
        MIDPOINT = "midpoint", "Mid-point"
        CLOSING = "closing", "Closing (end)"
        MENTOR_EXPERIENCE = "mentor_experience", "Mentor experience"
        REVERSE_SENIOR = "reverse_senior", "Reverse mentoring — senior"
        REVERSE_JUNIOR = "reverse_junior", "Reverse mentoring — junior"
        CUSTOM = "custom", "Custom"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Only when sent by hand"
        ENROLLMENT_APPROVED = "enrollment_approved", "When an enrolment is approved"
        MATCH_WEEKS = "match_weeks", "N weeks after a match starts"
        MATCH_END = "match_end", "When a match ends"
        PROGRAM_CLOSE = "program_close", "When the program closes"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="surveys"
    )
    title = SingleLineCharField(max_length=200)
    intro = models.TextField(
        blank=True,
        help_text="Shown above the questions: why we ask, how long it takes.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CUSTOM)
    # The shipped template it was copied from ("" for a survey built from scratch).
    template_key = models.CharField(max_length=40, blank=True)
    is_anonymous = models.BooleanField(
        default=False,
        help_text="Answers are stored without any link to the person who gave them.",
    )
    show_free_text = models.BooleanField(
        default=False,
        help_text="Anonymous surveys: show written answers in results (groups of 5+).",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    audience_role = models.CharField(
        max_length=10, choices=AudienceRole, default=AudienceRole.BOTH
    )
    trigger = models.CharField(max_length=20, choices=Trigger, default=Trigger.MANUAL)
    trigger_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For 'N weeks after a match starts'."
    )
    due_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days people have to answer after they are asked."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When it was first opened: program events before then don't trigger it
    # (people already past the event are reached with "send now").
    opened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "baseline",
                        "midpoint",
                        "closing",
                        "mentor_experience",
                        "reverse_senior",
                        "reverse_junior",
                        "custom",
                    ]
                ),
                name="survey_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "open", "closed"]),
                name="survey_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    trigger__in=[
                        "manual",
                        "enrollment_approved",
                        "match_weeks",
                        "match_end",
                        "program_close",
                    ]
                ),
                name="survey_trigger_valid",
            ),
            models.CheckConstraint(
                condition=~Q(trigger="match_weeks")
                | Q(trigger_weeks__gte=1, trigger_weeks__lte=104),
                name="survey_trigger_weeks_set",
                violation_error_message="Say after how many weeks (1–104).",
            ),
            models.CheckConstraint(
                condition=Q(due_days__gte=1, due_days__lte=365),
                name="survey_due_days_range",
                violation_error_message="People need 1 to 365 days to answer.",
            ),
        ]
        indexes = [
            models.Index(fields=["program", "kind"], name="survey_program_kind_idx")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Scale 1–5"
        NPS = "nps", "Recommend 0–10 (NPS)"
        SINGLE_CHOICE = "single_choice", "One choice"
        MULTI_CHOICE = "multi_choice", "Several choices"
        SHORT_TEXT = "short_text", "Short answer"
        LONG_TEXT = "long_text", "Paragraph"
        COMPETENCY_MATRIX = "competency_matrix", "Focus areas, each 1–5"

    NUMERIC = ("likert", "nps", "competency_matrix")
    TEXT = ("short_text", "long_text")
    CHOICE = ("single_choice", "multi_choice")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.LIKERT)
    # Stable across surveys made from the same template: "confidence", "nps", ...
    key = models.SlugField(max_length=50, blank=True)
    text = SingleLineCharField(max_length=300)
    help_text = SingleLineCharField(max_length=300, blank=True)
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    # Options of a choice question; rows (focus areas) of a competency matrix.
    choices = ArrayField(SingleLineCharField(max_length=120), default=list, blank=True)
    # Likert end labels, e.g. "Not at all confident" / "Very confident".
    low_label = SingleLineCharField(max_length=60, blank=True)
    high_label = SingleLineCharField(max_length=60, blank=True)

    class Meta:
        ordering = ["survey", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "key"],
                condition=~Q(key=""),
                name="question_key_once_per_survey",
                violation_error_message="Another question in this survey has this key.",
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "likert",
                        "nps",
                        "single_choice",
                        "multi_choice",
                        "short_text",
                        "long_text",
                        "competency_matrix",
                    ]
                ),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_numeric(self) -> bool:
        return self.kind in self.NUMERIC

    @property
    def is_text(self) -> bool:
        return self.kind in self.TEXT

    @property
    def is_choice(self) -> bool:
        return self.kind in self.CHOICE

    @property
    def scale(self) -> tuple[int, int]:
        """Lowest and highest number an answer may hold (numeric kinds)."""
        return (0, 10) if self.kind == self.Kind.NPS else (1, 5)


class SurveySend(models.Model):
    """One "send now" of a survey to a filtered audience; its id is the occasion."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sends")
    # {"roles": [...], "statuses": [...], "countries": [...], "time_zones": [...]};
    # an empty list means "any".
    filters = models.JSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Filled in by the task once assignments exist (None while it is queued).
    assigned_count = models.PositiveIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Send {self.pk} of {self.survey}"

    @property
    def occasion(self) -> str:
        return f"send:{self.pk}"


class SurveyAssignment(models.Model):
    """One person asked one survey on one occasion: unique, so retries add nothing.

    ``occasion`` names the event: ``send:<send id>``, ``enrollment:<id>``,
    ``match:<id>:week-<n>``, ``match-end:<id>``, ``program-close``. For anonymous
    surveys only ``is_answered`` is kept: no date, never which response it was.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="assignments"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="survey_assignments"
    )
    occasion = models.CharField(max_length=80)
    # The enrolment (role) it was sent for, and the match when the occasion is one.
    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_assignments",
    )
    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_assignments",
    )
    role = models.CharField(max_length=10, choices=ProgramRole, blank=True)
    due_on = models.DateField()
    is_answered = models.BooleanField(default=False)
    # Attributed surveys only: the day of the (last) answer. Anonymous surveys keep
    # no date here, so no day links a person to an anonymous response.
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "participant", "occasion"],
                name="assignment_once_per_occasion",
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(is_answered=True),
                name="assignment_answered_date_only_if_answered",
            ),
        ]
        indexes = [
            models.Index(
                fields=["participant", "due_on"], name="assignment_person_due_idx"
            ),
            models.Index(
                fields=["survey", "is_answered"], name="assignment_survey_answer_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey} for {self.participant} ({self.occasion})"


class Response(models.Model):
    """One filled-in survey. Anonymous: no assignment, no person, dates only."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses"
    )
    is_anonymous = models.BooleanField()
    assignment = models.OneToOneField(
        SurveyAssignment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="response",
    )
    submitted_on = models.DateField()
    updated_on = models.DateField()
    # Segment snapshot at submission, for breakdowns (anonymous: groups of 5+ only).
    role = models.CharField(max_length=10, choices=ProgramRole, blank=True)
    country = models.CharField(max_length=2, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    seniority = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        # Never by id for anonymous rows (the order would follow the submissions).
        ordering = ["survey", "submitted_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True, assignment__isnull=True)
                | Q(is_anonymous=False, assignment__isnull=False),
                name="response_anonymous_has_no_assignment",
            )
        ]
        indexes = [
            models.Index(
                fields=["survey", "role", "country"], name="response_segment_idx"
            )
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey} ({self.submitted_on})"


class Answer(models.Model):
    """One value of one response: a number (scale, NPS, matrix item) or a text
    (text, chosen option). Multiple choice: one row per option chosen; competency
    matrix: one row per focus area (``item``)."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    # Deleting an answered question is refused by the services and the admin
    # (copy the survey instead); CASCADE so a whole survey or program can go.
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    item = models.CharField(max_length=120, blank=True)
    number = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["response", "question", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "item"], name="answer_once_per_item"
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=0, number__lte=10),
                name="answer_number_range",
            ),
        ]
        indexes = [
            models.Index(fields=["question", "item"], name="answer_question_item_idx")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.item}: {self.number if self.number is not None else self.text[:40]}"


# --- Success stories and published reports (issue 11) ------------------------------------


class SuccessStory(models.Model):
    """A program's success story: what happened and what came of it, in numbers
    where there are some ("credit-history fee reduced from 2 to 1 manat").

    It appears outside the pair (dashboards, the printable and the published
    report) only when it is ``approved`` by a coordinator *and* every person named
    in it (``StoryPerson``) has given consent; a withdrawn consent hides it again
    at once (``reporting.selectors.stories.published_stories``). A story drafted
    from an anonymous survey's answer names nobody and keeps no link to the
    answer's person; it carries the day only (``created_on``), like the response.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        ARCHIVED = "archived", "Archived"

    class Source(models.TextChoices):
        SURVEY = "survey", "Closing survey"
        COORDINATOR = "coordinator", "Entered by a coordinator"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="success_stories"
    )
    match = models.ForeignKey(
        "matching.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="success_stories",
    )
    title = SingleLineCharField(max_length=200)
    what_happened = models.TextField(max_length=4000)
    # The outcome in words, and optionally in numbers: "Credit-history fee reduced"
    # from ``outcome_before`` to ``outcome_after`` ``outcome_unit`` (either number
    # may be given alone).
    outcome = SingleLineCharField(max_length=300, blank=True)
    outcome_before = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    outcome_after = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True
    )
    outcome_unit = SingleLineCharField(max_length=40, blank=True)
    source = models.CharField(max_length=12, choices=Source, default=Source.COORDINATOR)
    # The survey response whose story answer it was drafted from: one draft per
    # response, however often the service runs (an attributed response keeps its row
    # when edited; its answers are replaced).
    source_response = models.OneToOneField(
        Response,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="success_story",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    # Bumped on every edit of the text: consents are to one version of it.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_on = models.DateField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "-created_on", "-id"]
        verbose_name_plural = "success stories"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved", "archived"]),
                name="story_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="story_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class StoryPerson(models.Model):
    """A person named in a story and their consent to it, with when they gave it."""

    class Consent(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        GIVEN = "given", "Agreed"
        DECLINED = "declined", "Declined"

    story = models.ForeignKey(
        SuccessStory, on_delete=models.CASCADE, related_name="people"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="story_mentions"
    )
    consent = models.CharField(max_length=10, choices=Consent, default=Consent.PENDING)
    # The story version the answer was given to, and when (UTC).
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["story", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "participant"], name="story_person_once"
            ),
            models.CheckConstraint(
                condition=Q(consent="pending")
                | Q(consent_at__isnull=False, consent_version__isnull=False),
                name="story_consent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} in {self.story} ({self.consent})"


class SharedReport(models.Model):
    """A read-only link to a program's report for its sponsor, no login needed.

    Only ``token_hash`` is stored: sha256 over the organization's schema and the
    token (``reporting.services.sharing.token_hash``), so a token shown once at
    creation can't be read back from the database, and a token of one
    organization matches nothing in another even where ids coincide. Dead when
    revoked or past ``expires_at``: the page then answers 404.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="shared_reports"
    )
    label = SingleLineCharField(max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["program", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.label or f"Shared report {self.pk}"


# --- Objectives measured (issue 11) ------------------------------------------------------


class ObjectiveMeasure(models.Model):
    """How one program objective is measured, and its target.

    Either a survey question (``question_key`` of the ``survey_kind`` survey): the
    share of people whose latest answer is at least ``threshold`` must reach
    ``target`` percent ("confidence ≥ 4 for 70 % of mentees"); or a dashboard
    metric (``metric``, a key of ``reporting.objectives.METRICS``) compared with
    ``target`` in the metric's unit (percent for shares). Measured in
    ``reporting.objectives``.
    """

    class Source(models.TextChoices):
        QUESTION = "question", "A survey question"
        METRIC = "metric", "A dashboard metric"

    class Comparison(models.TextChoices):
        AT_LEAST = "gte", "at least"
        AT_MOST = "lte", "at most"

    objective = models.OneToOneField(
        ProgramObjective, on_delete=models.CASCADE, related_name="impact_measure"
    )
    source = models.CharField(max_length=10, choices=Source, default=Source.QUESTION)
    question_key = models.SlugField(
        max_length=50, blank=True, help_text="E.g. confidence, nps, competencies."
    )
    survey_kind = models.CharField(
        max_length=20, choices=Survey.Kind, default=Survey.Kind.CLOSING
    )
    role = models.CharField(
        max_length=10,
        choices=ProgramRole,
        blank=True,
        help_text="Whose answers count; empty for everyone's.",
    )
    threshold = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="An answer counts when it is at least this (e.g. 4 on a 1–5 scale).",
    )
    metric = models.CharField(max_length=60, blank=True)
    comparison = models.CharField(
        max_length=3, choices=Comparison, default=Comparison.AT_LEAST
    )
    target = models.DecimalField(
        max_digits=7,
        decimal_places=1,
        help_text="Percent of people for a question; the metric's own unit otherwise.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(source="question", threshold__isnull=False)
                & ~Q(question_key="")
                | Q(source="metric") & ~Q(metric=""),
                name="objective_measure_complete",
                violation_error_message="Name the question and its threshold, or the metric.",
            ),
            models.CheckConstraint(
                condition=Q(comparison__in=["gte", "lte"]),
                name="objective_measure_comparison_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Measure of {self.objective}"
