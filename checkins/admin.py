"""Check-ins in the HR admin's tool: times, statuses and numbers — never note bodies.

``PrivateNote`` is not registered at all. What a pair wrote to each other (shared
notes, action items, updates, goal comments) is left out of every form, list and
search here too: HR admins and coordinators see that it exists, not what it says.
Changes that carry messages (confirming, moving, cancelling a meeting) go through
the portal's services, so the admin shows meetings read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from checkins.models import (
    AsyncUpdate,
    Goal,
    GoalEvent,
    Meeting,
    MeetingLog,
    Milestone,
    PairPause,
    Pulse,
)
from mentorship.admin_lookups import ModelAdmin


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MeetingLogInline(admin.TabularInline):
    model = MeetingLog
    fields = readonly_fields = (
        "author",
        "happened",
        "duration_minutes",
        "topics",
        "created_at",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class PulseInline(admin.TabularInline):
    model = Pulse
    fields = readonly_fields = (
        "author",
        "usefulness",
        "for_coordinator",
        "created_at",
    )
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "starts_at",
        "duration_minutes",
        "status",
        "match",
        "circle",
        "sequence",
    ]
    list_filter = ["status"]
    list_select_related = [
        "match__mentor__participant__user",
        "match__mentee__participant__user",
        "match__program",
        "circle",
    ]
    search_fields = ["id", "location"]
    date_hierarchy = "starts_at"
    fields = readonly_fields = (
        "match",
        "circle",
        "starts_at",
        "duration_minutes",
        "status",
        "sequence",
        "agenda",
        "online_link",
        "location",
        "proposed_by",
        "proposed_at",
        "responded_by",
        "responded_at",
        "replaces",
    )
    inlines = [MeetingLogInline, PulseInline]


@admin.register(MeetingLog)
class MeetingLogAdmin(ReadOnlyAdmin):
    # No shared_notes / action_items: the pair's words stay between them.
    list_display = [
        "id",
        "meeting",
        "author",
        "happened",
        "duration_minutes",
        "created_at",
    ]
    list_filter = ["happened"]
    list_select_related = ["meeting", "author"]
    search_fields = ["author__email", "author__full_name", "topics"]
    fields = readonly_fields = (
        "meeting",
        "author",
        "happened",
        "duration_minutes",
        "topics",
        "created_at",
    )


@admin.register(PairPause)
class PairPauseAdmin(ReadOnlyAdmin):
    """Pauses are set and ended from the pair page (their rules and messages live in
    ``checkins.services.pauses``); the admin lists them."""

    list_display = ["id", "match", "starts_on", "ends_on", "reason", "created_by"]
    list_filter = ["reason"]
    list_select_related = ["match", "created_by"]
    fields = readonly_fields = (
        "match",
        "starts_on",
        "ends_on",
        "reason",
        "note",
        "created_by",
        "created_at",
        "ended_early_at",
    )


@admin.register(Pulse)
class PulseAdmin(ReadOnlyAdmin):
    list_display = ["id", "meeting", "author", "usefulness", "created_at"]
    list_filter = ["usefulness"]
    list_select_related = ["meeting", "author"]
    search_fields = ["author__email", "author__full_name", "for_coordinator"]
    fields = readonly_fields = (
        "meeting",
        "author",
        "usefulness",
        "for_coordinator",
        "created_at",
    )


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["title", "is_done", "done_at"]
    extra = 0


@admin.register(Goal)
class GoalAdmin(ModelAdmin):
    list_display = ["id", "title", "match", "objective", "progress", "updated_at"]
    list_select_related = [
        "objective",
        "match__mentor__participant__user",
        "match__mentee__participant__user",
        "match__program",
    ]
    search_fields = ["title"]
    fields = ["match", "objective", "title", "description", "progress", "created_by"]
    readonly_fields = ["match", "created_by"]
    inlines = [MilestoneInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(GoalEvent)
class GoalEventAdmin(ReadOnlyAdmin):
    # No text: a comment is the mentor's words to the mentee.
    list_display = ["id", "goal", "kind", "progress", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["goal", "author"]
    fields = readonly_fields = (
        "goal",
        "kind",
        "progress",
        "author",
        "created_at",
    )


@admin.register(AsyncUpdate)
class AsyncUpdateAdmin(ReadOnlyAdmin):
    # No body: listed so an HR admin can see activity and delete on request.
    list_display = ["id", "match", "author", "created_at"]
    list_select_related = [
        "author",
        "match__mentor__participant__user",
        "match__mentee__participant__user",
        "match__program",
    ]
    search_fields = ["author__email", "author__full_name"]
    fields = readonly_fields = (
        "match",
        "author",
        "created_at",
    )
