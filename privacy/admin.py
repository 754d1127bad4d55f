"""Privacy in the HR admin: erase a person (with a confirmation page), the
organization's retention period with what will be anonymised when."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from mentorship.admin_lookups import ModelAdmin
from privacy.models import Person, RetentionPolicy
from privacy.services import erasure, retention


@admin.register(Person)
class PersonAdmin(ModelAdmin):
    """The people of the organization, to erase one or more (nothing else here:
    people are edited under Users)."""

    list_display = ["email", "full_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name"]
    ordering = ["email"]
    actions = ["erase_personal_data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def get_actions(self, request: HttpRequest):
        # Django lists actions only for users with the matching permission; this
        # one is checked in the action itself (HR admins only).
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("erase_personal_data", None)
        return actions

    @admin.action(description="Erase the personal data of the selected people…")
    def erase_personal_data(
        self, request: HttpRequest, queryset: QuerySet[Person]
    ) -> HttpResponse | None:
        """First a page saying what goes and what stays; erases only on confirm."""
        if not request.user.is_superuser:
            raise PermissionDenied
        people = [p for p in queryset.order_by("email") if p.pk != request.user.pk]
        if request.POST.get("confirm") == "erase":
            erased = 0
            for person in people:
                erasure.person_erase(user=person, by=request.user, reason="request")
                erased += 1
            self.message_user(
                request,
                f"Erased the personal data of {erased} person(s). "
                "The audit log records it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.get_full_path())
        context = {
            **self.admin_site.each_context(request),
            "title": "Erase personal data?",
            "people": people,
            "skipped_self": queryset.filter(pk=request.user.pk).exists(),
            "removed": erasure.WHAT_GOES,
            "kept": erasure.WHAT_STAYS,
            "action_name": "erase_personal_data",
            "selected": [p.pk for p in people],
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,  # type: ignore[attr-defined]
        }
        return TemplateResponse(request, "admin/privacy/erase_confirm.html", context)


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ModelAdmin):
    """One row: the months to keep; below it, what will be anonymised and when."""

    fields = ["months", "schedule"]
    readonly_fields = ["schedule"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        """The one row's page; a filtered list URL gets the usual lookup checks."""
        if request.GET:
            return super().changelist_view(request, extra_context)
        policy = retention.policy_get()
        return HttpResponseRedirect(
            reverse("admin:privacy_retentionpolicy_change", args=[policy.pk])
        )

    @admin.display(description="what will be anonymised, and when")
    def schedule(self, policy: RetentionPolicy) -> str:
        from django.template.loader import render_to_string

        rows = retention.retention_schedule(now=timezone.now())
        return render_to_string(
            "admin/privacy/_retention_schedule.html", {"rows": rows, "policy": policy}
        )
