"""Role checks for views. Roles in a program belong to the enrolment; these are the
organization-level roles (HR admin, coordinator)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def coordinator_required(view: Callable) -> Callable:
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied(
                "Only program coordinators and HR admins can open this."
            )
        return view(request, *args, **kwargs)

    return wrapper
