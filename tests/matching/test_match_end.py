"""match_end: a coordinator ends a live match early, with a reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import services
from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def active(coordinator):
    program = matching_program(coordinators=[coordinator])
    return Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status="active",
        started_at="2026-01-05T10:00Z",
    )


def test_ends_with_reason_and_tells_both(active, coordinator):
    ended = services.match_end(match=active, by=coordinator, reason="Mentor left.")
    assert (ended.status, ended.end_reason, ended.ended_by) == (
        "ended",
        "Mentor left.",
        coordinator,
    )
    assert ended.ended_at is not None
    assert Notification.objects.filter(kind="match-ended").count() == 2


def test_needs_a_reason(active, coordinator):
    with pytest.raises(ValidationError):
        services.match_end(match=active, by=coordinator, reason="  ")


def test_an_ended_match_cannot_end_again(active, coordinator):
    services.match_end(match=active, by=coordinator, reason="Done.")
    with pytest.raises(ValidationError):
        services.match_end(match=active, by=coordinator, reason="Again.")


def test_only_the_programs_coordinators(active, alpha):
    with pytest.raises(PermissionDenied):
        services.match_end(match=active, by=alpha.user("coordinator2"), reason="x")
