"""Programs, the people in them, and their enrolments.

Rules the database can hold are constraints here; the rest (status transitions,
capacity, who may decide) live in services.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

from mentorship.fields import SingleLineCharField
from programs import reference


def _validate_country(value: str) -> None:
    if value and not reference.is_country(value):
        raise ValidationError(f"{value!r} is not an ISO 3166 country code.")


def _validate_languages(value: list[str]) -> None:
    unknown = [code for code in value if not reference.is_language(code)]
    if unknown:
        raise ValidationError(
            f"Not ISO 639-1 language codes: {', '.join(map(repr, unknown))}."
        )


def _validate_weekdays(value: list[int]) -> None:
    if any(day not in range(7) for day in value):
        raise ValidationError("Working days are 0 (Monday) to 6 (Sunday).")


def _default_weekdays() -> list[int]:
    return list(reference.MONDAY_TO_FRIDAY)


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
                    kind__in=["one_to_one", "group_circle", "peer", "reverse"]
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


class Participant(models.Model):
    """A person's profile in the organization (created by a service, not a signal).

    Time zone and UI language live on accounts.User; everything matching and
    scheduling need about the person lives here.
    """

    class Seniority(models.IntegerChoices):
        ENTRY = 1, "Entry level"
        EARLY = 2, "Early career"
        MID = 3, "Mid-level"
        SENIOR = 4, "Senior"
        LEAD = 5, "Lead / manager"
        EXECUTIVE = 6, "Executive"

    class EmploymentStatus(models.TextChoices):
        ACTIVE = "active", "Employed"
        LEFT = "left", "Left the organization"

    class CommunicationStyle(models.TextChoices):
        DIRECT = "direct", "Direct and to the point"
        SUPPORTIVE = "supportive", "Supportive and encouraging"
        ANALYTICAL = "analytical", "Analytical, data first"
        EXPLORATORY = "exploratory", "Exploratory, thinking aloud"

    class LearningPreference(models.TextChoices):
        DISCUSSION = "discussion", "Open discussion"
        GOAL_SETTING = "goal_setting", "Goals and action plans"
        SHADOWING = "shadowing", "Shadowing and observing"
        HANDS_ON = "hands_on", "Hands-on practice"
        READING = "reading", "Reading and reflection"
        FEEDBACK = "feedback", "Feedback on real work"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant"
    )
    title = SingleLineCharField(max_length=200, blank=True)
    department = SingleLineCharField(max_length=200, blank=True)
    seniority = models.PositiveSmallIntegerField(
        choices=Seniority, default=Seniority.MID
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    country = models.CharField(
        max_length=2,
        blank=True,
        choices=reference.COUNTRY_CHOICES,
        validators=[_validate_country],
    )
    city = SingleLineCharField(max_length=120, blank=True)
    # Wall-clock times in the user's zone; end before start means an overnight shift.
    working_hours_start = models.TimeField(default=datetime.time(9, 0))
    working_hours_end = models.TimeField(default=datetime.time(17, 0))
    working_days = ArrayField(
        models.PositiveSmallIntegerField(),
        default=_default_weekdays,
        blank=True,
        validators=[_validate_weekdays],
        help_text="0 = Monday … 6 = Sunday.",
    )
    languages = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        validators=[_validate_languages],
        help_text="ISO 639-1 codes.",
    )
    # Normalised lowercase strings (reference.skills_normalize), not a vocabulary.
    skills_offered = ArrayField(
        SingleLineCharField(max_length=reference.MAX_SKILL_LENGTH),
        default=list,
        blank=True,
    )
    skills_wanted = ArrayField(
        SingleLineCharField(max_length=reference.MAX_SKILL_LENGTH),
        default=list,
        blank=True,
    )
    communication_style = models.CharField(
        max_length=20, choices=CommunicationStyle, blank=True
    )
    learning_preferences = ArrayField(
        models.CharField(max_length=20, choices=LearningPreference),
        default=list,
        blank=True,
    )
    bio = models.TextField(blank=True, max_length=4000)
    mentoring_capacity = models.PositiveSmallIntegerField(
        default=1, help_text="How many mentees this person can mentor at once."
    )
    affiliation = SingleLineCharField(
        max_length=200,
        blank=True,
        help_text="E.g. the member association this person represents.",
    )
    # HR fields, for retention and promotion reports (reporting/selectors/impact.py);
    # set by HR in the admin (or its staff-list import) and by the program import.
    employment_status = models.CharField(
        max_length=10, choices=EmploymentStatus, default=EmploymentStatus.ACTIVE
    )
    hired_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(
        null=True, blank=True, help_text="Last day of employment, for leavers."
    )
    grade = SingleLineCharField(
        max_length=40, blank=True, help_text="The organization's job grade or band."
    )
    last_promoted_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(employment_status__in=["active", "left"]),
                name="participant_employment_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(hired_on__isnull=True)
                | models.Q(left_on__gte=models.F("hired_on")),
                name="participant_left_after_hired",
                violation_error_message="The leave date must not be before the hire date.",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True)
                | models.Q(employment_status="left"),
                name="participant_left_on_only_if_left",
                violation_error_message="Only people who have left have a leave date.",
            ),
            models.CheckConstraint(
                condition=models.Q(seniority__gte=1, seniority__lte=6),
                name="participant_seniority_range",
            ),
            models.CheckConstraint(
                condition=models.Q(mentoring_capacity__lte=50),
                name="participant_capacity_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("id")),
                name="participant_not_own_manager",
            ),
            models.CheckConstraint(
                condition=~models.Q(working_hours_start=models.F("working_hours_end")),
                name="participant_working_hours_not_empty",
                violation_error_message="Working hours must not start and end at the same time.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def working_days_label(self) -> str:
        return reference.weekdays_label(self.working_days)


class Enrollment(models.Model):
    """One person in one program in one role. Roles belong here, never to the user."""

    class Status(models.TextChoices):
        # Added by a coordinator (an import); waits for the person to accept the
        # program's agreement before it counts as an enrolment.
        INVITED = "invited", "Invited"
        APPLIED = "applied", "Applied"
        APPROVED = "approved", "Approved"
        WAITLISTED = "waitlisted", "Waitlisted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="enrollments"
    )
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="enrollments"
    )
    role = models.CharField(max_length=10, choices=ProgramRole)
    status = models.CharField(max_length=12, choices=Status, default=Status.APPLIED)
    # Keyed by str(ApplicationQuestion.id); values are strings or lists of strings.
    answers = models.JSONField(default=dict, blank=True)
    agreed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the confidentiality agreement was accepted.",
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the person finished the program (it closed with them approved in it).
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program", "participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "program", "role"],
                name="enrollment_unique_role_per_program",
                violation_error_message="This person already has this role in the program.",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["mentor", "mentee"]),
                name="enrollment_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "invited",
                        "applied",
                        "approved",
                        "waitlisted",
                        "declined",
                        "withdrawn",
                        "completed",
                    ]
                ),
                name="enrollment_status_valid",
            ),
        ]
        indexes = [
            models.Index(
                fields=["program", "status", "role"], name="enrollment_table_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_role_display()} in {self.program}"


class TrainingCompletion(models.Model):
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(
        TrainingModule, on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField()

    class Meta:
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "module"], name="training_completion_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.module} done by {self.enrollment.participant_id}"


class TrainingWaiver(models.Model):
    """A coordinator lets one enrolment past the training gate (training done
    elsewhere, or not needed for this person), with the reason."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="training_waiver"
    )
    reason = SingleLineCharField(max_length=300)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    waived_at = models.DateTimeField()

    class Meta:
        ordering = ["-waived_at"]

    def __str__(self) -> str:
        return f"Training waived for enrolment {self.enrollment_id}"


class ImportBatch(models.Model):
    """An uploaded participant file, parsed and validated, waiting to be confirmed.

    The confirm step imports these stored rows: nothing the browser re-posts is
    trusted. Rows are only kept when the file had no errors.
    """

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        COMMITTED = "committed", "Imported"

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="import_batches"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status, default=Status.PREVIEWED)
    rows = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # The file as uploaded, to read it again with the coordinator's choices of
    # encoding, delimiter and column mapping (at most importing.MAX_BYTES).
    content = models.BinaryField(default=b"", editable=False)
    # How it was read: importing.ParsedFile.reading (encoding, delimiter, columns).
    reading = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_importable(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.error_count


class ImportColumnMapping(models.Model):
    """What a column header the import doesn't know holds, as a coordinator of this
    organization said once: remembered for every later file (per organization,
    as each has its own schema). An empty ``field`` means "ignore this column"."""

    key = models.CharField(
        max_length=100, unique=True, help_text="importing.header_key of the header."
    )
    header = SingleLineCharField(max_length=100)
    field = models.CharField(max_length=40, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.header} → {self.field or 'ignored'}"
