"""match_run_publish: suggestions become proposals and both people hear of it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import services
from matching.models import Match, MatchRun
from mentorship.notifications.models import Notification
from tests.matching.factories import enroll, matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator])


def test_proposes_every_pair_and_notifies_both_people(program, coordinator):
    # given
    teacher = mentor(program, mentoring_capacity=2)
    learners = [mentee(program), mentee(program)]
    run = services.match_run_start(program=program, by=coordinator)
    # when
    run = services.match_run_publish(run=run, by=coordinator)
    # then
    assert run.status == MatchRun.Status.PUBLISHED
    assert run.published_at is not None
    matches = list(Match.objects.filter(run=run))
    assert {m.status for m in matches} == {"proposed"}
    assert all(m.proposed_at for m in matches)
    recipients = list(
        Notification.objects.filter(kind="match-proposed").values_list(
            "recipient_id", flat=True
        )
    )
    assert sorted(recipients) == sorted(
        [teacher.participant.user_id] * 2 + [e.participant.user_id for e in learners]
    )
    note = Notification.objects.filter(recipient=learners[0].participant.user).get()
    assert note.subject.startswith("You have a proposed mentor")
    assert note.link == "/matches/"


def test_publishing_twice_is_refused(program, coordinator):
    mentor(program)
    mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    with pytest.raises(ValidationError):
        services.match_run_publish(run=run, by=coordinator)
    assert Notification.objects.filter(kind="match-proposed").count() == 2


def test_refuses_when_a_mentor_filled_up_since_the_run(program, coordinator):
    # given: the mentor's only place is taken elsewhere after the run
    teacher = mentor(program, mentoring_capacity=1)
    mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    other = matching_program(coordinators=[coordinator])
    Match.objects.create(
        program=other,
        mentor=enroll(other, teacher.participant, "mentor"),
        mentee=mentee(other),
        status="proposed",
    )
    # when / then
    with pytest.raises(ValidationError, match="no longer have room"):
        services.match_run_publish(run=run, by=coordinator)
    assert Match.objects.filter(run=run, status="suggested").count() == 1


def test_only_a_coordinator_of_the_program_publishes(program, coordinator, alpha):
    mentor(program)
    mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.match_run_publish(run=run, by=alpha.user("mentee"))


def test_removed_and_reassigned_pairs_publish_as_edited(program, coordinator):
    # given: two mentors; the coordinator moves a mentee and removes another pair
    first = mentor(program, mentoring_capacity=1)
    second = mentor(program, mentoring_capacity=2)
    a, b = mentee(program), mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    on_first = Match.objects.get(run=run, mentor=first)
    services.match_reassign(match=on_first, mentor=second, by=coordinator)
    other = Match.objects.get(
        run=run, status="suggested", mentee=({a, b} - {on_first.mentee}).pop()
    )
    services.match_remove(match=other, by=coordinator)
    # when
    services.match_run_publish(run=run, by=coordinator)
    # then
    assert list(
        Match.objects.filter(run=run, status="proposed").values_list("mentee", "mentor")
    ) == [(on_first.mentee_id, second.pk)]
    run.refresh_from_db()
    assert run.matched_count == 1
    assert other.mentee_id in {item["enrollment"] for item in run.unmatched}
