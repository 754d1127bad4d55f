"""Matching in the HR admin's bulk tool. State changes go through the services."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from matching import services
from matching.models import (
    Circle,
    Match,
    MatchingCriteria,
    MatchRun,
    MatchSuggestion,
    MentorPreference,
)
from mentorship.admin_lookups import ModelAdmin

PEOPLE = ("mentee__participant__user", "mentor__participant__user")


def _each(request, queryset, call: Callable, done: str) -> None:
    """Call a service per row; report each refusal with its reason."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
            count += 1
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(getattr(error, "messages", [str(error)]))
            messages.error(request, f"{obj}: {reason}")
    if count:
        messages.success(request, f"{done}: {count}.")


@admin.register(MatchingCriteria)
class MatchingCriteriaAdmin(ModelAdmin):
    list_display = [
        "program",
        "mode",
        "weight_skills",
        "weight_overlap",
        "weight_language",
        "weight_seniority",
        "weight_culture",
        "weight_style",
        "weight_preference",
        "language_rule",
        "min_score",
    ]
    list_filter = ["mode", "language_rule", "culture"]
    search_fields = ["program__name"]
    list_select_related = ["program"]


@admin.register(MatchRun)
class MatchRunAdmin(ModelAdmin):
    list_display = [
        "id",
        "program",
        "mode",
        "status",
        "progress",
        "matched_count",
        "mentee_count",
        "mean_score",
        "duration_s",
        "created_at",
        "review_link",
    ]
    list_filter = ["status", "mode"]
    search_fields = ["program__name"]
    list_select_related = ["program", "started_by"]
    readonly_fields = [
        field.name for field in MatchRun._meta.fields if field.name not in ("id",)
    ]
    actions = ["publish", "discard"]

    def has_add_permission(self, request) -> bool:
        return False  # runs start from the dashboard (the service checks everything)

    @admin.display(description="Review")
    def review_link(self, run: MatchRun) -> str:
        url = reverse("matching:review", args=[run.program_id])
        return format_html('<a href="{}">Open</a>', url)

    @admin.action(description="Publish selected runs")
    def publish(self, request, queryset) -> None:
        _each(
            request,
            queryset.select_related("program"),
            lambda run: services.match_run_publish(run=run, by=request.user),
            "Published",
        )

    @admin.action(description="Discard selected runs")
    def discard(self, request, queryset) -> None:
        _each(
            request,
            queryset.select_related("program"),
            lambda run: services.match_run_discard(run=run, by=request.user),
            "Discarded",
        )


@admin.register(Match)
class MatchAdmin(ModelAdmin):
    list_display = [
        "id",
        "program",
        "mentee",
        "mentor",
        "status",
        "score",
        "created_at",
    ]
    list_filter = ["status", "program"]
    search_fields = [
        "mentee__participant__user__full_name",
        "mentee__participant__user__email",
        "mentor__participant__user__full_name",
        "mentor__participant__user__email",
    ]
    list_select_related = ["program", *PEOPLE, "mentee__program", "mentor__program"]
    raw_id_fields = ["mentee", "mentor", "run", "declined_by", "ended_by"]
    readonly_fields = [
        "status",
        "score",
        "explanation",
        "mentor_accepted_at",
        "mentee_accepted_at",
        "declined_by",
        "declined_at",
        "started_at",
        "ended_at",
        "ended_by",
        "proposed_at",
    ]
    actions = ["end_early"]

    @admin.action(description="End selected matches early")
    def end_early(self, request, queryset) -> None:
        _each(
            request,
            queryset.select_related("program", *PEOPLE),
            lambda match: services.match_end(
                match=match,
                by=request.user,
                reason=f"Ended in the admin by {request.user}.",
            ),
            "Ended",
        )


@admin.register(MatchSuggestion)
class MatchSuggestionAdmin(ModelAdmin):
    list_display = ["run", "mentee", "rank", "mentor", "score"]
    list_filter = ["run__program"]
    search_fields = ["mentee__participant__user__full_name"]
    list_select_related = [
        "run__program",
        *PEOPLE,
        "mentee__program",
        "mentor__program",
    ]
    raw_id_fields = ["run", "mentee", "mentor"]


@admin.register(MentorPreference)
class MentorPreferenceAdmin(ModelAdmin):
    list_display = ["mentee", "mentor", "created_at"]
    search_fields = [
        "mentee__participant__user__full_name",
        "mentor__participant__user__full_name",
    ]
    list_select_related = [*PEOPLE, "mentee__program", "mentor__program"]
    raw_id_fields = ["mentee", "mentor"]


@admin.register(Circle)
class CircleAdmin(ModelAdmin):
    list_display = ["name", "program", "run", "score", "common_hours", "is_published"]
    list_filter = ["is_published", "program"]
    search_fields = ["name", "program__name"]
    list_select_related = ["program", "run"]
    raw_id_fields = ["run"]
    filter_horizontal = ["facilitators", "members"]
