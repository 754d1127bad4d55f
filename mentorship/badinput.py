"""Input no field can hold, handled once, before any view sees it.

``RefuseNulMiddleware``:

PostgreSQL refuses NUL (U+0000) in text, so a NUL reaching a query — a search box,
a filter, a form the view saves — raised a ``ValueError`` and a 500. No field of the
product accepts NUL (Django's form fields already refuse it), so a request carrying
one in a query parameter, a form field or an upload's file name is answered here
with **400** and a message, for every URL at once, new ones included.

``StoredZoneFallbackMiddleware``: a person whose stored time zone is not an IANA name
(set before the admin validated it) sees every page in UTC instead of a 500, and is
told to pick their zone.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from mentorship.accounts.timezones import is_valid_zone

MESSAGE = (
    "The request contained a NUL character (U+0000), which no field accepts. "
    "Remove it and try again."
)


def _has_nul(data) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in data.lists()
    )


def request_has_nul(request: HttpRequest) -> bool:
    """Whether a query parameter, form field or file name of ``request`` has a NUL."""
    if _has_nul(request.GET):
        return True
    if request.method != "POST":
        return False
    if _has_nul(request.POST):
        return True
    return any(
        "\x00" in (upload.name or "")
        for uploads in request.FILES.lists()
        for upload in uploads[1]
    )


class RefuseNulMiddleware:
    """400 with a message for a request carrying NUL (see the module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            if request.headers.get("HX-Request"):
                return HttpResponse(
                    MESSAGE, status=400, content_type="text/plain; charset=utf-8"
                )
            return HttpResponse(
                render_to_string("400_input.html", {"message": MESSAGE}, request),
                status=400,
            )
        return self.get_response(request)


class StoredZoneFallbackMiddleware:
    """UTC, in memory only, for a signed-in person with an unknown stored zone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not is_valid_zone(user.time_zone)
        ):
            user.time_zone = "UTC"
            if not request.headers.get("HX-Request"):
                messages.warning(
                    request,
                    "Your time zone setting was not recognised, so times are shown "
                    "in UTC. Choose your time zone in your profile.",
                )
        return self.get_response(request)
