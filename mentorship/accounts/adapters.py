from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Organizations are closed: people are invited or imported, never self-signed."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        user = request.user
        if user.is_hr_admin:
            return reverse("admin:index")
        if user.is_coordinator:
            return reverse("reporting:manage-home")
        return reverse("home")

    def get_client_ip(self, request) -> str:
        """The client address for per-IP rate limits (``TRUSTED_PROXY_COUNT`` hops).

        A request that carries fewer ``X-Forwarded-For`` entries than the configured
        hops did not come through them (it reached the app directly): its connecting
        address counts, instead of allauth's ImproperlyConfigured (a 500 on sign-in).
        """
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            address = request.META.get("REMOTE_ADDR")
            if not address:
                raise PermissionDenied(
                    "Unable to determine client IP address"
                ) from None
            return address
