from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentorship.http import AppRequest
from mentorship.notifications import selectors, services


@require_GET
@login_required
def bell(request: AppRequest) -> HttpResponse:
    """The unread count next to the bell, polled by htmx every minute."""
    unread = selectors.notification_unread_count(user=request.user)
    return render(request, "notifications/_bell.html", {"unread": unread})


@require_GET
@login_required
def notification_list(request: AppRequest) -> HttpResponse:
    """The person's in-app messages; opening the page marks them read."""
    notifications = selectors.notification_list_for_user(user=request.user)
    services.notifications_mark_read(user=request.user)
    return render(
        request,
        "notifications/notification_list.html",
        {"notifications": notifications},
    )
