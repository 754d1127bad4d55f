"""The portal home's "Waiting for you" card (issue 15: a meeting request waiting for a
mentor's answer was not on their home page)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from checkins.models import Meeting, MeetingLog
from tests.checkins.conftest import make_pair


def _meeting(pair, *, by, days: float, status=Meeting.Status.PROPOSED) -> Meeting:
    now = timezone.now()
    return Meeting.objects.create(
        match=pair.match,
        starts_at=now + datetime.timedelta(days=days),
        status=status,
        proposed_by=by,
        proposed_at=now,
    )


def test_a_mentors_pending_request_is_on_their_home(alpha, pair, mentor, mentee):
    request = _meeting(pair, by=mentee, days=3)
    client = alpha.client("mentor")

    home = client.get("/").content.decode()  # the home renders the card itself
    assert 'id="portal-waiting"' in home
    assert "asks to meet" in home
    card = client.get("/home/waiting/", HTTP_HX_REQUEST="true").content.decode()

    assert "asks to meet" in card
    assert f"/meetings/{request.pk}/accept/" in card
    assert "for you" in card  # both zones
    assert "for " + mentee.greeting_name in card
    # the one who asked isn't asked to answer
    mine = alpha.client("mentee").get("/home/waiting/").content.decode()
    assert "asks to meet" not in mine


def test_owed_logs_and_the_next_meeting(alpha, pair, mentor, mentee):
    held = _meeting(pair, by=mentor, days=-2, status=Meeting.Status.CONFIRMED)
    _meeting(pair, by=mentor, days=5, status=Meeting.Status.CONFIRMED)
    MeetingLog.objects.create(meeting=held, author=mentor, happened=True)

    mentee_card = alpha.client("mentee").get("/home/waiting/").content.decode()
    mentor_card = alpha.client("mentor").get("/home/waiting/").content.decode()

    assert "Log the meeting" in mentee_card
    assert "Give your pulse" in mentor_card  # logged, not rated
    assert "Next meeting with" in mentee_card


def test_nothing_waiting_says_so(alpha, mentee):
    card = alpha.client("mentee").get("/home/waiting/").content.decode()
    assert "Nothing waits for you now" in card


def test_queries_do_not_grow_with_pairs_and_meetings(
    alpha, program, pair, mentor, mentee, django_assert_max_num_queries
):
    from mentorship.accounts.models import User
    from programs.models import Program

    client = alpha.client("mentor")
    _meeting(pair, by=mentee, days=3)
    with django_assert_max_num_queries(12) as few:
        client.get("/home/waiting/")
    for n in range(5):
        other = User.objects.create_user(f"mentee{n}@alpha.example", None)
        other_program = Program.objects.create(
            name=f"Program {n}", status=Program.Status.ACTIVE
        )
        more = make_pair(program=other_program, mentor=mentor, mentee=other)
        _meeting(more, by=other, days=2 + n)
        _meeting(more, by=mentor, days=-1, status=Meeting.Status.CONFIRMED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        card = client.get("/home/waiting/").content.decode()
    assert card.count("asks to meet") == 6
