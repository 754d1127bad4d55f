"""The request type views are annotated with, and the small answers views share."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_htmx.http import HttpResponseClientRedirect

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from mentorship.accounts.models import User
    from mentorship.organizations.models import Organization


class AppRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
    tenant: Organization


def back(request: AppRequest, url: str) -> HttpResponse:
    """After a successful POST: follow to ``url`` with a full page, htmx or not."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def error_text(error: ValidationError | PermissionDenied) -> str:
    """A refused action's messages in one line, for ``messages.error``."""
    return " ".join(getattr(error, "messages", [str(error)]))
