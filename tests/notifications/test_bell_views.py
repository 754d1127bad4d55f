from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification

Status, Channel = Notification.Status, Notification.Channel


def _in_app(user, **fields):
    return make_notification(
        recipient=user, channel=Channel.IN_APP, status=Status.SENT, **fields
    )


def test_bell_counts_unread_in_app_messages(
    alpha, mentee, django_assert_max_num_queries
):
    for _ in range(3):
        _in_app(mentee)
    _in_app(mentee, read_at=timezone.now())
    # an email due tomorrow: not in the bell yet (sent ones are, see
    # test_notification_list_view.py)
    make_notification(recipient=mentee, due_at=timezone.now() + timedelta(days=1))
    client = alpha.client("mentee")

    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert ">3<" in response.content.decode()


def test_list_shows_messages_then_marks_them_read(alpha, mentee):
    _in_app(mentee, subject="Your match with Minh is ready")
    client = alpha.client("mentee")

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert "Your match with Minh is ready" in response.content.decode()
    assert not Notification.objects.filter(recipient=mentee, read_at=None).exists()
    assert client.get(reverse("notifications:bell")).content.decode().strip() == ""


def test_header_polls_the_bell(alpha):
    body = alpha.client("mentee").get("/").content.decode()
    assert 'hx-get="/notifications/bell/"' in body
    assert 'hx-trigger="load, every 60s"' in body


def test_others_never_see_my_messages(alpha, mentee):
    _in_app(mentee, subject="Private to Priya")
    body = alpha.client("mentor").get(reverse("notifications:list")).content.decode()
    assert "Private to Priya" not in body


def test_anonymous_goes_to_login(alpha):
    response = alpha.client().get(reverse("notifications:bell"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_admin_dead_letters_and_retry(alpha, hr_admin, mentee):
    failed = make_notification(
        recipient=mentee, status=Status.FAILED, last_error="SMTPResponseException: 554"
    )
    make_notification(recipient=mentee, status=Status.SENT, subject="Fine one")
    client = alpha.client("hradmin")
    url = reverse("admin:notifications_notification_changelist")

    page = client.get(url, {"dead_letter": "yes"}).content.decode()
    assert "SMTPResponseException: 554" in page
    assert "Fine one" not in page

    response = client.post(
        url, {"action": "retry", "_selected_action": [failed.pk]}, follow=True
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (Status.QUEUED, 0)
