"""People in the organization and their place in programs: Participant (the
person's profile), Enrollment (participant × program × role) and each enrolment's
training record (completions, a waiver)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

from mentorship import reference
from mentorship.fields import SingleLineCharField
from programs.models.programs import Program, ProgramRole, TrainingModule

# Older migrations name the validators by these names.
_validate_country = reference.validate_country
_validate_languages = reference.validate_languages


def _validate_weekdays(value: list[int]) -> None:
    if any(day not in range(7) for day in value):
        raise ValidationError("Working days are 0 (Monday) to 6 (Sunday).")


def _default_weekdays() -> list[int]:
    return list(reference.MONDAY_TO_FRIDAY)


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
        validators=[reference.validate_country],
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
        validators=[reference.validate_languages],
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
    # HR fields, for retention and promotion reports (reporting/selectors/impact/careers.py);
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
