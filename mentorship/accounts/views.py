"""Account pages of our own, on top of allauth's."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.account.utils import perform_login
from allauth.account.views import PasswordResetFromKeyView
from django.http import HttpResponse
from django.urls import reverse


class FirstPasswordFromKeyView(PasswordResetFromKeyView):
    """allauth's set-password-from-key page, which also serves invitations.

    A person setting their *first* password (an invited or imported account has an
    unusable one) is signed in and sent to the welcome, instead of allauth's "your
    password is now changed" page, signed out with no way on. The key came to their
    address, so the address counts as verified. Later resets behave as allauth's
    (``ACCOUNT_LOGIN_ON_PASSWORD_RESET`` stays off).
    """

    def form_valid(self, form) -> HttpResponse:
        user = self.reset_user
        is_first_password = not user.has_usable_password()
        response = super().form_valid(form)
        if not is_first_password:
            return response
        EmailAddress.objects.filter(user=user, email__iexact=user.email).update(
            verified=True
        )
        # Members get the welcome; coordinators and HR admins their usual first page.
        welcome = reverse("welcome") if user.role == user.Role.MEMBER else None
        return perform_login(self.request, user, redirect_url=welcome)


password_reset_from_key = FirstPasswordFromKeyView.as_view()
