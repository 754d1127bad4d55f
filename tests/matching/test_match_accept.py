"""match_accept: one side → accepted; both sides → active (started_at)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import services
from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def match(coordinator):
    program = matching_program(coordinators=[coordinator])
    return Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status="proposed",
    )


def _user(enrollment):
    return enrollment.participant.user


def test_first_acceptance_waits_for_the_other_side(match):
    # when
    accepted = services.match_accept(match=match, by=_user(match.mentee))
    # then
    assert accepted.status == "accepted"
    assert accepted.mentee_accepted_at
    assert not accepted.mentor_accepted_at
    assert accepted.started_at is None
    note = Notification.objects.get(kind="match-accepted")
    assert note.recipient == _user(match.mentor)


def test_both_acceptances_make_the_match_active(match, coordinator):
    services.match_accept(match=match, by=_user(match.mentor))
    active = services.match_accept(match=match, by=_user(match.mentee))
    assert active.status == Match.Status.ACTIVE
    assert active.started_at is not None
    told = set(
        Notification.objects.filter(kind="match-active").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {_user(match.mentor).pk, _user(match.mentee).pk, coordinator.pk}


def test_accepting_twice_changes_nothing(match):
    first = services.match_accept(match=match, by=_user(match.mentee))
    again = services.match_accept(match=match, by=_user(match.mentee))
    assert again.status == "accepted"
    assert again.mentee_accepted_at == first.mentee_accepted_at


def test_outsiders_cannot_accept(match, alpha):
    with pytest.raises(PermissionDenied):
        services.match_accept(match=match, by=alpha.user("coordinator"))


def test_a_suggestion_in_review_cannot_be_accepted(match):
    Match.objects.filter(pk=match.pk).update(status="suggested")
    with pytest.raises(ValidationError):
        services.match_accept(match=match, by=_user(match.mentee))
