"""Every page shows times in the viewer's zone, labelled (issue 12: a coordinator in
Toronto saw the matching run and publish times, and the notification list, in UTC)."""

from __future__ import annotations

import datetime

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from django.utils import timezone

from matching.models import MatchRun
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from tests.matching.factories import matching_program
from tests.notifications.factories import make_notification

pytestmark = pytest.mark.django_db

# 15:00 UTC on 15 January 2026 is 10:00 in Toronto (EST, UTC-5).
INSTANT = datetime.datetime(2026, 1, 15, 15, 0, tzinfo=datetime.UTC)


def _in_toronto(user: User) -> None:
    User.objects.filter(pk=user.pk).update(time_zone="America/Toronto")


def test_matching_page_shows_run_and_publish_times_in_the_coordinators_zone(
    alpha, coordinator
):
    _in_toronto(coordinator)
    program = matching_program(coordinators=[coordinator])
    run = MatchRun.objects.create(
        program=program,
        status=MatchRun.Status.PUBLISHED,
        mode=MatchRun.Mode.OPTIMAL,
        published_at=INSTANT,
    )
    MatchRun.objects.filter(pk=run.pk).update(created_at=INSTANT)

    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matching/")
        .content.decode()
    )

    assert "run 15 Jan 10:00 EST" in page
    assert "Published 15 Jan 2026 10:00 EST" in page


def test_notification_list_in_the_viewers_zone(alpha, coordinator):
    _in_toronto(coordinator)
    make_notification(
        recipient=coordinator,
        channel=Notification.Channel.IN_APP,
        status=Notification.Status.SENT,
        subject="Proposals are ready",
        due_at=INSTANT,
    )

    page = alpha.client("coordinator").get(reverse("notifications:list"))

    assert "15 Jan 2026, 10:00 EST" in page.content.decode()


def test_an_hr_admins_pages_render_in_their_zone_and_it_does_not_leak(alpha, hr_admin):
    User.objects.filter(pk=hr_admin.pk).update(time_zone="Asia/Kolkata")
    client = alpha.client("hradmin")
    seen = {}

    def spy(sender, **kwargs):
        seen["zone"] = str(timezone.get_current_timezone())

    template_rendered.connect(spy)
    try:
        client.get(reverse("notifications:list"))
    finally:
        template_rendered.disconnect(spy)

    assert seen["zone"] == "Asia/Kolkata"
    # and nothing leaks past the request
    assert str(timezone.get_current_timezone()) == "UTC"


def test_a_typed_time_in_an_autumn_fold_is_still_accepted_under_the_active_zone():
    # 01:30 happens twice in London on 25 Oct 2026; Django's own parsing under the
    # activated zone would refuse it as ambiguous. The one rule: first occurrence.
    from checkins.forms import MeetingForm

    with timezone.override("Europe/London"):
        form = MeetingForm(
            data={"starts_at_local": "2030-10-27T01:30", "duration_minutes": 45},
            zone="Europe/London",
        )
        assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime.datetime(
        2030, 10, 27, 0, 30, tzinfo=datetime.UTC
    )
