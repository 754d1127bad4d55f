"""503 for an organization whose schema lags behind the code (during a deploy)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_tenants.utils import get_public_schema_name

from mentorship.organizations.migrating import expected_leaves, schema_is_current

# A lagging organization is checked again after this long.
LAGGING_RECHECK_SECONDS = 5.0
RETRY_AFTER_SECONDS = 30


class LaggingSchemaMiddleware:
    """Answer 503 "being updated" for an organization whose schema has not recorded
    every migration this code expects, instead of failing on missing tables/columns.

    Cheap: a process asks about an organization once (one small query) and remembers
    it as current (``migrating.schema_is_current``); a lagging one is asked about
    again every 5 s. Goes right after the tenant middleware (and WhiteNoise), before
    anything reads the organization's tables.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.public = get_public_schema_name()
        self.lagging_until: dict[str, float] = {}
        expected_leaves()  # read the migration graph at start-up, not on a request

    def __call__(self, request: HttpRequest) -> HttpResponse:
        schema = connection.schema_name  # type: ignore[attr-defined]
        if schema == self.public:
            return self.get_response(request)
        now = time.monotonic()
        if self.lagging_until.get(schema, 0.0) <= now:
            if schema_is_current(schema):
                self.lagging_until.pop(schema, None)
                return self.get_response(request)
            self.lagging_until[schema] = now + LAGGING_RECHECK_SECONDS
        response = HttpResponse(
            render_to_string("organizations/updating.html"), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
