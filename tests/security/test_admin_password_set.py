"""Issue 9, item 7: an HR admin cannot silently take over an account. Setting a password
in the admin emails the person and is recorded; adding a person or "Send a password
reset link" gives them a link to choose their own password instead."""

from __future__ import annotations

from django.contrib.admin.models import LogEntry

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from tests.conftest import persona_email


def _history(user: User) -> list[str]:
    return list(
        LogEntry.objects.filter(object_id=str(user.pk)).values_list(
            "change_message", flat=True
        )
    )


def test_setting_a_password_in_the_admin_emails_the_person_and_is_recorded(
    alpha, mentee
):
    client = alpha.client("hradmin")
    page = client.get(f"/admin/accounts/user/{mentee.pk}/password/").content.decode()
    assert "will get an email" in page
    assert "Send a password reset link" in page
    # when: the HR admin sets the mentee's password by hand
    response = client.post(
        f"/admin/accounts/user/{mentee.pk}/password/",
        {
            "password1": "taken-over-passphrase-1",
            "password2": "taken-over-passphrase-1",
            "set-password": "1",
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.check_password("taken-over-passphrase-1")
    # then: the mentee is told, by email, who did it
    message = Notification.objects.get(kind="password-set-by-admin", recipient=mentee)
    assert message.channel == Notification.Channel.EMAIL
    assert persona_email("hradmin", "alpha") in message.body
    assert message.link == "/accounts/password/reset/"
    # and: the admin's history records it in words
    assert any(
        "set a new password" in entry and persona_email("hradmin", "alpha") in entry
        for entry in _history(mentee)
    )


def test_a_refused_password_form_sends_nothing(alpha, mentee):
    client = alpha.client("hradmin")
    response = client.post(
        f"/admin/accounts/user/{mentee.pk}/password/",
        {"password1": "short", "password2": "other", "set-password": "1"},
    )
    assert response.status_code == 200
    assert not Notification.objects.filter(kind="password-set-by-admin").exists()


def test_adding_a_person_sends_them_a_link_instead_of_taking_a_password(alpha):
    client = alpha.client("hradmin")
    form = client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="password1"' not in form
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": "New.Person@Alpha.example",
            "full_name": "New Person",
            "role": "coordinator",
            "time_zone": "Europe/Warsaw",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email="new.person@alpha.example")
    assert not person.has_usable_password()
    invitation = Notification.objects.get(kind="password-reset-link", recipient=person)
    assert invitation.link.startswith("/accounts/password/reset/key/")
    assert any("reset link sent" in entry for entry in _history(person))
    # the link lets them choose a password
    page = alpha.client().get(invitation.link, follow=True).content.decode()
    assert 'name="password1"' in page


def test_adding_a_person_with_an_unknown_time_zone_is_a_form_error(alpha):
    response = alpha.client("hradmin").post(
        "/admin/accounts/user/add/",
        {
            "email": "zone@alpha.example",
            "role": "member",
            "time_zone": "Mars/Olympus",
            "_save": "Save",
        },
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["adminform"].form.errors
    assert not User.objects.filter(email="zone@alpha.example").exists()


def test_send_a_password_reset_link_action(alpha, mentee, mentor):
    client = alpha.client("hradmin")
    response = client.post(
        "/admin/accounts/user/",
        {
            "action": "send_password_reset_link",
            "_selected_action": [mentee.pk, mentor.pk],
        },
    )
    assert response.status_code == 302
    links = Notification.objects.filter(kind="password-reset-link")
    assert {n.recipient_id for n in links} == {mentee.pk, mentor.pk}
    assert any("reset link sent" in entry for entry in _history(mentee))
    # nobody's password changed
    mentee.refresh_from_db()
    assert mentee.has_usable_password()
