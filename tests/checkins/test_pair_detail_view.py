"""The pair page: times in the viewer's zone and the partner's, slots, who may see it."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import Meeting, PrivateNote
from programs.models import Participant

# Tuesday 4 June 2030, 07:00 UTC: 14:00 in Ho Chi Minh City (+7), 12:30 in Kolkata (+5:30).
TUESDAY_0700 = datetime.datetime(2030, 6, 4, 7, 0, tzinfo=datetime.UTC)


def _confirmed(pair, starts_at=TUESDAY_0700):
    return Meeting.objects.create(
        match=pair.match,
        starts_at=starts_at,
        duration_minutes=45,
        status=Meeting.Status.CONFIRMED,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now(),
        responded_by=pair.mentee.user,
        responded_at=timezone.now(),
    )


def test_shows_a_meeting_in_the_viewers_zone_and_the_partners(alpha, pair):
    _confirmed(pair)
    # the mentor (Ho Chi Minh City) sees their time first, then Priya's (Kolkata)
    body = alpha.client("mentor").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "Tue 14:00–14:45 for you · 12:30–13:15 for Priya" in body
    # and the mentee the other way round
    body = alpha.client("mentee").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "Tue 12:30–13:15 for you · 14:00–14:45 for Minh" in body


def _call_by_first_names(*users):
    """The personas' full names carry a sentinel; they chose short names to be called by."""
    for user in users:
        user.preferred_name = user.full_name.split()[0]
        user.save(update_fields=["preferred_name"])


def test_a_coordinator_sees_every_clock(alpha, pair, mentor, mentee):
    _call_by_first_names(mentor, mentee)
    _confirmed(pair)
    body = alpha.client("coordinator").get(f"/pairs/{pair.match.pk}/").content.decode()
    # Chicago (UTC-5 in June) is a day behind at 02:00
    assert (
        "Tue 02:00–02:45 for you · 14:00–14:45 for Minh · 12:30–13:15 for Priya" in body
    )


def test_weekday_shown_for_the_partner_when_their_date_differs(alpha, pair, mentee):
    mentee.time_zone = "America/Los_Angeles"
    mentee.save()
    _confirmed(pair, starts_at=datetime.datetime(2030, 6, 4, 3, 0, tzinfo=datetime.UTC))
    body = alpha.client("mentor").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "Tue 10:00–10:45 for you · Mon 20:00–20:45 for Priya" in body


def test_proposes_slots_inside_both_working_days(alpha, pair, mentee):
    _call_by_first_names(mentee)
    response = alpha.client("mentor").get(f"/pairs/{pair.match.pk}/")
    page = response.context["page"]
    assert page.slots
    assert all(slot.inside_both for slot in page.slots)
    assert page.has_overlap
    body = response.content.decode()
    assert "These times suit you both" in body
    assert page.slots[0].line in body
    assert " for you · " in page.slots[0].line
    assert page.slots[0].line.endswith("for Priya")


def test_without_overlap_says_so_and_labels_the_least_bad_slots(alpha, pair, mentee):
    # given: Priya works 09:00–17:00 in Los Angeles, Minh 09:00–17:00 in Ho Chi Minh City
    mentee.time_zone = "America/Los_Angeles"
    mentee.save()
    # when
    response = alpha.client("mentor").get(f"/pairs/{pair.match.pk}/")
    # then
    page = response.context["page"]
    body = response.content.decode()
    assert not page.has_overlap
    assert "working hours don't overlap" in body
    assert page.slots
    labels = [label for slot in page.slots for label in slot.labels]
    assert labels
    assert all(
        label.startswith(("early for", "late for")) or "day off" in label
        for label in labels
    )
    assert any(" by " in label and "min" in label for label in labels)
    assert labels[0] in body


def test_overnight_working_hours_still_render(alpha, pair):
    Participant.objects.filter(user=pair.mentee.user).update(
        working_hours_start=datetime.time(22, 0), working_hours_end=datetime.time(6, 0)
    )
    response = alpha.client("mentor").get(f"/pairs/{pair.match.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["mentor", "mentee", "coordinator", "hradmin"])
def test_people_who_may_see_the_pair(alpha, pair, persona):
    assert alpha.client(persona).get(f"/pairs/{pair.match.pk}/").status_code == 200


def test_another_coordinator_gets_404(alpha, pair):
    assert (
        alpha.client("coordinator2").get(f"/pairs/{pair.match.pk}/").status_code == 404
    )


def test_another_participant_gets_404(alpha, pair, stranger):
    client = alpha.client()
    client.force_login(stranger)
    assert client.get(f"/pairs/{pair.match.pk}/").status_code == 404


def test_anonymous_is_sent_to_login(alpha, pair):
    response = alpha.client().get(f"/pairs/{pair.match.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_outsider_from_another_organization_gets_nothing(alpha, beta, pair):
    # the same id on beta's host is another schema: no such pair there
    response = beta.client("mentor").get(f"/pairs/{pair.match.pk}/")
    assert response.status_code == 404


def test_coordinator_view_has_no_forms_and_no_private_notes(alpha, pair):
    meeting = _confirmed(pair)
    PrivateNote.objects.create(meeting=meeting, author=pair.mentor.user, body="PRIV-x1")
    body = alpha.client("coordinator").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "Propose a meeting" not in body
    assert "PRIV-x1" not in body


def test_pair_list_shows_the_viewers_pairs(alpha, pair):
    body = alpha.client("mentee").get("/pairs/").content.decode()
    assert "Minh Mentor" in body
    assert f"/pairs/{pair.match.pk}/" in body
