"""Group meetings of a circle: a facilitator sets them, everyone is invited."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import Meeting
from matching.models import Circle
from mentorship.notifications.models import Notification
from programs.models import Enrollment
from tests.checkins.conftest import make_participant


@pytest.fixture
def circle(program, mentor, mentee, stranger):
    def enrol(user, role):
        return Enrollment.objects.create(
            participant=make_participant(user),
            program=program,
            role=role,
            status="approved",
        )

    circle = Circle.objects.create(
        program=program, name="Leaders circle", is_published=True
    )
    circle.facilitators.add(enrol(mentor, "mentor"))
    circle.members.add(enrol(mentee, "mentee"), enrol(stranger, "mentee"))
    return circle


def _when():
    return (timezone.now() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


def test_facilitator_schedules_and_everyone_is_invited(alpha, circle):
    response = alpha.client("mentor").post(
        f"/circles/{circle.pk}/", {"starts_at_local": _when(), "duration_minutes": "60"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(circle=circle)
    assert meeting.status == Meeting.Status.CONFIRMED
    invited = Notification.objects.filter(
        dedupe_key__startswith=f"meeting-invite:{meeting.pk}:0:"
    )
    assert invited.count() == 3
    assert all("METHOD:REQUEST" in n.attachment for n in invited)


def test_a_member_cannot_schedule(alpha, circle):
    response = alpha.client("mentee").post(
        f"/circles/{circle.pk}/", {"starts_at_local": _when(), "duration_minutes": "60"}
    )
    assert response.status_code == 403
    assert not Meeting.objects.filter(circle=circle).exists()


def test_members_see_the_circle_and_others_do_not(alpha, beta, circle):
    assert alpha.client("mentee").get(f"/circles/{circle.pk}/").status_code == 200
    for persona in ("coordinator", "coordinator2"):
        assert alpha.client(persona).get(f"/circles/{circle.pk}/").status_code == 404
    assert beta.client("mentee").get(f"/circles/{circle.pk}/").status_code == 404


def test_unpublished_circle_is_hidden(alpha, circle):
    Circle.objects.filter(pk=circle.pk).update(is_published=False)
    assert alpha.client("mentee").get(f"/circles/{circle.pk}/").status_code == 404
