"""A program and what it offers: objectives, application questions, training
modules and the resource library."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from mentorship.fields import SingleLineCharField


class ProgramRole(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    MENTEE = "mentee", "Mentee"


class AudienceRole(models.TextChoices):
    """Who a question or training module is for."""

    MENTOR = "mentor", "Mentors"
    MENTEE = "mentee", "Mentees"
    BOTH = "both", "Everyone"


class Program(models.Model):
    class Kind(models.TextChoices):
        ONE_TO_ONE = "one_to_one", "One-to-one"
        GROUP_CIRCLE = "group_circle", "Group circle"
        PEER = "peer", "Peer"
        REVERSE = "reverse", "Reverse mentoring"
        # The mentee party is a member organization with its team (members app).
        ORGANIZATION = "organization", "Organization mentoring"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ENROLLING = "enrolling", "Enrolling"
        MATCHING = "matching", "Matching"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    name = SingleLineCharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.ONE_TO_ONE)
    description = models.TextField(blank=True)
    focus_areas = ArrayField(
        SingleLineCharField(max_length=80), default=list, blank=True
    )
    meeting_cadence_days = models.PositiveSmallIntegerField(
        default=14, help_text="How often pairs are expected to meet, in days."
    )
    meeting_length_minutes = models.PositiveSmallIntegerField(default=45)
    update_cadence_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Pairs may keep in touch in writing instead: an update every this "
        "many days counts as meeting the rhythm. Empty: meetings only.",
    )
    mentor_choices_limit = models.PositiveSmallIntegerField(
        default=0,
        help_text="How many mentors a mentee may name before matching (they are "
        "scored as preferences, never guaranteed). 0: mentees don't choose.",
    )
    confidentiality_agreement = models.TextField(
        blank=True, help_text="Participants accept this text when they apply."
    )
    communication_norms = models.TextField(blank=True)
    sponsor_name = SingleLineCharField(max_length=200, blank=True)
    sponsor_message = models.TextField(blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="coordinated_programs", blank=True
    )
    enrollment_opens_on = models.DateField(null=True, blank=True)
    enrollment_closes_on = models.DateField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    mentee_capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="Most mentees approved; empty for no limit."
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    status__in=["draft", "enrolling", "matching", "active", "closed"]
                ),
                name="program_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "one_to_one",
                        "group_circle",
                        "peer",
                        "reverse",
                        "organization",
                    ]
                ),
                name="program_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    enrollment_closes_on__gte=models.F("enrollment_opens_on")
                )
                | models.Q(enrollment_opens_on__isnull=True)
                | models.Q(enrollment_closes_on__isnull=True),
                name="program_enrollment_window_ordered",
                violation_error_message="Enrolment must close on or after it opens.",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on"))
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__isnull=True),
                name="program_dates_ordered",
                violation_error_message="The program must end on or after it starts.",
            ),
            models.CheckConstraint(
                condition=models.Q(meeting_cadence_days__gte=1)
                & models.Q(meeting_length_minutes__gte=5),
                name="program_expectations_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_enrollment_open_on(self, day: datetime.date) -> bool:
        return (
            self.status == self.Status.ENROLLING
            and self.enrollment_opens_on is not None
            and self.enrollment_closes_on is not None
            and self.enrollment_opens_on <= day <= self.enrollment_closes_on
        )


class ProgramObjective(models.Model):
    """One measurable aim: what the program wants and how success is measured."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="objectives"
    )
    text = SingleLineCharField(max_length=300)
    measure = SingleLineCharField(
        max_length=300,
        blank=True,
        help_text="How success is measured, e.g. '80% of mentees report progress'.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ApplicationQuestion(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", "Short answer"
        LONG_TEXT = "long_text", "Paragraph"
        SINGLE_CHOICE = "single_choice", "One choice"
        MULTI_CHOICE = "multi_choice", "Several choices"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="questions"
    )
    text = SingleLineCharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.SHORT_TEXT)
    choices = ArrayField(SingleLineCharField(max_length=120), default=list, blank=True)
    required = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    for_role = models.CharField(
        max_length=10, choices=AudienceRole, default=AudienceRole.BOTH
    )

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_choice(self) -> bool:
        return self.kind in (self.Kind.SINGLE_CHOICE, self.Kind.MULTI_CHOICE)

    def is_for(self, role: str) -> bool:
        return self.for_role in (AudienceRole.BOTH, role)


class TrainingModule(models.Model):
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="training_modules"
    )
    title = SingleLineCharField(max_length=200)
    url = models.URLField(blank=True)
    content = models.TextField(blank=True)
    required_for_role = models.CharField(
        max_length=10, choices=AudienceRole, default=AudienceRole.BOTH
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "order", "id"]

    def __str__(self) -> str:
        return self.title

    def is_for(self, role: str) -> bool:
        return self.required_for_role in (AudienceRole.BOTH, role)


class Resource(models.Model):
    """A link or an uploaded document in a program's library."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="resources"
    )
    title = SingleLineCharField(max_length=200)
    url = models.URLField(blank=True)
    document = models.FileField(upload_to="program-resources/", blank=True)
    description = models.TextField(blank=True)
    # Who sees it in the portal (coordinators see every resource of their programs).
    for_role = models.CharField(
        max_length=10, choices=AudienceRole, default=AudienceRole.BOTH
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(document=""),
                name="resource_has_url_or_document",
                violation_error_message="Give a link or upload a document.",
            )
        ]

    def __str__(self) -> str:
        return self.title
