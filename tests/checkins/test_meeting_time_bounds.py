"""Issue 9 item 9: meeting times at the ends of the calendar are refused with a
message, never a 500 — propose, reschedule and counter alike (before the fix, moving
a year-1 or year-9999 wall time to UTC raised OverflowError)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from checkins.models import Meeting

EXTREMES = [
    {"starts_at_local": "0001-01-01T00:00"},
    {"starts_at_local": "9999-12-31T23:59"},
    {"slot": "0001-01-01T00:00:00+05:30"},
    {"slot": "9999-12-31T23:59:00-06:00"},
]


def _proposal(pair, by) -> Meeting:
    return Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        duration_minutes=45,
        status=Meeting.Status.PROPOSED,
        proposed_by=by,
        proposed_at=timezone.now(),
    )


@pytest.mark.parametrize("when", EXTREMES, ids=lambda when: next(iter(when.values())))
@pytest.mark.parametrize("zone", ["Asia/Kolkata", "America/Chicago"])
def test_propose_counter_and_reschedule_refuse_year_1_and_9999(
    alpha, pair, mentor, mentee, when, zone
):
    # given: people east and west of UTC (year 1 and 9999 overflow when moved)
    for user in (mentor, mentee):
        user.time_zone = zone
        user.save()
    proposal = _proposal(pair, mentor)
    confirmed = Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() + datetime.timedelta(days=5),
        duration_minutes=45,
        status=Meeting.Status.CONFIRMED,
        proposed_by=mentee,
        proposed_at=timezone.now(),
    )
    before = list(Meeting.objects.order_by("pk").values_list("pk", "starts_at"))
    requests = [
        ("mentor", f"/pairs/{pair.match.pk}/meetings/propose/"),
        ("mentee", f"/meetings/{proposal.pk}/counter/"),
        ("mentor", f"/meetings/{confirmed.pk}/reschedule/"),
    ]
    for persona, url in requests:
        # when
        response = alpha.client(persona).post(
            url, {**when, "duration_minutes": "45"}, follow=True
        )
        # then: the form again with 422 (reschedule: back to the meeting, with
        # the message)
        first = response.redirect_chain[0][1] if response.redirect_chain else None
        assert (first, response.status_code) in ((None, 422), (302, 200)), url
        page = response.content.decode()
        assert "1900 and 2199" in page or "suggested times" in page, url
    assert list(Meeting.objects.order_by("pk").values_list("pk", "starts_at")) == before
