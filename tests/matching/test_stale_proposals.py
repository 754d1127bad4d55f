"""Stale proposals on the all-matches page: a proposal unanswered for 41 days is
flagged with "remind" and "reassign"; names link to the pair's page."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import timezone

from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator], name="Leaders Lab")


def proposal(program, *, days: int, **fields) -> Match:
    return Match.objects.create(
        program=program,
        mentor=mentor(program, name=fields.pop("mentor_name", None)),
        mentee=mentee(program, name=fields.pop("mentee_name", None)),
        status=fields.pop("status", "proposed"),
        proposed_at=timezone.now() - datetime.timedelta(days=days),
        **fields,
    )


def page_of(alpha, program, query="") -> str:
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/matches/{query}"
    )
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_proposal_unanswered_for_41_days_is_flagged_with_remind_and_reassign(
    alpha, program
):
    stale = proposal(program, days=41, mentee_name="Sam Stale")
    fresh = proposal(program, days=2, mentee_name="Fay Fresh")
    page = page_of(alpha, program)
    assert page.count("No answer for 41 days") == 1
    base = f"/manage/programs/{program.pk}/matches/"
    assert f'action="{base}{stale.pk}/remind/"' in page
    assert f'hx-confirm="Remind Sam Stale and {stale.mentor.participant.user}?' in page
    assert f'href="{base}{stale.pk}/end/?reassign=1">Reassign…' in page
    assert f"{base}{fresh.pk}/remind/" not in page


def test_stale_filter_lists_only_waiting_proposals(alpha, program):
    proposal(program, days=41, mentee_name="Sam Stale")
    proposal(program, days=2, mentee_name="Fay Fresh")
    page = page_of(alpha, program, "?stale=1")
    assert "Sam Stale" in page
    assert "Fay Fresh" not in page
    assert "waiting more than 7 days" in page


def test_names_link_to_the_pair(alpha, program):
    active = Match.objects.create(
        program=program,
        mentor=mentor(program, name="Mo Mentor"),
        mentee=mentee(program, name="Ada Active"),
        status="active",
        started_at=timezone.now(),
    )
    page = page_of(alpha, program)
    assert f'<a class="strong" href="/pairs/{active.pk}/">Ada Active</a>' in page
    assert f'<a class="strong" href="/pairs/{active.pk}/">Mo Mentor</a>' in page


def test_remind_asks_then_emails_only_who_has_not_answered(alpha, program):
    # given: the mentor accepted, the mentee never answered
    stale = proposal(
        program, days=41, status="accepted", mentor_accepted_at=timezone.now()
    )
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/matches/{stale.pk}/remind/"
    # without confirmation: the page, nothing sent
    response = client.post(url)
    assert b"Emails 1 person" in response.content
    assert not Notification.objects.filter(kind="match-reminder").exists()
    # confirmed (twice the same day: one reminder)
    client.post(url, {"confirmed": "yes"})
    client.post(url, {"confirmed": "yes"})
    reminders = Notification.objects.filter(kind="match-reminder")
    assert [n.recipient_id for n in reminders] == [stale.mentee.participant.user_id]


def test_reassign_withdraws_the_proposal_and_goes_on_to_choose_a_mentor(alpha, program):
    stale = proposal(program, days=41)
    client = alpha.client("coordinator")
    form = client.get(
        f"/manage/programs/{program.pk}/matches/{stale.pk}/end/?reassign=1"
    ).content.decode()
    assert "No answer for 41 days: proposing another mentor." in form
    response = client.post(
        f"/manage/programs/{program.pk}/matches/{stale.pk}/end/confirm/",
        {"reason": "No answer for 41 days", "reassign": "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == (
        f"/manage/programs/{program.pk}/matches/new/?mentee={stale.mentee_id}"
    )
    stale.refresh_from_db()
    assert stale.status == "ended"


def test_another_coordinator_cannot_remind(alpha, program):
    stale = proposal(program, days=41)
    response = alpha.client("coordinator2").post(
        f"/manage/programs/{program.pk}/matches/{stale.pk}/remind/",
        {"confirmed": "yes"},
    )
    assert response.status_code == 404
    assert not Notification.objects.filter(kind="match-reminder").exists()
