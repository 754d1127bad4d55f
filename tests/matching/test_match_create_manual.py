"""match_create_manual: a coordinator rematches a mentee by hand."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matching import services
from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator])


def test_rematch_after_an_early_end(program, coordinator):
    # given: an ended match
    first, second = mentor(program), mentor(program)
    learner = mentee(program)
    old = Match.objects.create(
        program=program, mentor=first, mentee=learner, status="proposed"
    )
    services.match_end(match=old, by=coordinator, reason="Not a fit.")
    # when
    match = services.match_create_manual(
        program=program, mentee=learner, mentor=second, by=coordinator
    )
    # then
    assert match.status == "proposed"
    assert match.score == pytest.approx(sum(match.explanation.values()))
    assert Notification.objects.filter(kind="match-proposed").count() == 2
    # never back with the first mentor
    old_again = Match.objects.filter(mentee=learner, status="proposed").get()
    services.match_end(match=old_again, by=coordinator, reason="Again.")
    with pytest.raises(ValidationError, match="paired"):
        services.match_create_manual(
            program=program, mentee=learner, mentor=first, by=coordinator
        )


def test_refuses_a_full_mentor(program, coordinator):
    teacher = mentor(program, mentoring_capacity=1)
    Match.objects.create(
        program=program,
        mentor=teacher,
        mentee=mentee(program),
        status="active",
        started_at="2026-01-05T10:00Z",
    )
    with pytest.raises(ValidationError, match="no room"):
        services.match_create_manual(
            program=program, mentee=mentee(program), mentor=teacher, by=coordinator
        )


def test_refuses_without_a_shared_language(program, coordinator):
    with pytest.raises(ValidationError, match="language"):
        services.match_create_manual(
            program=program,
            mentee=mentee(program, languages=["fr"]),
            mentor=mentor(program, languages=["de"]),
            by=coordinator,
        )


def test_refuses_a_mentee_who_already_has_a_match(program, coordinator):
    learner = mentee(program)
    Match.objects.create(
        program=program, mentor=mentor(program), mentee=learner, status="proposed"
    )
    with pytest.raises(ValidationError, match="already has"):
        services.match_create_manual(
            program=program, mentee=learner, mentor=mentor(program), by=coordinator
        )
