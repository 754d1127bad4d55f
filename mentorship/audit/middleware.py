"""django-auditlog's middleware, with the client address the project trusts."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest


class AuditMiddleware(AuditlogMiddleware):
    """Couples audit entries to the request's user and client address.

    The address is allauth's (``TRUSTED_PROXY_COUNT`` / ``TRUSTED_CLIENT_IP_HEADER``,
    as for login rate limits), not auditlog's default of the first
    ``X-Forwarded-For`` entry, which any client can write.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return get_adapter(request).get_client_ip(request)

    @staticmethod
    def _get_remote_port(request: HttpRequest) -> int | None:
        return None
