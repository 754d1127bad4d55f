"""Request guards for signed-in (and signed-out) people."""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from mentorship.http import AppRequest


def htmx_redirect(url: str) -> HttpResponse:
    """401 telling htmx to load ``url`` as a whole page (``HX-Redirect``), instead of
    swapping a full page into a fragment's place."""
    response = HttpResponse(status=401)
    response["HX-Redirect"] = url
    add_never_cache_headers(response)
    return response


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in person are never kept by a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class HtmxLoginRedirectMiddleware:
    """A partial (htmx) request without a session gets ``401`` + ``HX-Redirect`` to the
    sign-in page, which then returns to the page the person was on — not the sign-in
    page's HTML swapped into a fragment (the bell's minute refresh was the example).

    Covers every view whatever its decorator: it rewrites the redirect to
    ``LOGIN_URL`` that ``login_required`` (or anything else) answered with.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: AppRequest):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or request.user.is_authenticated:
            return response
        if not isinstance(response, HttpResponseRedirect):
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login_path:
            return response
        back_to = request.htmx.current_url_abs_path or "/"
        if urlsplit(back_to).path == login_path:
            return HttpResponse(status=204)  # already there: never a reload loop
        return htmx_redirect(redirect_to_login(back_to, login_path)["Location"])


class StaffTwoFactorMiddleware:
    """The organization's "require two-factor for staff": staff in its scope who have no
    authenticator reach only the two-factor set-up, re-authentication, sign-out and
    static files; every other request is sent to the set-up page (htmx requests get
    ``401`` + ``HX-Redirect``).

    Costs one query per request of a staff member, and only while the setting is on.
    """

    REASON = (
        "Your organization asks staff to use two-factor authentication. Set up an "
        "authenticator app to continue."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: AppRequest):
        if self._must_set_up(request) and not self._allowed(request.path_info):
            setup = reverse("mfa_activate_totp")
            if getattr(request, "htmx", False):
                current = urlsplit(request.htmx.current_url_abs_path or "").path
                if current and self._allowed(current):
                    # A partial of the set-up page itself (the bell): nothing to do,
                    # and redirecting it would reload the set-up page forever.
                    return HttpResponse(status=204)
                return htmx_redirect(setup)
            messages.info(request, self.REASON, fail_silently=True)
            return HttpResponseRedirect(setup)
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: AppRequest) -> bool:
        tenant = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if tenant is None or user is None or not user.is_authenticated:
            return False
        if not tenant.requires_two_factor(user):
            return False
        return not Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed_prefixes = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            settings.STATIC_URL,
            reverse("healthz"),
        )
        return path.startswith(allowed_prefixes)
