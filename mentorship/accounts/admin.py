"""People in the HR admin: users, their email addresses, groups and authenticators.

- Lookups are limited to what the lists show (``ShownLookupsOnlyMixin``), for the
  third-party models registered here too.
- Two-factor secrets (TOTP seeds, recovery-code seeds) are never shown: an
  authenticator shows its owner, kind and dates, and can only be deleted (a person who
  lost their phone sets up again).
- Passwords: adding a person sends them a link to choose their own; "Send a password
  reset link" does the same for existing people; setting a password by hand emails the
  person and is recorded in the history.
"""

from __future__ import annotations

from typing import cast

from allauth.account import admin as allauth_account_admin
from allauth.account.models import EmailAddress
from allauth.mfa import admin as allauth_mfa_admin  # noqa: F401 (registers; replaced)
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest

from mentorship.accounts import services
from mentorship.accounts.models import User
from mentorship.accounts.timezones import is_valid_zone
from mentorship.admin_lookups import ModelAdmin, ShownLookupsOnlyMixin


class UserInviteForm(forms.ModelForm):
    """Adding a person: no password typed by HR — they get a link to choose one."""

    class Meta:
        model = User
        fields = ["email", "full_name", "preferred_name", "role", "time_zone"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data["time_zone"].strip()
        if not is_valid_zone(zone):
            raise forms.ValidationError(
                "Use a time zone name such as Europe/Warsaw or America/Chicago."
            )
        return zone


def _admin_user(request: HttpRequest) -> User:
    """The signed-in staff member (the admin site serves no anonymous requests)."""
    return cast(User, request.user)


@admin.register(User)
class UserAdmin(ShownLookupsOnlyMixin, BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "role",
        "time_zone",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "full_name", "preferred_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            "Person",
            {
                "fields": [
                    "full_name",
                    "preferred_name",
                    "role",
                    "time_zone",
                    "language",
                ]
            },
        ),
        (
            "Notifications",
            {
                "fields": [
                    "digest_hour",
                    "quiet_start",
                    "quiet_end",
                    "email_enabled",
                    "muted_kinds",
                ]
            },
        ),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_form = UserInviteForm
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "preferred_name", "role", "time_zone"],
                "description": "They get an email with a link to choose a password.",
            },
        )
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["send_password_reset_link"]
    change_user_password_template = "admin/accounts/user/change_password.html"  # noqa: S105

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        user = services.user_create(
            email=obj.email,
            password=None,
            full_name=obj.full_name,
            preferred_name=obj.preferred_name,
            role=obj.role,
            time_zone=obj.time_zone,
        )
        services.user_password_reset_link_send(users=[user], by=_admin_user(request))
        obj.pk = user.pk  # the admin logs the addition and redirects with this object
        obj.refresh_from_db()

    def user_change_password(self, request: HttpRequest, id, form_url=""):
        """Django's set-password page, plus: the person is emailed and it is recorded."""
        user = self.get_object(request, unquote(id))
        before = user.password if user is not None else None
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and user is not None:
            user.refresh_from_db(fields=["password"])
            if user.password != before:
                services.user_password_set_by_admin_record(
                    user=user, by=_admin_user(request)
                )
        return response

    @admin.action(description="Send a password reset link to the selected people")
    def send_password_reset_link(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> None:
        queued = services.user_password_reset_link_send(
            users=list(queryset.filter(is_active=True)), by=_admin_user(request)
        )
        self.message_user(
            request,
            f"Password reset link sent to {queued} person(s).",
            messages.SUCCESS,
        )


# --- Third-party models, re-registered with the project's rules -------------------------
admin.site.unregister(Group)
admin.site.unregister(EmailAddress)
admin.site.unregister(Authenticator)


@admin.register(Group)
class GroupAdmin(ShownLookupsOnlyMixin, auth_admin.GroupAdmin):
    pass


@admin.register(EmailAddress)
class EmailAddressAdmin(ShownLookupsOnlyMixin, allauth_account_admin.EmailAddressAdmin):
    pass


@admin.register(Authenticator)
class AuthenticatorAdmin(ModelAdmin):
    """Who has which kind of authenticator, never its secret (``data`` holds the TOTP
    seed and the recovery-code seed)."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    # One tuple for both (a tuple: the admin stubs type the two lists differently).
    fields = readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Authenticator) -> None:
        self.delete_queryset(request, Authenticator.objects.filter(pk=obj.pk))

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[Authenticator]
    ) -> None:
        """Delete, then tell each person and record it (no silent removal)."""
        removed: dict[int, list[str]] = {}
        for authenticator in queryset.select_related("user"):
            removed.setdefault(authenticator.user_id, []).append(str(authenticator))
        users = {user.pk: user for user in User.objects.filter(pk__in=removed)}
        queryset.delete()
        for user_id, kinds in removed.items():
            services.user_authenticators_removed_by_admin_record(
                user=users[user_id], kinds=kinds, by=_admin_user(request)
            )
