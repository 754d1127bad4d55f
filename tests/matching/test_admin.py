"""Matching in the admin: every changelist opens; actions go through services."""

from __future__ import annotations

import pytest

from matching import services
from matching.models import Match, MatchRun, MentorPreference
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "matchingcriteria",
    "matchrun",
    "match",
    "matchsuggestion",
    "mentorpreference",
    "circle",
]


@pytest.fixture
def run(hr_admin):
    program = matching_program(coordinators=[hr_admin])
    teacher, learner = mentor(program), mentee(program)
    MentorPreference.objects.create(mentee=learner, mentor=teacher)
    return services.match_run_start(program=program, by=hr_admin)


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_model_has_a_changelist(alpha, run, model):
    client = alpha.client("hradmin")
    assert client.get(f"/admin/matching/{model}/").status_code == 200
    assert client.get(f"/admin/matching/{model}/?q=x").status_code == 200


def test_publish_action_calls_the_service(alpha, run):
    client = alpha.client("hradmin")
    client.post(
        "/admin/matching/matchrun/",
        {"action": "publish", "_selected_action": [run.pk]},
    )
    run.refresh_from_db()
    assert run.status == MatchRun.Status.PUBLISHED
    assert Match.objects.get(run=run).status == "proposed"
    # publishing again is refused with the reason
    response = client.post(
        "/admin/matching/matchrun/",
        {"action": "publish", "_selected_action": [run.pk]},
        follow=True,
    )
    assert b"Only a finished run in review can be published" in response.content


def test_end_action_calls_the_service(alpha, run, hr_admin):
    services.match_run_publish(run=run, by=hr_admin)
    match = Match.objects.get(run=run)
    alpha.client("hradmin").post(
        "/admin/matching/match/",
        {"action": "end_early", "_selected_action": [match.pk]},
    )
    match.refresh_from_db()
    assert (match.status, match.ended_by) == ("ended", hr_admin)


def test_members_cannot_open_the_admin(alpha, run):
    response = alpha.client("mentee").get("/admin/matching/match/")
    assert response.status_code == 302
