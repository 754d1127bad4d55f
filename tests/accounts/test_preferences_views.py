"""The preferences page for everyone, and the signed links in every email (issue 15:
digest hour, quiet hours, muted kinds and email on/off were only in the admin, as raw
JSON, and "your preferences" in emails led nowhere a participant could open)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from mentorship.accounts import preferences
from mentorship.notifications.models import Notification
from mentorship.notifications.services import (
    delivering,
    notification_create,
    notification_deliver,
)

FORM = {
    "email_enabled": "on",
    "digest_hour": "08:30",
    "quiet_start": "22:00",
    "quiet_end": "06:30",
    "muted_kinds": ["meeting-reminder"],
    "time_zone": "Asia/Kolkata",
    "language": "en",
    "working_hours_start": "10:00",
    "working_hours_end": "18:00",
    "working_days": ["0", "1", "2", "3"],
}


def test_everyone_can_open_their_preferences(alpha):
    for persona in ("mentee", "mentor", "coordinator", "hradmin"):
        response = alpha.client(persona).get(reverse("preferences"))
        assert response.status_code == 200, persona
        assert "Daily digest at" in response.content.decode()


def test_members_are_not_offered_coordinator_messages(alpha):
    member = alpha.client("mentee").get(reverse("preferences")).content.decode()
    staff = alpha.client("coordinator").get(reverse("preferences")).content.decode()
    assert "Pairs at risk" not in member
    assert "Pairs at risk" in staff


def test_saves_message_preferences_zone_and_working_hours(alpha, mentee):
    from programs.services import participant_ensure

    participant = participant_ensure(user=mentee)
    client = alpha.client("mentee")
    assert "Working hours start" in client.get(reverse("preferences")).content.decode()

    response = client.post(reverse("preferences"), FORM)

    assert response.status_code == 302
    mentee.refresh_from_db()
    participant.refresh_from_db()
    assert mentee.digest_hour == datetime.time(8, 30)
    assert (mentee.quiet_start, mentee.quiet_end) == (
        datetime.time(22),
        datetime.time(6, 30),
    )
    assert mentee.muted_kinds == ["meeting-reminder"]
    assert mentee.email_enabled is True
    assert participant.working_hours_start == datetime.time(10)
    assert participant.working_days == [0, 1, 2, 3]


def test_quiet_hours_need_both_ends(alpha, mentee):
    response = alpha.client("mentee").post(
        reverse("preferences"), FORM | {"quiet_end": ""}
    )
    assert response.status_code == 422
    assert "Give both ends of your quiet hours" in response.content.decode()


def test_the_email_link_opens_preferences_without_signing_in(alpha, mentee):
    path = preferences.preferences_path(mentee)
    client = alpha.client()

    page = client.get(path)
    assert page.status_code == 200
    assert mentee.email in page.content.decode()
    response = client.post(
        path,
        {
            "digest_hour": "07:00",
            "quiet_start": "",
            "quiet_end": "",
            "time_zone": "UTC",
        },
    )

    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.email_enabled is False  # unticked
    assert mentee.digest_hour == datetime.time(7)
    assert mentee.time_zone == "Asia/Kolkata"  # not on the signed page


def test_a_link_from_another_organization_is_refused(alpha, beta, mentee):
    path = preferences.preferences_path(mentee)  # minted in alpha, same id in beta
    with schema_context("org_beta"):
        assert beta.client().get(path).status_code == 404
    assert alpha.client().get(path + "x/").status_code == 404


def test_one_click_unsubscribe_asks_on_get_and_mutes_on_post(alpha, mentee):
    path = preferences.unsubscribe_path(mentee, "meeting-reminder")
    client = alpha.client()
    client_csrf = type(client)(HTTP_HOST=alpha.host, enforce_csrf_checks=True)

    assert "Meeting reminders" in client.get(path).content.decode()
    mentee.refresh_from_db()
    assert mentee.muted_kinds == []
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", with no cookie
    response = client_csrf.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    mentee.refresh_from_db()
    assert mentee.muted_kinds == ["meeting-reminder"]


@pytest.fixture
def site_port_8000(settings):
    # The site URL is kept a minute per organization: start and end without it.
    settings.SITE_PORT = "8000"
    delivering._site_urls.clear()
    yield
    delivering._site_urls.clear()


@pytest.mark.usefixtures("site_port_8000")
def test_every_email_links_signed_preferences_and_unsubscribe(alpha, mentee):
    row = notification_create(
        recipient=mentee,
        kind="meeting-proposed",
        dedupe_key="prefs-test:email",
        subject="Minh proposes a meeting",
        body="Tuesday",
        link="/meetings/",
    )
    mail.outbox.clear()

    assert notification_deliver(notification_id=row.pk) == "sent"

    message = mail.outbox[0]
    text = message.body
    assert "http://alpha.localhost:8000/meetings/" in text
    prefs = text.split("in your preferences: ")[1].split()[0]
    assert prefs.startswith("http://alpha.localhost:8000/preferences/")
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert unsubscribe.endswith("/unsubscribe/meeting-proposed/")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    client = alpha.client()
    assert (
        client.get(prefs.removeprefix("http://alpha.localhost:8000")).status_code == 200
    )
    client.post(unsubscribe.removeprefix("http://alpha.localhost:8000"))
    mentee.refresh_from_db()
    assert mentee.muted_kinds == ["meeting-proposed"]
    # and the next one of that kind stays in the app
    later = notification_create(
        recipient=mentee,
        kind="meeting-proposed",
        dedupe_key="prefs-test:email-2",
        subject="Again",
        body="",
    )
    assert later.channel == Notification.Channel.IN_APP
    assert later.sent_at <= timezone.now()
