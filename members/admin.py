"""The HR admin's view of member organizations and their teams. Team changes go
through the services (lead, leaving), so the admin keeps the same rules and audit."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models

from members import services
from members.models import MemberOrganization, Membership
from mentorship.admin_lookups import ModelAdmin


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role_title", "is_lead", "joined_at", "left_at")
    # Lead and leaving go through the services (the Membership page's actions).
    readonly_fields = ("is_lead", "joined_at", "left_at")
    raw_id_fields = ("user",)
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        # Adding someone invites them: the dashboard or the Membership page does it.
        return False


@admin.register(MemberOrganization)
class MemberOrganizationAdmin(ModelAdmin):
    list_display = ("name", "country", "city", "sector", "size", "updated_at")
    list_filter = ("country", "size")
    search_fields = ("name", "city", "sector")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in services.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        services.member_organization_save(
            member_organization=obj, fields=fields, by=request.user
        )


@admin.action(description="End the selected memberships (they leave the team)")
def end_memberships(modeladmin, request, queryset) -> None:
    ended = 0
    for membership in queryset.filter(left_at__isnull=True):
        try:
            services.membership_end(membership=membership, by=request.user)
            ended += 1
        except ValidationError as error:
            modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
    modeladmin.message_user(request, f"{ended} membership(s) ended.")


@admin.action(description="Make the selected person the lead contact")
def make_lead(modeladmin, request, queryset) -> None:
    if queryset.count() != 1:
        modeladmin.message_user(request, "Choose exactly one person.", messages.ERROR)
        return
    try:
        services.membership_lead_set(membership=queryset.get(), by=request.user)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)


@admin.register(Membership)
class MembershipAdmin(ModelAdmin):
    list_display = (
        "user",
        "member_organization",
        "role_title",
        "is_lead",
        "joined_at",
        "left_at",
    )
    list_filter = (
        "member_organization",
        "is_lead",
        ("left_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("user__email", "user__full_name", "member_organization__name")
    raw_id_fields = ("user",)
    list_select_related = ("user", "member_organization")
    actions = [end_memberships, make_lead]

    def get_readonly_fields(self, request, obj=None):
        # Who and where are fixed once added; lead and leaving go through the actions.
        if obj is None:
            return ("is_lead", "joined_at", "left_at")
        return ("member_organization", "user", "is_lead", "joined_at", "left_at")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            obj.save(update_fields=["role_title"])
            return
        saved = services.membership_add(
            member_organization=obj.member_organization,
            user=obj.user,
            role_title=obj.role_title,
            by=request.user,
        )
        obj.pk = saved.pk
