"""Success stories (with the consent of every person named) and the read-only links
that publish a program's report (issue 11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorship.fields import SingleLineCharField
from programs.models import Participant, Program
from reporting.models.surveys import Response


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
    # The member organization the outcome belongs to (organization mentoring, issue
    # 18): "advocacy led the central bank to halve the credit-history fee".
    member_organization = models.ForeignKey(
        "members.MemberOrganization",
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
