"""match_reassign / match_remove: edits during review."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from matching import selectors, services
from matching.models import Match
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator])


def test_reassign_recomputes_the_explanation(program, coordinator):
    # given
    first = mentor(program, skills_offered=["python"])
    second = mentor(program, skills_offered=["sql"])
    learner = mentee(program, skills_wanted=["python"])
    run = services.match_run_start(program=program, by=coordinator)
    match = Match.objects.get(run=run)
    assert match.mentor == first
    # when
    moved = services.match_reassign(match=match, mentor=second, by=coordinator)
    # then
    assert moved.mentor == second
    assert moved.explanation["skills"] == 0
    assert moved.score == pytest.approx(sum(moved.explanation.values()))
    run.refresh_from_db()
    assert run.mean_score == pytest.approx(moved.score)
    assert learner == moved.mentee


def test_reassign_counts_this_reviews_other_proposals(program, coordinator):
    # given: the only other mentor is full with this run's proposals
    full = mentor(program, mentoring_capacity=1)
    spare = mentor(program, mentoring_capacity=1)
    mentee(program)
    mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    on_full = Match.objects.get(run=run, mentor=full)
    # when / then
    with pytest.raises(ValidationError, match="no room"):
        services.match_reassign(match=on_full, mentor=spare, by=coordinator)
    assert (
        selectors.swap_options(
            match=on_full, criteria=selectors.criteria_get(program=program)
        )
        == []
    )


def test_reassign_keeps_the_hard_rules(program, coordinator):
    mentor(program, languages=["en"])
    german = mentor(program, languages=["de"])
    mentee(program, languages=["en"])
    run = services.match_run_start(program=program, by=coordinator)
    match = Match.objects.get(run=run)
    with pytest.raises(ValidationError, match="language"):
        services.match_reassign(match=match, mentor=german, by=coordinator)


def test_swap_options_list_mentors_with_room_best_first(program, coordinator):
    # given: the run gives the mentee the best mentor
    partly = mentor(program, skills_offered=["python"])
    best = mentor(program, skills_offered=["python", "sql"])
    weak = mentor(program, skills_offered=["design"])
    mentor(program, languages=["de"])  # no shared language: never an option
    mentee(program, skills_wanted=["python", "sql"])
    run = services.match_run_start(program=program, by=coordinator)
    match = Match.objects.get(run=run)
    assert match.mentor == best
    # when
    options = selectors.swap_options(
        match=match, criteria=selectors.criteria_get(program=program)
    )
    # then
    assert [o.mentor for o in options] == [partly, weak]
    assert options[0].score > options[1].score
    assert all(o.room == 1 for o in options)


def test_edits_only_while_in_review(program, coordinator):
    mentor(program)
    mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    match = Match.objects.get(run=run)
    with pytest.raises(ValidationError, match="no longer in review"):
        services.match_remove(match=match, by=coordinator)
