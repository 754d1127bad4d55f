"""How a program objective is measured, and its target (issue 11)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from programs.models import ProgramObjective, ProgramRole
from reporting.models.surveys import Survey


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
