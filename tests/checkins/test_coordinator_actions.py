"""Acting on risk from the pair page: a coordinator records a check-in (seen by
coordinators only), messages the pair or one side and nudges them, all through
the outbox; a low pulse or a note for the coordinator reaches the coordinators
in their next digest."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from checkins import services
from checkins.models import CoordinatorCheckIn, Meeting
from checkins.services import coordinator as coordinator_services
from mentorship.notifications import services as notification_services
from mentorship.notifications.models import Notification

SECRET = "SNT-checkin-only-coordinators"


def _url(pair, suffix):
    return f"/manage/pairs/{pair.match.pk}/{suffix}/"


def _checkin_data(**changes):
    data = {
        "held_on": timezone.now().date().isoformat(),
        "outcome": "some_concerns",
        "how_it_went": f"Priya feels stuck {SECRET}",
        "follow_up": "Call again in a week",
        "follow_up_on": (
            timezone.now().date() + datetime.timedelta(days=7)
        ).isoformat(),
    }
    data.update(changes)
    return data


def test_coordinator_records_a_check_in_seen_by_coordinators_only(alpha, pair):
    # when
    response = alpha.client("coordinator").post(_url(pair, "checkins"), _checkin_data())
    # then
    assert response.status_code == 302
    checkin = CoordinatorCheckIn.objects.get(match=pair.match)
    assert checkin.outcome == "some_concerns"
    assert checkin.author.email == "coordinator@alpha.example"
    page = alpha.client("coordinator").get(f"/pairs/{pair.match.pk}/")
    assert SECRET in page.content.decode()
    assert "Call again in a week" in page.content.decode()
    for member in ("mentor", "mentee"):
        own_page = alpha.client(member).get(f"/pairs/{pair.match.pk}/")
        assert own_page.status_code == 200
        assert SECRET not in own_page.content.decode()
        assert "Record a check-in" not in own_page.content.decode()
    assert not Notification.objects.filter(body__contains=SECRET).exists()


def test_check_in_form_errors_come_back_on_the_page(alpha, pair):
    future = (timezone.now().date() + datetime.timedelta(days=3)).isoformat()
    response = alpha.client("coordinator").post(
        _url(pair, "checkins"), _checkin_data(held_on=future)
    )
    assert response.status_code == 422
    assert "can&#x27;t be in the future" in response.content.decode()
    assert not CoordinatorCheckIn.objects.exists()


def test_coordinator_messages_the_pair_through_the_outbox(alpha, pair):
    # when
    response = alpha.client("coordinator").post(
        _url(pair, "message"),
        {"to": "both", "subject": "How are things?", "body": "Shall we talk Friday?"},
    )
    # then
    assert response.status_code == 302
    sent = Notification.objects.filter(kind="coordinator-message")
    assert {n.recipient_id for n in sent} == {pair.mentor.user.pk, pair.mentee.user.pk}
    assert all(n.subject == "How are things?" for n in sent)
    assert all("Shall we talk Friday?" in n.body for n in sent)
    assert all(n.link == f"/pairs/{pair.match.pk}/" for n in sent)
    # and the coordinator sees what was sent
    page = alpha.client("coordinator").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "How are things?" in page


def test_coordinator_messages_one_side(alpha, pair):
    alpha.client("coordinator").post(
        _url(pair, "message"),
        {"to": "mentee", "subject": "Just checking in", "body": "All good?"},
    )
    assert list(
        Notification.objects.filter(kind="coordinator-message").values_list(
            "recipient_id", flat=True
        )
    ) == [pair.mentee.user.pk]


def test_a_double_click_sends_the_message_once(alpha, pair):
    client = alpha.client("coordinator")
    data = {"to": "both", "subject": "Hello", "body": "Checking in."}
    client.post(_url(pair, "message"), data)
    client.post(_url(pair, "message"), data)
    assert Notification.objects.filter(kind="coordinator-message").count() == 2


def test_nudge_goes_to_both_once_a_day(alpha, pair):
    client = alpha.client("coordinator")
    client.post(_url(pair, "nudge"))
    client.post(_url(pair, "nudge"))
    nudges = Notification.objects.filter(kind="coordinator-nudge")
    assert nudges.count() == 2
    assert {n.recipient_id for n in nudges} == {
        pair.mentor.user.pk,
        pair.mentee.user.pk,
    }
    assert all("plan your next meeting" in n.subject for n in nudges)


@pytest.mark.parametrize("persona", ["mentor", "mentee", "coordinator2"])
def test_only_the_programs_coordinators_can_act(alpha, pair, persona):
    client = alpha.client(persona)
    for suffix, data in (
        ("checkins", _checkin_data()),
        ("message", {"to": "both", "subject": "x", "body": "y"}),
        ("nudge", {}),
    ):
        response = client.post(_url(pair, suffix), data)
        assert response.status_code in (403, 404)
    assert not CoordinatorCheckIn.objects.exists()
    assert not Notification.objects.filter(kind__startswith="coordinator-").exists()


def test_hr_admin_can_act(alpha, pair):
    response = alpha.client("hradmin").post(_url(pair, "nudge"))
    assert response.status_code == 302
    assert Notification.objects.filter(kind="coordinator-nudge").count() == 2


def test_another_organizations_coordinator_gets_404(alpha, beta, pair):
    response = beta.client("coordinator").post(_url(pair, "nudge"))
    alpha.activate()
    assert response.status_code == 404
    assert not Notification.objects.filter(kind="coordinator-nudge").exists()


def test_pair_page_queries_do_not_grow_with_check_ins(
    alpha, pair, coordinator, django_assert_max_num_queries
):
    def add(count):
        for n in range(count):
            CoordinatorCheckIn.objects.create(
                match=pair.match,
                author=coordinator,
                held_on=timezone.now().date(),
                outcome="on_track",
                how_it_went=f"call {n}",
            )
            coordinator_services.pair_message_send(
                pair=pair, by=coordinator, to="both", subject=f"s{n}", body="b"
            )

    client = alpha.client("coordinator")
    counts = []
    for count in (1, 15):
        add(count)
        # the page as before, plus 2 for the panel: check-ins with their authors,
        # messages and nudges sent with their recipients (at most 10 of each)
        with django_assert_max_num_queries(40) as captured:
            response = client.get(f"/pairs/{pair.match.pk}/")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- A low pulse or a note reaches the coordinator's next digest -------------------------


def _held_meeting(pair):
    return Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=3),
    )


def _alerts():
    return Notification.objects.filter(kind="pulse-alert")


def test_low_pulse_reaches_the_coordinator_in_the_next_digest(alpha, pair, coordinator):
    # given
    meeting = _held_meeting(pair)
    # when
    services.pulse_submit(
        meeting=meeting,
        pair=pair,
        by=pair.mentee.user,
        usefulness=2,
        for_coordinator=f"we don't click {SECRET}",
    )
    # then: a digest item for the coordinator, names and score, never the note
    [item] = _alerts()
    assert item.recipient == coordinator
    assert item.channel == Notification.Channel.DIGEST
    assert "2/5" in item.subject
    assert SECRET not in item.subject + item.body
    # and the real digest path carries it to the coordinator's inbox
    with time_machine.travel(item.due_at, tick=False):
        [digest_id] = notification_services.notifications_claim_due(
            now=item.due_at, limit=10
        )
        assert (
            notification_services.notification_deliver(notification_id=digest_id)
            == "sent"
        )
    [email] = mail.outbox
    assert email.to == [coordinator.email]
    assert item.subject in email.body
    assert f"/pairs/{pair.match.pk}/" in email.body
    assert SECRET not in email.body


def test_a_note_for_the_coordinator_alerts_even_with_a_good_score(
    alpha, pair, coordinator
):
    services.pulse_submit(
        meeting=_held_meeting(pair),
        pair=pair,
        by=pair.mentor.user,
        usefulness=4,
        for_coordinator="Please call me",
    )
    [item] = _alerts()
    assert item.recipient == coordinator
    assert "left a note for you" in item.subject


def test_a_good_pulse_without_a_note_alerts_nobody(alpha, pair):
    services.pulse_submit(
        meeting=_held_meeting(pair),
        pair=pair,
        by=pair.mentor.user,
        usefulness=3,
        for_coordinator="  ",
    )
    assert not _alerts().exists()


def test_without_coordinators_the_hr_admins_hear_it(alpha, pair, hr_admin):
    pair.match.program.coordinators.clear()
    services.pulse_submit(
        meeting=_held_meeting(pair),
        pair=pair,
        by=pair.mentee.user,
        usefulness=1,
        for_coordinator="",
    )
    assert set(_alerts().values_list("recipient", flat=True)) == {hr_admin.pk}
