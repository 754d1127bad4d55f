"""Surveys in the HR admin: surveys with their questions, assignments, and the
responses of attributed surveys. Responses of anonymous surveys are not browsable
here at all (no changelist, no change page, no answers): their aggregates are on
the results page, under the 5-person rule."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from mentorship.admin_lookups import ModelAdmin
from reporting.models import (
    Answer,
    ObjectiveMeasure,
    Question,
    Response,
    Survey,
    SurveyAssignment,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("order", "kind", "key", "text", "required", "choices")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # An answered survey keeps its questions (copy it in the dashboard instead).
        return obj is None or not obj.responses.exists()


@admin.register(Survey)
class SurveyAdmin(ModelAdmin):
    list_display = ("title", "program", "kind", "status", "is_anonymous", "trigger")
    list_filter = ("status", "kind", "is_anonymous", "trigger")
    search_fields = ("title", "program__name")
    list_select_related = ("program",)
    readonly_fields = ("template_key", "opened_at", "created_by", "created_at")
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ModelAdmin):
    list_display = ("text", "survey", "kind", "key", "order", "required")
    list_filter = ("kind", "required")
    search_fields = ("text", "key", "survey__title")
    list_select_related = ("survey",)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None or not obj.answers.exists()

    def get_actions(self, request: HttpRequest) -> dict:
        # No bulk delete: it would not ask each question whether it was answered.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(SurveyAssignment)
class SurveyAssignmentAdmin(ModelAdmin):
    """Who was asked; for anonymous surveys only "answered", never when or what."""

    list_display = ("survey", "participant", "occasion", "due_on", "is_answered")
    list_filter = ("is_answered", "survey__status", "role")
    search_fields = ("participant__user__full_name", "participant__user__email")
    list_select_related = ("survey", "participant__user")
    readonly_fields = (
        "survey",
        "participant",
        "occasion",
        "enrollment",
        "match",
        "role",
        "is_answered",
        "answered_on",
        "created_at",
    )
    fields = (
        "survey",
        "participant",
        "occasion",
        "enrollment",
        "match",
        "role",
        "due_on",
        "is_answered",
        "answered_on",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ("question", "item", "number", "text")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Response)
class ResponseAdmin(ModelAdmin):
    """Attributed responses only: anonymous rows are filtered out of every view."""

    list_display = ("survey", "assignment", "submitted_on", "updated_on")
    list_filter = ("survey__status",)
    list_select_related = ("survey", "assignment__participant__user")
    fields = ("survey", "assignment", "submitted_on", "updated_on")
    readonly_fields = fields
    inlines = [AnswerInline]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).filter(is_anonymous=False)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None or not obj.is_anonymous


@admin.register(ObjectiveMeasure)
class ObjectiveMeasureAdmin(ModelAdmin):
    """How each program objective is measured (also set from the impact dashboard)."""

    list_display = ("objective", "source", "question_key", "metric", "target")
    list_filter = ("source", "objective__program")
    list_select_related = ("objective__program",)
    raw_id_fields = ("objective",)
