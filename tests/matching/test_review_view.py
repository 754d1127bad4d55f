"""The review page (/manage/programs/<id>/matching/): run form, progress, proposals,
edits and publish; role checks; a constant number of queries."""

from __future__ import annotations

import pytest

from matching import services
from matching.models import Match, MatchRun
from tests.matching.factories import matching_program, mentee, mentor, proposals_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator], name="Growth Circle 2026")


def url(program, suffix=""):
    return f"/manage/programs/{program.pk}/matching/{suffix}"


def test_empty_page_offers_the_run_form(alpha, program):
    response = alpha.client("coordinator").get(url(program))
    assert response.status_code == 200
    assert b"Run matching" in response.content
    assert b"No run yet" in response.content


def test_start_run_then_review_the_proposals(alpha, program):
    # given
    teacher = mentor(program, skills_offered=["python"], zone="Asia/Ho_Chi_Minh")
    learner = mentee(program, skills_wanted=["python"], zone="Asia/Kolkata")
    client = alpha.client("coordinator")
    # when
    response = client.post(url(program, "runs/"), {"mode": "optimal"})
    # then
    assert response.status_code == 302
    page = client.get(url(program)).content.decode()
    assert str(learner.participant.user) in page
    assert str(teacher.participant.user) in page
    assert "Asia/Kolkata" in page
    assert "Asia/Ho_Chi_Minh" in page
    assert "Proposals ready for review" in page
    assert 'class="seg seg-skills"' in page
    assert "Publish to participants" in page


def test_invalid_mode_is_shown_with_422(alpha, program):
    mentor(program)
    mentee(program)
    response = alpha.client("coordinator").post(
        url(program, "runs/"), {"mode": "circles"}
    )
    assert response.status_code == 422
    assert not MatchRun.objects.filter(program=program).exists()


def test_no_mentors_is_explained(alpha, program):
    mentee(program)
    response = alpha.client("coordinator").post(
        url(program, "runs/"), {"mode": "optimal"}
    )
    assert response.status_code == 422
    assert b"Approve at least one mentor" in response.content


def test_running_run_polls_and_reloads_when_done(alpha, program, coordinator):
    run = MatchRun.objects.create(
        program=program, mode="optimal", status="running", progress=30, stage="scoring"
    )
    client = alpha.client("coordinator")
    page = client.get(url(program)).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<progress max="100" value="30">' in page
    assert "style=" not in page  # CSP: no inline styles
    # when the run is done, a poll asks the page to reload
    status_url = url(program, f"runs/{run.pk}/status/?poll=1")
    assert client.get(status_url, HTTP_HX_REQUEST="true").status_code == 200
    MatchRun.objects.filter(pk=run.pk).update(status="done", progress=100)
    response = client.get(status_url, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Refresh"] == "true"
    # without the poll flag it renders the finished region, without polling
    response = client.get(
        url(program, f"runs/{run.pk}/status/"), HTTP_HX_REQUEST="true"
    )
    assert b'id="run-status"' in response.content
    assert b"every 1s" not in response.content


def test_remove_and_publish(alpha, program):
    mentor(program, mentoring_capacity=2)
    mentee(program)
    mentee(program)
    client = alpha.client("coordinator")
    client.post(url(program, "runs/"), {"mode": "optimal"})
    run = MatchRun.objects.get(program=program)
    first = Match.objects.filter(run=run).first()
    # when: remove with htmx
    response = client.post(
        url(program, f"proposals/{first.pk}/remove/"), HTTP_HX_REQUEST="true"
    )
    # then: the proposals region comes back and #run-status is told to refresh
    assert response.status_code == 200
    assert "run-changed" in response.headers["HX-Trigger"]
    assert b'id="proposals"' in response.content
    assert b"Removed from the proposals" in response.content
    # when: publish
    response = client.post(
        url(program, f"runs/{run.pk}/publish/"), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    assert Match.objects.filter(run=run, status="proposed").count() == 1


def test_reassign_form_and_post(alpha, program):
    mentor(program, skills_offered=["python"])
    other = mentor(program, skills_offered=["sql"])
    mentee(program, skills_wanted=["python"])
    client = alpha.client("coordinator")
    client.post(url(program, "runs/"), {"mode": "optimal"})
    match = Match.objects.get(program=program)
    swap = url(program, f"proposals/{match.pk}/reassign/")
    response = client.get(swap, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'id="swap"' in response.content
    assert b"<html" not in response.content
    assert str(other.participant.user).encode() in response.content
    response = client.post(swap, {"mentor": other.pk}, HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == url(program)
    match.refresh_from_db()
    assert match.mentor == other
    # a mentor not offered is refused
    response = client.post(swap, {"mentor": 999999})
    assert response.status_code == 422


def test_discard(alpha, program):
    mentor(program)
    mentee(program)
    client = alpha.client("coordinator")
    client.post(url(program, "runs/"), {"mode": "optimal"})
    run = MatchRun.objects.get(program=program)
    client.post(url(program, f"runs/{run.pk}/discard/"), {"confirmed": "yes"})
    run.refresh_from_db()
    assert run.status == "discarded"
    assert b"No run yet" in client.get(url(program)).content


def test_mentee_cannot_open_the_review(alpha, program):
    assert alpha.client("mentee").get(url(program)).status_code == 403


def test_coordinator_of_another_program_gets_404(alpha, program):
    mentor(program)
    mentee(program)
    run = services.match_run_start(program=program, by=alpha.user("coordinator"))
    client = alpha.client("coordinator2")
    assert client.get(url(program)).status_code == 404
    assert client.post(url(program, f"runs/{run.pk}/publish/")).status_code == 404
    match = Match.objects.get(run=run)
    assert client.post(url(program, f"proposals/{match.pk}/remove/")).status_code == 404
    assert (
        client.get(url(program, f"proposals/{match.pk}/reassign/")).status_code == 404
    )
    assert client.get(url(program, "criteria/")).status_code == 404
    assert Match.objects.get(pk=match.pk).status == "suggested"


def test_outsider_sees_nothing(alpha, beta, program):
    response = beta.client("hradmin").get(url(program))
    assert response.status_code == 404
    assert b"Growth Circle" not in response.content
    # a beta session means nothing on alpha's host: the login page
    response = alpha.client().get(url(program))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


@pytest.mark.parametrize("size", [10, 1000])
def test_review_page_queries_do_not_grow(
    alpha, program, size, django_assert_max_num_queries
):
    # given: a finished run with `size` proposals
    run = MatchRun.objects.create(
        program=program, mode="optimal", status="done", progress=100, mentee_count=size
    )
    proposals_bulk(program, run, size)
    lonely = [mentee(program) for _ in range(3)]
    run.unmatched = [
        {"enrollment": e.pk, "reason": "no mentor shares a language"} for e in lonely
    ]
    run.save()
    client = alpha.client("coordinator")
    # when / then — tenant routing (3), session, user, program, criteria, latest
    # run, proposal COUNT, the proposal page with both people joined, unmatched,
    # who publishing would email (the publish button's confirmation)
    with django_assert_max_num_queries(12):
        response = client.get(url(program))
    assert response.status_code == 200
    assert response.content.count(b'<tr id="proposal-') == min(size, 50)
    assert response.content.count(b"No mentor shares a language") == 3


def test_circle_program_runs_circles_from_the_page(alpha, coordinator):
    program = matching_program(coordinators=[coordinator], kind="group_circle")
    mentor(program)
    for _ in range(4):
        mentee(program)
    client = alpha.client("coordinator")
    page = client.get(url(program)).content.decode()
    assert 'name="circle_size"' in page
    assert "Group circles" in page
    response = client.post(url(program, "runs/"), {"mode": "circles", "circle_size": 4})
    assert response.status_code == 302
    page = client.get(url(program)).content.decode()
    assert "Circles ready for review" in page
    assert "Circle 1" in page
    assert "participants placed" in page


def test_mentee_choice_run_shows_what_mentees_will_get(alpha, program):
    for _ in range(2):
        mentor(program)
    mentee(program)
    client = alpha.client("coordinator")
    client.post(url(program, "runs/"), {"mode": "mentee_choice"})
    page = client.get(url(program)).content.decode()
    assert "Suggestions ready for review" in page
    assert "1 mentee get up to five best-fitting mentors each" in page
    assert "Publish to mentees" in page


def test_published_run_offers_a_manual_pick_for_the_unmatched(alpha, program):
    mentor(program, languages=["en"])
    mentee(program, languages=["en"])
    loner = mentee(program, languages=["fi"])
    client = alpha.client("coordinator")
    client.post(url(program, "runs/"), {"mode": "optimal"})
    run = MatchRun.objects.get(program=program)
    client.post(url(program, f"runs/{run.pk}/publish/"), {"confirmed": "yes"})
    page = client.get(url(program)).content.decode()
    assert "No mentor shares a language" in page
    assert f"matches/new/?mentee={loner.pk}" in page
