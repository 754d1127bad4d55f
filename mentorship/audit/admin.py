"""The audit log and consent records in the HR admin: read-only, filterable.

Nobody — HR admins and superusers included — can add, change or delete an entry
here (and the database refuses it anyway, see migrations/0002_append_only.py).
"""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from mentorship.admin_lookups import ModelAdmin
from mentorship.audit.models import ConsentRecord
from mentorship.audit.services import ACTIONS, action_label

admin.site.unregister(LogEntry)

_MODEL_CHANGES = {
    "model.create": ("Created", LogEntry.Action.CREATE),
    "model.update": ("Changed", LogEntry.Action.UPDATE),
    "model.delete": ("Deleted", LogEntry.Action.DELETE),
}


class WhatFilter(admin.SimpleListFilter):
    title = "what"
    parameter_name = "what"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        recorded = [(name, label) for name, (label, _) in ACTIONS.items()]
        changed = [
            (key, f"Record {label.lower()}")
            for key, (label, _) in _MODEL_CHANGES.items()
        ]
        return recorded + changed

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value in ACTIONS:
            return queryset.filter(additional_data__action=value)
        if value in _MODEL_CHANGES:
            return queryset.filter(
                Q(additional_data__isnull=True) | ~Q(additional_data__has_key="action"),
                action=_MODEL_CHANGES[value][1],
            )
        return queryset


class ActorFilter(admin.SimpleListFilter):
    """Who did it: the staff who appear in the log (a short list), by email."""

    title = "who"
    parameter_name = "who"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        emails = (
            LogEntry.objects.exclude(actor_email__isnull=True)
            .exclude(actor_email="")
            .order_by("actor_email")
            .values_list("actor_email", flat=True)
            .distinct()[:200]
        )
        return [(email, email) for email in emails]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(actor_email=self.value())
        return queryset


class RecordTypeFilter(admin.SimpleListFilter):
    """The kinds of record the log mentions (not every model of the project)."""

    title = "record type"
    parameter_name = "type"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        used = LogEntry.objects.order_by().values_list("content_type", flat=True)
        types = ContentType.objects.filter(pk__in=used.distinct())
        return sorted(
            (
                (str(t.pk), str(model._meta.verbose_name).capitalize())
                for t in types
                if (model := t.model_class()) is not None
            ),
            key=lambda item: item[1],
        )

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(content_type_id=int(value))
        return queryset


@admin.register(LogEntry)
class AuditLogEntryAdmin(ModelAdmin):
    """Who did what, when, to which record, from which address."""

    date_hierarchy = "timestamp"
    list_display = [
        "when",
        "who",
        "what",
        "content_type",
        "object_repr",
        "remote_addr",
    ]
    list_filter = [WhatFilter, ActorFilter, RecordTypeFilter]
    list_select_related = ["content_type", "actor"]
    # One tuple for both (a tuple: the admin stubs type the two lists differently).
    fields = readonly_fields = (
        "timestamp",
        "who",
        "what",
        "content_type",
        "object_pk",
        "object_repr",
        "remote_addr",
        "changes",
        "changes_text",
        "additional_data",
    )
    list_per_page = 100

    @admin.display(description="when", ordering="timestamp")
    def when(self, entry: LogEntry) -> str:
        """In the viewer's zone, with its name (the admin activates the viewer's)."""
        local = timezone.localtime(entry.timestamp)
        return f"{local:%Y-%m-%d %H:%M:%S} ({timezone.get_current_timezone_name()})"

    @admin.display(description="who", ordering="actor_email")
    def who(self, entry: LogEntry) -> str:
        return entry.actor_email or "the system"

    @admin.display(description="what")
    def what(self, entry: LogEntry) -> str:
        return action_label(entry)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ModelAdmin):
    """Every consent answer: who, to what, which version of the text, when."""

    date_hierarchy = "at"
    list_display = ["at", "user", "kind", "subject", "decision", "version"]
    list_filter = ["kind", "decision"]
    list_select_related = ["user"]
    search_fields = ["user__email", "subject"]
    # One tuple for both (a tuple: the admin stubs type the two lists differently).
    fields = readonly_fields = (
        "at",
        "user",
        "kind",
        "subject",
        "decision",
        "version",
        "text",
        "details",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
