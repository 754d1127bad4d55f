"""The notifications page is the in-app copy of every message a person is sent
(issue 15: it was always empty, though ~100 emails had gone out — the page read only
``channel="in_app"`` rows, which nothing but muted kinds ever made)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from mentorship.notifications import services
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notification_create

Status, Channel = Notification.Status, Notification.Channel


def _send_email(user, n: int, **fields) -> Notification:
    row = notification_create(
        recipient=user,
        kind=fields.pop("kind", "match-proposed"),
        dedupe_key=f"page-test:{user.pk}:{n}",
        subject=fields.pop("subject", f"Email number {n}"),
        body="Body",
        link=fields.pop("link", "/matches/"),
        **fields,
    )
    # as the worker leaves it once delivered
    Notification.objects.filter(pk=row.pk).update(
        status=Status.SENT, sent_at=timezone.now()
    )
    return row


def test_an_email_sent_shows_on_the_page_and_in_the_bell(alpha, mentee):
    _send_email(mentee, 1, subject="Minh proposed a meeting", link="/meetings/")
    client = alpha.client("mentee")

    bell = client.get(reverse("notifications:bell")).content.decode()
    assert ">1<" in bell
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<a href="/meetings/">Minh proposed a meeting</a>' in page
    assert "also sent by email" in page
    # opening the page reads them: the bell clears
    assert client.get(reverse("notifications:bell")).content.decode().strip() == ""


def test_a_digest_item_shows_at_once_and_the_digest_email_is_not_listed(alpha, mentee):
    item = notification_create(
        recipient=mentee,
        kind="checkins-due",
        dedupe_key="page-test:digest-item",
        subject="Time to meet Minh",
        body="",
        link="/meetings/1/",
        channel=Channel.DIGEST,
    )
    assert item.due_at > timezone.now()  # its email waits for the digest hour
    # a digest that already went out (kind "digest") carries items; it isn't a message of its own
    Notification.objects.create(
        recipient=mentee,
        kind="digest",
        channel=Channel.EMAIL,
        dedupe_key="digest:x:2026-01-01",
        subject="Your daily digest",
        status=Status.SENT,
        due_at=timezone.now(),
    )

    page = alpha.client("mentee").get(reverse("notifications:list")).content.decode()

    assert "Time to meet Minh" in page
    assert "in your daily digest email" in page
    assert "Your daily digest" not in page


def test_future_reminders_and_cancelled_ones_do_not_show(alpha, mentee):
    now = timezone.now()
    notification_create(
        recipient=mentee,
        kind="meeting-reminder",
        dedupe_key="page-test:tomorrow",
        subject="Reminder for tomorrow",
        body="",
        due_at=now + datetime.timedelta(days=1),
    )
    called_off = notification_create(
        recipient=mentee,
        kind="meeting-reminder",
        dedupe_key="page-test:called-off",
        subject="Reminder for a meeting called off",
        body="",
        due_at=now + datetime.timedelta(minutes=1),
    )
    Notification.objects.filter(pk=called_off.pk).update(
        status=Status.CANCELLED, due_at=now - datetime.timedelta(minutes=1)
    )

    page = alpha.client("mentee").get(reverse("notifications:list")).content.decode()

    assert "Reminder for tomorrow" not in page
    assert "called off" not in page


def test_email_turned_off_at_send_keeps_its_in_app_copy(alpha, mentee):
    row = _send_email(mentee, 2, subject="Turned off at send")
    Notification.objects.filter(pk=row.pk).update(
        status=Status.CANCELLED, claimed_at=timezone.now()
    )

    page = alpha.client("mentee").get(reverse("notifications:list")).content.decode()

    assert "Turned off at send" in page


def test_muted_kind_shows_here_only(alpha, mentee):
    mentee.muted_kinds = ["match-proposed"]
    mentee.save(update_fields=["muted_kinds"])
    notification_create(
        recipient=mentee,
        kind="match-proposed",
        dedupe_key="page-test:muted",
        subject="Muted but here",
        body="",
    )

    page = alpha.client("mentee").get(reverse("notifications:list")).content.decode()

    assert "Muted but here" in page
    assert "here only" in page


def test_page_queries_do_not_grow_with_messages(
    alpha, mentee, django_assert_max_num_queries
):
    client = alpha.client("mentee")
    _send_email(mentee, 100)
    # tenant, session, user, the list, mark read (the bell is another request)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("notifications:list"))
    for n in range(101, 131):
        _send_email(mentee, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count('<li class="notification') == 31


def test_mark_read_reads_only_what_the_page_shows(alpha, mentee):
    _send_email(mentee, 200)
    notification_create(
        recipient=mentee,
        kind="meeting-reminder",
        dedupe_key="page-test:later",
        subject="Later",
        body="",
        due_at=timezone.now() + datetime.timedelta(days=2),
    )

    assert services.notifications_mark_read(user=mentee) == 1
    assert Notification.objects.get(dedupe_key="page-test:later").read_at is None
