"""Matches accepted before the program starts wait as "ready", and their meeting
clock starts at the program's start: accepted on 30 Nov in a program starting
4 Jan with a 14-day cadence, the first meeting is due by 18 Jan, not 14 Dec."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import timezone

from checkins.selectors import pair_health
from matching import services
from matching.models import Match
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def accepted_by_both(program) -> Match:
    match = Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status="proposed",
    )
    services.match_accept(match=match, by=match.mentor.participant.user)
    return services.match_accept(match=match, by=match.mentee.participant.user)


def test_accepted_before_the_start_waits_and_the_clock_starts_with_the_program(
    alpha, coordinator
):
    # given: a program starting in five weeks, meeting every 14 days
    starts_on = timezone.now().date() + datetime.timedelta(days=35)
    program = matching_program(
        coordinators=[coordinator],
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=180),
        meeting_cadence_days=14,
    )
    # when: both accept today
    match = accepted_by_both(program)
    # then: the clock starts on the program's start date, and the first meeting is
    # due a cadence after it
    assert match.started_at.date() == starts_on
    health = pair_health(match=match, now=timezone.now())
    assert health.next_due.date() == starts_on + datetime.timedelta(days=14)
    assert health.risks == []
    note = Notification.objects.get(
        kind="match-active", recipient=match.mentee.participant.user
    )
    assert f"starts on {starts_on:%-d %b}" in note.body
    # the match list shows it as ready
    page = html.unescape(
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matches/")
        .content.decode()
    )
    assert '<span class="badge badge-info">Ready</span>' in page
    assert f"starts {starts_on:%-d %b}" in page


def test_accepted_once_the_program_runs_starts_now(coordinator):
    started = timezone.now().date() - datetime.timedelta(days=3)
    program = matching_program(
        coordinators=[coordinator],
        status="active",
        starts_on=started,
        ends_on=started + datetime.timedelta(days=180),
    )
    before = timezone.now()
    match = accepted_by_both(program)
    assert match.started_at >= before


def test_program_start_is_noon_utc_on_its_date(coordinator):
    program = matching_program(
        coordinators=[coordinator], starts_on=datetime.date(2027, 1, 4)
    )
    assert services.program_start_instant(program) == datetime.datetime(
        2027, 1, 4, 12, tzinfo=datetime.UTC
    )
