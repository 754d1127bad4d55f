"""Arrival (issue 15): an invited person who sets their first password is signed in and
lands on a short welcome — it used to say "Your password is now changed", signed out,
with no link onward."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.accounts.models import User
from mentorship.accounts.services import password_reset_path
from mentorship.notifications.models import Notification
from programs.models import ImportBatch, Participant
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows

PASSWORD = "a-long-new-passphrase-9"


def _invite(alpha, coordinator) -> Notification:
    program = EnrollingProgramFactory(
        name="Growth",
        coordinators=[coordinator],
        confidentiality_agreement="What is said here stays here.",
    )
    client = alpha.client("coordinator")
    client.post(
        f"/manage/programs/{program.pk}/import/",
        {"file": SimpleUploadedFile("p.csv", csv_bytes(people_rows(1, role="mentee")))},
    )
    client.post(
        f"/manage/programs/{program.pk}/import/{ImportBatch.objects.get().pk}/confirm/"
    )
    return Notification.objects.get(kind="program-invitation")


def _set_password(client, link: str):
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    return client.post(form_url, {"password1": PASSWORD, "password2": PASSWORD})


def test_first_password_signs_in_and_opens_the_welcome(alpha, coordinator):
    invitation = _invite(alpha, coordinator)
    person = alpha.client()

    response = _set_password(person, invitation.link)

    assert response.status_code == 302
    assert response["Location"] == "/welcome/"
    page = person.get("/welcome/")
    assert page.status_code == 200  # signed in
    body = page.content.decode()
    assert "What should we call you?" in body
    assert "Read and accept the agreement of Growth" in body
    assert 'name="working_hours_start" value="09:00"' in body  # pre-filled


def test_the_welcome_saves_name_zone_hours_languages_and_quiet_hours(alpha, mentee):
    client = alpha.client("mentee")

    response = client.post(
        "/welcome/",
        {
            "preferred_name": "Pri",
            "time_zone": "Europe/Lisbon",
            "working_hours_start": "08:00",
            "working_hours_end": "16:00",
            "working_days": ["0", "1", "2", "3", "4"],
            "languages": ["en", "pt"],
            "quiet_start": "20:00",
            "quiet_end": "08:00",
        },
    )

    assert response.status_code == 302
    mentee.refresh_from_db()
    participant = Participant.objects.get(user=mentee)
    assert mentee.preferred_name == "Pri"
    assert mentee.time_zone == "Europe/Lisbon"
    assert (mentee.quiet_start, mentee.quiet_end) == (
        datetime.time(20),
        datetime.time(8),
    )
    assert participant.working_hours_start == datetime.time(8)
    assert participant.languages == ["en", "pt"]
    assert "Hello, Pri" in client.get("/").content.decode()


def test_a_later_reset_does_not_sign_in(alpha, mentee):
    # the persona has a usable password: allauth's usual "password changed" page
    person = alpha.client()

    response = _set_password(person, password_reset_path(mentee))

    assert response.status_code == 302
    assert response["Location"] != "/welcome/"
    assert person.get("/welcome/").status_code == 302  # to the login
    assert User.objects.get(pk=mentee.pk).check_password(PASSWORD)


def test_coordinators_are_sent_to_their_preferences(alpha):
    response = alpha.client("coordinator").get("/welcome/")
    assert response.status_code == 302
    assert response["Location"] == "/preferences/"
