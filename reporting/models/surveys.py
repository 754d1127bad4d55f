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
from programs.models import AudienceRole, Enrollment, Participant, Program, ProgramRole


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
    # The member organization the person was on the team of, and its country
    # (organization mentoring, issue 18): breakdowns hide groups under 5.
    member_organization = models.ForeignKey(
        "members.MemberOrganization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    member_organization_country = models.CharField(max_length=2, blank=True)

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
