"""Shared working time as a hard rule, and as a warning on the review page (issue 12):
a Dhaka mentee and a New York mentor share 0 h a week and were proposed silently."""

from __future__ import annotations

import pytest

from matching import services
from matching.models import Match, MatchingCriteria, MatchRun
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator], name="Across the world")


def _run(program, coordinator) -> MatchRun:
    return services.match_run_start(program=program, by=coordinator)


def test_a_pair_without_shared_hours_is_flagged_with_its_least_bad_hour(
    alpha, program, coordinator
):
    # given: 9-17 in Dhaka (03-11Z) and 9-17 in New York (14-22Z): 0 h a week
    mentee(program, name="Rahim Dhaka", zone="Asia/Dhaka")
    mentor(program, name="Nora York", zone="America/New_York")
    _run(program, coordinator)

    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matching/")
        .content.decode()
    )

    assert "Only 0 h of shared working time a week." in page
    # An hour after Rahim's day and an hour before Nora's (winter or summer time);
    # neither chose a preferred name, so each is called by their whole name.
    assert "Least-bad hour:" in page
    assert "for Rahim Dhaka, 1 h outside their hours" in page
    assert "for Nora York, 1 h outside their hours" in page


def test_a_pair_sharing_enough_hours_is_not_flagged(alpha, program, coordinator):
    mentee(program, name="Ola Warsaw", zone="Europe/Warsaw")
    mentor(program, name="Lars Berlin", zone="Europe/Berlin")
    _run(program, coordinator)

    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matching/")
        .content.decode()
    )

    assert "40 h of shared working time a week" in page
    assert "Least-bad hour" not in page


def test_the_hard_rule_leaves_the_mentee_unmatched_with_the_reason(
    alpha, program, coordinator
):
    learner = mentee(program, name="Rahim Dhaka", zone="Asia/Dhaka")
    mentor(program, name="Nora York", zone="America/New_York")
    MatchingCriteria.objects.create(program=program, min_overlap_hours=2)

    run = _run(program, coordinator)

    assert not Match.objects.filter(run=run).exists()
    assert run.unmatched == [
        {
            "enrollment": learner.pk,
            "reason": "no mentor who shares a language shares 2 working hours a week",
        }
    ]
    assert run.settings["min_overlap_hours"] == 2
