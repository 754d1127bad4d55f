"""Member organizations (associations, chambers of commerce) inside an organization's
space, and the people who belong to them.

A member organization is the mentee party of organization-to-organization mentoring:
several people, one lead contact, and a local-context brief the mentor reads first.
Rules the database can hold are constraints here (one lead, one active membership per
person); the rest live in services.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

# The vocabularies are pure data in programs (ignored by the layer contract in
# pyproject.toml until they move down to mentorship/).
from mentorship import reference
from mentorship.fields import SingleLineCharField

# Older migrations name the validators by these names.
_validate_country = reference.validate_country
_validate_languages = reference.validate_languages


class MemberOrganization(models.Model):
    """An association or chamber with its team and local-context brief."""

    class Size(models.TextChoices):
        """Employees or members, in bands (the association says which it counts)."""

        MICRO = "1-9", "1–9"
        SMALL = "10-49", "10–49"
        MEDIUM = "50-249", "50–249"
        LARGE = "250-999", "250–999"
        VERY_LARGE = "1000+", "1,000 or more"

    name = SingleLineCharField(max_length=200)
    country = models.CharField(
        max_length=2,
        blank=True,
        choices=reference.COUNTRY_CHOICES,
        validators=[reference.validate_country],
    )
    city = SingleLineCharField(max_length=120, blank=True)
    sector = SingleLineCharField(
        max_length=200,
        blank=True,
        help_text="E.g. chamber of commerce, women entrepreneurs, agribusiness.",
    )
    size = models.CharField(
        max_length=10,
        choices=Size,
        blank=True,
        help_text="Employees or members.",
    )
    website = models.URLField(max_length=300, blank=True)
    languages = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        validators=[reference.validate_languages],
        help_text="ISO 639-1 codes: the languages the team can meet in.",
    )
    # What the association wants a mentor for, like a program's focus areas:
    # matching scores them against mentors' expertise (skills offered).
    focus_areas = ArrayField(
        SingleLineCharField(max_length=80),
        default=list,
        blank=True,
        help_text="What the team wants a mentor's help with, e.g. advocacy.",
    )
    # The local-context brief, written by the association in Markdown; rendered and
    # sanitised when shown (mentorship.markdown), never stored as HTML.
    context_economy = models.TextField(
        "The economy and regulation we work in", blank=True, max_length=10000
    )
    context_needs = models.TextField("What we need", blank=True, max_length=10000)
    context_tried = models.TextField("What we have tried", blank=True, max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"),
                name="member_organization_name_unique",
                violation_error_message="A member organization with this name exists.",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    size__in=["", "1-9", "10-49", "50-249", "250-999", "1000+"]
                ),
                name="member_organization_size_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_brief(self) -> bool:
        return any(
            text.strip()
            for text in (self.context_economy, self.context_needs, self.context_tried)
        )


class Membership(models.Model):
    """A person's place in a member organization's team, from joining to leaving.

    Leaving sets ``left_at``; the row stays (what they wrote stays theirs, and the
    history shows who was on the team when). Active = ``left_at`` is null.
    """

    member_organization = models.ForeignKey(
        MemberOrganization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role_title = SingleLineCharField(
        max_length=120, blank=True, help_text="E.g. President, Program officer."
    )
    is_lead = models.BooleanField(
        default=False, help_text="The team's lead contact (one per organization)."
    )
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_lead", "joined_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_organization"],
                condition=models.Q(is_lead=True),
                name="membership_one_lead",
                violation_error_message="The organization already has a lead contact.",
            ),
            models.UniqueConstraint(
                fields=["member_organization", "user"],
                condition=models.Q(left_at__isnull=True),
                name="membership_one_active_per_person",
                violation_error_message="This person is already on the team.",
            ),
            models.CheckConstraint(
                condition=models.Q(left_at__isnull=True)
                | models.Q(left_at__gte=models.F("joined_at")),
                name="membership_left_after_joined",
                violation_error_message="Leaving must come after joining.",
            ),
            models.CheckConstraint(
                condition=models.Q(is_lead=False) | models.Q(left_at__isnull=True),
                name="membership_lead_is_active",
                violation_error_message="Someone who has left can't be the lead.",
            ),
        ]
        indexes = [models.Index(fields=["user", "left_at"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.member_organization}"

    @property
    def is_active(self) -> bool:
        return self.left_at is None
