"""The request type views are annotated with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from mentorship.accounts.models import User
    from mentorship.organizations.models import Organization


class AppRequest(HttpRequest):
    user: User
    htmx: HtmxDetails
    tenant: Organization
