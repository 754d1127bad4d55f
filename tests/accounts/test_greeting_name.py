"""People are addressed by the name they chose, never by a word of their full name
(issue 13: Vietnamese people were greeted by their family name, "Hello, Nguyễn")."""

from mentorship.accounts.models import User
from mentorship.accounts.services import user_password_reset_link_send
from mentorship.notifications.models import Notification


def test_greeting_name_prefers_the_chosen_name():
    user = User(email="lan@x.example", full_name="Nguyễn Thị Lan", preferred_name="Lan")
    assert user.greeting_name == "Lan"


def test_greeting_name_never_splits_the_full_name():
    user = User(email="lan@x.example", full_name="Nguyễn Thị Lan")
    assert user.greeting_name == "Nguyễn Thị Lan"


def test_greeting_name_without_any_name_uses_the_email_before_the_at():
    assert User(email="lan.nguyen@x.example").greeting_name == "lan.nguyen"


def test_portal_greets_a_vietnamese_participant_by_the_chosen_name(alpha, mentor):
    mentor.full_name = "Nguyễn Thị Lan"
    mentor.preferred_name = "Lan"
    mentor.save()
    page = alpha.client("mentor").get("/").content.decode()
    assert "Hello, Lan" in page
    assert "Hello, Nguyễn<" not in page


def test_portal_without_a_chosen_name_uses_the_whole_name(alpha, mentor):
    mentor.full_name = "Lê Văn Đặng"
    mentor.preferred_name = ""
    mentor.save()
    page = alpha.client("mentor").get("/").content.decode()
    assert "Hello, Lê Văn Đặng" in page


def test_emails_greet_by_the_chosen_name(alpha, mentor, hr_admin):
    mentor.full_name = "Nguyễn Thị Lan"
    mentor.preferred_name = "Lan"
    mentor.save()
    user_password_reset_link_send(users=[mentor], by=hr_admin)
    body = Notification.objects.filter(recipient=mentor).latest("pk").body
    assert body.startswith("Hello Lan,")


def test_the_preferred_name_is_editable_in_the_profile(alpha, mentor):
    from tests.programs.test_profile_edit_view import _data

    client = alpha.client("mentor")
    page = client.get("/profile/").content.decode()
    assert "What should we call you?" in page
    response = client.post(
        "/profile/", _data(full_name="Nguyễn Thị Lan", preferred_name=" Lan\u00a0")
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert (mentor.full_name, mentor.preferred_name) == ("Nguyễn Thị Lan", "Lan")
    assert "Hello, Lan" in client.get("/").content.decode()
