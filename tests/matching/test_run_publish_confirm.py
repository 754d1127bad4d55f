"""Publishing a run emails everyone it names: the page asks first, with the count
(htmx's hx-confirm), and without JavaScript the post answers with a confirmation
page; only a post that says ``confirmed=yes`` publishes. Discarding asks too."""

from __future__ import annotations

import html

import pytest

from matching import services
from matching.models import Match, MatchRun
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(coordinator):
    program = matching_program(coordinators=[coordinator], name="Reverse 2027")
    mentor(program, mentoring_capacity=2)
    mentee(program)
    mentee(program)
    return services.match_run_start(program=program, by=coordinator)


def url(run, suffix=""):
    return f"/manage/programs/{run.program_id}/matching/{suffix}"


def test_review_page_button_asks_with_the_real_count(alpha, run):
    page = html.unescape(alpha.client("coordinator").get(url(run)).content.decode())
    # 2 pairs, 3 distinct people (one mentor takes both mentees)
    assert 'hx-confirm="Publish 2 matches? Emails 3 people:' in page
    assert 'hx-vals=\'{"confirmed": "yes"}\'' in page


def test_post_without_confirmation_shows_the_page_and_sends_nothing(alpha, run):
    response = alpha.client("coordinator").post(url(run, f"runs/{run.pk}/publish/"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Publish 2 matches?" in page
    assert "Emails 3 people" in page
    assert "Publish and email 3 people" in page
    assert 'name="confirmed" value="yes"' in page
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert not Notification.objects.filter(kind="match-proposed").exists()


def test_confirmed_post_publishes(alpha, run):
    response = alpha.client("coordinator").post(
        url(run, f"runs/{run.pk}/publish/"),
        {"confirmed": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert response.headers["HX-Redirect"] == url(run)
    assert Match.objects.filter(run=run, status="proposed").count() == 2
    assert Notification.objects.filter(kind="match-proposed").count() == 4


def test_discard_asks_first(alpha, run):
    client = alpha.client("coordinator")
    response = client.post(url(run, f"runs/{run.pk}/discard/"))
    assert b"Discard this run" in response.content
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE


def test_other_coordinator_gets_404_not_the_page(alpha, run):
    response = alpha.client("coordinator2").post(url(run, f"runs/{run.pk}/publish/"))
    assert response.status_code == 404
