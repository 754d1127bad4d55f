"""The portal's "Your matches" page, its summary card, accept / decline / pick."""

from __future__ import annotations

import pytest

from matching import services
from matching.models import Match, MatchSuggestion
from programs.models import Participant
from tests.matching.factories import enroll, matching_program, mentee, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(alpha, coordinator):
    """A published proposal between the personas Minh (mentor) and Priya (mentee),
    who go by their preferred names "Minh" and "Priya"."""
    program = matching_program(coordinators=[coordinator], name="Pathways")
    for persona, preferred in (("mentor", "Minh"), ("mentee", "Priya")):
        user = alpha.user(persona)
        user.preferred_name = preferred
        user.save(update_fields=["preferred_name"])
    minh = person(
        user=alpha.user("mentor"),
        title="Staff engineer",
        country="VN",
        languages=["en", "vi"],
        skills_offered=["system design", "python"],
        seniority=Participant.Seniority.LEAD,
        bio="Fifteen years of backend work.",
    )
    priya = person(
        user=alpha.user("mentee"),
        title="Junior developer",
        country="IN",
        languages=["en", "hi"],
        skills_wanted=["system design"],
    )
    enroll(program, minh, "mentor")
    enroll(program, priya, "mentee")
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    return Match.objects.get(run=run)


def test_mentee_sees_the_proposal_with_plain_reasons(alpha, proposal):
    page = alpha.client("mentee").get("/matches/").content.decode()
    assert "Waiting for your answer" in page
    assert "Minh Mentor" in page
    assert "Staff engineer" in page
    assert "Vietnam" in page or "Viet Nam" in page
    assert "Ho Chi Minh · 1½ h ahead of you" in page  # Kolkata +5:30, Saigon +7
    assert "Minh offers system design — what you want to learn." in page
    assert "You both speak English." in page
    assert "A cross-border pair" in page
    assert "Accept Minh" in page


def test_summary_card_for_the_portal_home(alpha, proposal):
    response = alpha.client("mentee").get("/matches/summary/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"1 waiting for your answer" in response.content
    assert b"<html" not in response.content
    home = alpha.client("mentee").get("/").content  # the home renders it itself
    assert b'id="portal-matches"' in home
    assert b"1 waiting for your answer" in home


def test_both_accept_through_the_portal(alpha, proposal):
    # when
    response = alpha.client("mentee").post(f"/matches/{proposal.pk}/accept/")
    # then
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    page = alpha.client("mentee").get("/matches/").content.decode()
    assert "Waiting for the other side" in page
    alpha.client("mentor").post(f"/matches/{proposal.pk}/accept/")
    proposal.refresh_from_db()
    assert proposal.status == "active"
    assert proposal.started_at
    page = alpha.client("mentor").get("/matches/").content.decode()
    assert "Active" in page
    assert "Priya Mentee" in page
    # The active match leads to the pair's page, from the page and the portal card.
    assert f'href="/pairs/{proposal.pk}/"' in page
    card = alpha.client("mentor").get("/matches/summary/", HTTP_HX_REQUEST="true")
    assert f'href="/pairs/{proposal.pk}/"' in card.content.decode()


def test_decline_with_a_reason(alpha, proposal):
    response = alpha.client("mentor").post(
        f"/matches/{proposal.pk}/decline/",
        {"reason": "I am fully booked."},
        HTTP_HX_REQUEST="true",
    )
    assert response.headers["HX-Redirect"] == "/matches/"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (
        "declined",
        "I am fully booked.",
    )


def test_someone_else_cannot_answer(alpha, proposal):
    for persona in ("coordinator", "hradmin"):
        client = alpha.client(persona)
        assert client.post(f"/matches/{proposal.pk}/accept/").status_code == 404
        assert client.post(f"/matches/{proposal.pk}/decline/").status_code == 404
        assert b"Minh" not in client.get("/matches/").content
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_outsider_sees_nothing(alpha, beta, proposal):
    response = beta.client("mentee").get("/matches/")
    assert b"Minh" not in response.content
    assert (
        beta.client("mentee").post(f"/matches/{proposal.pk}/accept/").status_code == 404
    )
    response = alpha.client().get("/matches/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_pick_from_the_portal(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    enroll(program, person(user=alpha.user("mentor")), "mentor")
    learner = enroll(program, person(user=alpha.user("mentee")), "mentee")
    mentee(program)  # another mentee, whose suggestions Priya can't pick
    run = services.match_run_start(
        program=program, by=coordinator, mode="mentee_choice"
    )
    services.match_run_publish(run=run, by=coordinator)
    client = alpha.client("mentee")
    page = client.get("/matches/").content.decode()
    assert "Choose your mentor" in page
    assert "Choose Minh" in page
    mine = MatchSuggestion.objects.get(run=run, mentee=learner)
    theirs = MatchSuggestion.objects.exclude(mentee=learner).get(run=run)
    assert client.post(f"/matches/suggestions/{theirs.pk}/pick/").status_code == 404
    assert client.post(f"/matches/suggestions/{mine.pk}/pick/").status_code == 302
    assert Match.objects.get(mentee=learner).status == "accepted"


def test_empty_state(alpha):
    page = alpha.client("mentee").get("/matches/").content.decode()
    assert "No match yet" in page


@pytest.mark.parametrize("count", [1, 6])
def test_portal_queries_do_not_grow(
    alpha, coordinator, count, django_assert_max_num_queries
):
    # given: Minh mentors `count` people with proposals
    program = matching_program(coordinators=[coordinator])
    minh = enroll(
        program, person(user=alpha.user("mentor"), mentoring_capacity=10), "mentor"
    )
    for _ in range(count):
        Match.objects.create(
            program=program, mentor=minh, mentee=mentee(program), status="proposed"
        )
    client = alpha.client("mentor")
    # tenant routing (3), session, user, matches with both people, choices, circles
    # (+ 2 prefetches)
    with django_assert_max_num_queries(10):
        response = client.get("/matches/")
    assert response.content.count(b'class="card match-card"') == count
