"""Circle runs for group and peer programs: circles around facilitators."""

from __future__ import annotations

import pytest

from matching import selectors, services
from matching.models import Circle
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def test_circle_run_places_everyone_and_publishes(coordinator):
    # given: 2 facilitators, 8 participants, circles of 4
    program = matching_program(
        coordinators=[coordinator], kind="group_circle", focus_areas=["Leadership"]
    )
    hosts = [mentor(program, skills_offered=["leadership"]) for _ in range(2)]
    people = [mentee(program, skills_wanted=["leadership"]) for _ in range(8)]
    # when
    run = services.match_run_start(
        program=program, by=coordinator, mode="circles", circle_size=4
    )
    # then
    assert run.status == "done", run.error
    circles = list(
        Circle.objects.filter(run=run).prefetch_related("members", "facilitators")
    )
    assert len(circles) == 2
    assert sorted(e.pk for c in circles for e in c.members.all()) == sorted(
        e.pk for e in people
    )
    assert {e.pk for c in circles for e in c.facilitators.all()} == {
        e.pk for e in hosts
    }
    assert all(len(c.members.all()) == 4 for c in circles)
    assert all(c.shared_skills == ["leadership"] for c in circles)
    assert run.matched_count == 8
    assert run.unmatched == []
    # when published
    services.match_run_publish(run=run, by=coordinator)
    # then
    assert Circle.objects.filter(run=run, is_published=True).count() == 2
    assert Notification.objects.filter(kind="circle-published").count() == 10
    portal = selectors.portal_matches(user=people[0].participant.user)
    assert len(portal.circles) == 1


def test_too_few_people_stay_unplaced_with_the_reason(coordinator):
    program = matching_program(coordinators=[coordinator], kind="peer")
    mentor(program, mentoring_capacity=1)
    for _ in range(3):
        mentee(program)
    # circles of 6 need at least 4 participants
    run = services.match_run_start(
        program=program, by=coordinator, mode="circles", circle_size=6
    )
    assert not Circle.objects.filter(run=run).exists()
    assert {item["reason"] for item in run.unmatched} == {
        "too few participants for a circle of the minimum size"
    }
    # circles of 3 fit them
    run = services.match_run_start(
        program=program, by=coordinator, mode="circles", circle_size=3
    )
    assert Circle.objects.filter(run=run).count() == 1
