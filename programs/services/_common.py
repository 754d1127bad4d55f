"""What the programs services share."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from mentorship.accounts.models import User
from programs.models import Program
from programs.selectors import program_is_managed_by


def require_manager(*, program: Program, by: User) -> None:
    """PermissionDenied unless ``by`` coordinates ``program`` or is an HR admin."""
    if not program_is_managed_by(program=program, user=by):
        raise PermissionDenied(
            "Only this program's coordinators and HR admins can do this."
        )
