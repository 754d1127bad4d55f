"""Mentees pick from their top five: suggestions, then a pick with capacity
re-checked at pick time."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import selectors, services
from matching.models import Match, MatchSuggestion
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator])


def test_each_mentee_gets_up_to_five_ranked_choices(program, coordinator):
    # given
    for _ in range(7):
        mentor(program)
    learners = [mentee(program), mentee(program)]
    loner = mentee(program, languages=["fi"])
    # when
    run = services.match_run_start(
        program=program, by=coordinator, mode="mentee_choice"
    )
    # then
    assert run.status == "done"
    assert not Match.objects.filter(run=run).exists()
    for learner in learners:
        ranked = list(
            MatchSuggestion.objects.filter(run=run, mentee=learner).order_by("rank")
        )
        assert [s.rank for s in ranked] == [1, 2, 3, 4, 5]
        assert [s.score for s in ranked] == sorted(
            (s.score for s in ranked), reverse=True
        )
        for s in ranked:
            assert s.score == pytest.approx(sum(s.explanation.values()))
    assert run.unmatched == [
        {"enrollment": loner.pk, "reason": "no mentor shares a language"}
    ]


def test_pick_after_publish_asks_the_mentor(program, coordinator):
    mentor(program)
    learner = mentee(program)
    run = services.match_run_start(
        program=program, by=coordinator, mode="mentee_choice"
    )
    services.match_run_publish(run=run, by=coordinator)
    assert Notification.objects.filter(kind="match-choose").count() == 1
    user = learner.participant.user
    [group] = selectors.portal_matches(user=user).choices
    # when
    match = services.match_suggestion_pick(suggestion=group.suggestions[0], by=user)
    # then: the pick is the mentee's acceptance
    assert (match.status, match.mentee) == ("accepted", learner)
    assert match.mentee_accepted_at is not None
    assert selectors.portal_matches(user=user).choices == []
    active = services.match_accept(match=match, by=match.mentor.participant.user)
    assert active.status == "active"


def test_pick_rechecks_the_mentors_capacity(program, coordinator):
    # given: two mentees whose suggestions share the one mentor with one place
    mentor(program, mentoring_capacity=1)
    first, second = mentee(program), mentee(program)
    run = services.match_run_start(
        program=program, by=coordinator, mode="mentee_choice"
    )
    services.match_run_publish(run=run, by=coordinator)
    services.match_suggestion_pick(
        suggestion=MatchSuggestion.objects.get(run=run, mentee=first),
        by=first.participant.user,
    )
    # when / then
    with pytest.raises(ValidationError, match="no room"):
        services.match_suggestion_pick(
            suggestion=MatchSuggestion.objects.get(run=run, mentee=second),
            by=second.participant.user,
        )


def test_only_the_mentee_picks(program, coordinator):
    mentor(program)
    learner = mentee(program)
    run = services.match_run_start(
        program=program, by=coordinator, mode="mentee_choice"
    )
    services.match_run_publish(run=run, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.match_suggestion_pick(
            suggestion=MatchSuggestion.objects.get(run=run, mentee=learner),
            by=coordinator,
        )
