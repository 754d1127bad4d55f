"""Times on every page in the viewer's own zone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from mentorship import localtime


class ViewerZoneMiddleware:
    """Activate the signed-in person's time zone for the request — members,
    coordinators, HR admins and the platform admin alike — so ``{{ value|date }}``,
    forms and the admin show their wall clock. Signed out, times stay in UTC.

    An unknown stored zone reads as UTC (``localtime.tz``); runs after
    ``StoredZoneFallbackMiddleware``, which tells the person so.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", None)
        if user is not None and user.is_authenticated and zone:
            timezone.activate(localtime.tz(zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
