"""match_decline: final; the pair is never proposed again; people are told."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matching import services
from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def test_decline_is_final_and_feeds_the_exclusions(coordinator):
    # given: one mentor, one mentee, a published proposal
    program = matching_program(coordinators=[coordinator])
    teacher, learner = mentor(program), mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    match = Match.objects.get(run=run)
    # when
    declined = services.match_decline(
        match=match, by=learner.participant.user, reason="We work on the same team."
    )
    # then
    assert declined.status == "declined"
    assert declined.declined_by == learner.participant.user
    assert declined.decline_reason == "We work on the same team."
    partner_note = Notification.objects.get(
        kind="match-declined", recipient=teacher.participant.user
    )
    assert "same team" not in partner_note.body  # the reason is for coordinators
    coordinator_note = Notification.objects.get(
        kind="match-declined", recipient=coordinator
    )
    assert "same team" in coordinator_note.body
    with pytest.raises(ValidationError):
        services.match_accept(match=match, by=teacher.participant.user)
    # and a new run never proposes them again
    rerun = services.match_run_start(program=program, by=coordinator)
    assert not Match.objects.filter(run=rerun).exists()
    assert "excluded" in rerun.unmatched[0]["reason"]


def test_an_accepted_match_can_still_be_declined_by_the_other_side(coordinator):
    program = matching_program(coordinators=[coordinator])
    match = Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status="proposed",
    )
    services.match_accept(match=match, by=match.mentee.participant.user)
    declined = services.match_decline(match=match, by=match.mentor.participant.user)
    assert declined.status == "declined"
    assert declined.decline_reason == ""
