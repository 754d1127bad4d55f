from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from mentorship.admin_lookups import ModelAdmin
from mentorship.notifications import services
from mentorship.notifications.models import Notification

DEAD_LETTERS = [Notification.Status.FAILED, Notification.Status.UNKNOWN]


class DeadLetterFilter(admin.SimpleListFilter):
    """Messages that need a person: failed for good, or lost mid-send."""

    title = "dead letters"
    parameter_name = "dead_letter"

    def lookups(self, request, model_admin):
        return [("yes", "Failed or unknown")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=DEAD_LETTERS)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ModelAdmin):
    list_display = [
        "id",
        "recipient",
        "kind",
        "channel",
        "status",
        "due_at",
        "sent_at",
        "attempts",
        "lost_count",
        "error_summary",
    ]
    list_filter = [DeadLetterFilter, "status", "channel", "kind"]
    search_fields = ["dedupe_key", "subject", "recipient__email"]
    list_select_related = ["recipient"]
    date_hierarchy = "due_at"
    actions = ["retry"]
    # The outbox is written by services only; the admin reads it and retries.
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="last error")
    def error_summary(self, notification: Notification) -> str:
        return notification.last_error[:80]

    @admin.action(description="Send the selected failed or unknown messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        retried = 0
        for notification in queryset.filter(status__in=DEAD_LETTERS):
            services.notification_retry(notification=notification)
            retried += 1
        self.message_user(
            request, f"{retried} message(s) queued again.", messages.SUCCESS
        )
