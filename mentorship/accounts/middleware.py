"""Request guards for signed-in (and signed-out) people."""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from mentorship.http import AppRequest


def htmx_redirect(url: str) -> HttpResponse:
    """401 telling htmx to load ``url`` as a whole page (``HX-Redirect``), instead of
    swapping a full page into a fragment's place."""
    response = HttpResponse(status=401)
    response["HX-Redirect"] = url
    add_never_cache_headers(response)
    return response


class NoStoreForAuthenticatedMiddleware:
    """Pages for a signed-in person are never kept by a browser or proxy cache
    (``private, no-store``). Other pages without a ``Cache-Control`` of their own
    (the sign-in page with its CSRF token) may be kept by the browser only, and
    asked again each time (``private, no-cache``). Static files never get here:
    WhiteNoise answers them first, with a ten-year cache on hashed names."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
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


#: Session flag: this session set up the person's first authenticator (it then counts
#: as a two-factor session without signing in again).
MFA_SET_UP_IN_SESSION = "mentorship_mfa_set_up"


def mark_session_after_authenticator_added(sender, request, user, **kwargs) -> None:
    """``allauth.mfa.signals.authenticator_added``: the session that just set up an
    authenticator has proved it (it typed a code from it)."""
    if request is not None and getattr(request, "user", None) == user:
        request.session[MFA_SET_UP_IN_SESSION] = True


class StaffTwoFactorMiddleware:
    """The organization's "require two-factor for staff", for staff in its scope:

    - without an authenticator, they reach only the two-factor set-up,
      re-authentication, sign-out and static files; everything else sends them to
      the set-up page;
    - with one, a session that never passed the two-factor step (signed in before
      the authenticator existed, or by any path that skipped it) is signed out and
      sent to sign in again, which asks for the code.

    htmx requests get ``401`` + ``HX-Redirect`` instead of a redirect. Costs one query
    per request of a staff member, and only while the setting is on.
    """

    REASON = (
        "Your organization asks staff to use two-factor authentication. Set up an "
        "authenticator app to continue."
    )
    SIGN_IN_AGAIN = (
        "Your organization asks staff to use two-factor authentication. Sign in "
        "again with a code from your authenticator app."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: AppRequest):
        step = self._missing_step(request)
        if step == "set-up" and not self._allowed(request.path_info):
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
        if step == "sign-in":
            logout(request)
            login_path = resolve_url(settings.LOGIN_URL)
            if getattr(request, "htmx", False):
                back_to = request.htmx.current_url_abs_path or "/"
                return htmx_redirect(redirect_to_login(back_to, login_path)["Location"])
            messages.info(request, self.SIGN_IN_AGAIN, fail_silently=True)
            return redirect_to_login(request.get_full_path(), login_path)
        return self.get_response(request)

    @staticmethod
    def _missing_step(request: AppRequest) -> str | None:
        """``"set-up"``, ``"sign-in"`` (with the code) or None (nothing missing)."""
        tenant = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if tenant is None or user is None or not user.is_authenticated:
            return None
        if not tenant.requires_two_factor(user):
            return None
        if not Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists():
            return "set-up"
        if request.session.get(MFA_SET_UP_IN_SESSION) or any(
            record.get("method") == "mfa"
            for record in get_authentication_records(request, user)
        ):
            return None
        return "sign-in"

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
