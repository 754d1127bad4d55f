"""The meeting pages through HTTP, and who may use each of them."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import Goal, Meeting, MeetingLog, Milestone, PrivateNote, Pulse


def _past(pair, status=Meeting.Status.CONFIRMED):
    return Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        duration_minutes=45,
        status=status,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=2),
    )


def test_propose_a_suggested_slot_then_accept_it(alpha, pair):
    # given: the mentor opens the page and picks the first suggestion
    mentor = alpha.client("mentor")
    slot = mentor.get(f"/pairs/{pair.match.pk}/").context["page"].slots[0]
    # when
    response = mentor.post(
        f"/pairs/{pair.match.pk}/meetings/propose/",
        {"slot": slot.value, "duration_minutes": "45", "agenda": "Hello"},
    )
    # then
    assert response.status_code == 302
    meeting = Meeting.objects.get(match=pair.match)
    assert meeting.starts_at == slot.start
    mentee = alpha.client("mentee")
    page = mentee.get(f"/pairs/{pair.match.pk}/")
    assert "Waiting for your answer" in page.content.decode()
    assert mentee.post(f"/meetings/{meeting.pk}/accept/").status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED


def test_propose_rejects_a_dst_gap_with_422(alpha, pair, mentor):
    mentor.time_zone = "Europe/Warsaw"
    mentor.save()
    response = alpha.client("mentor").post(
        f"/pairs/{pair.match.pk}/meetings/propose/",
        {"starts_at_local": "2030-03-31T02:30", "duration_minutes": "45"},
    )
    assert response.status_code == 422
    assert "doesn&#x27;t exist in Europe/Warsaw" in response.content.decode()
    assert not Meeting.objects.filter(match=pair.match).exists()


def test_propose_with_htmx_returns_the_form_partial_on_error(alpha, pair):
    response = alpha.client("mentor").post(
        f"/pairs/{pair.match.pk}/meetings/propose/",
        {"duration_minutes": "45"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="propose"' in body
    assert "<html" not in body


def test_log_and_pulse_through_the_meeting_page(alpha, pair):
    meeting = _past(pair)
    mentee = alpha.client("mentee")
    assert mentee.get(f"/meetings/{meeting.pk}/").status_code == 200
    response = mentee.post(
        f"/meetings/{meeting.pk}/log/",
        {
            "happened": "yes",
            "duration_minutes": "40",
            "topics": "feedback",
            "shared_notes": "We talked",
            "private_note": "Only mine",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    response = mentee.post(
        f"/meetings/{meeting.pk}/pulse/",
        {"usefulness": "5", "for_coordinator": "Great"},
    )
    assert response.status_code == 302
    assert Pulse.objects.get(meeting=meeting).usefulness == 5
    # a second answer is refused on the page
    response = mentee.post(f"/meetings/{meeting.pk}/pulse/", {"usefulness": "1"})
    assert response.status_code == 422
    assert "already answered" in response.content.decode()


MEMBER_POSTS = [
    ("/pairs/{match}/meetings/propose/", {"duration_minutes": "45"}),
    ("/pairs/{match}/goals/", {"title": "x"}),
    ("/pairs/{match}/goals/{goal}/progress/", {"progress": "50"}),
    ("/pairs/{match}/goals/{goal}/milestones/", {"title": "x"}),
    ("/pairs/{match}/goals/{goal}/comments/", {"text": "x"}),
    ("/pairs/{match}/milestones/{milestone}/toggle/", {}),
    ("/pairs/{match}/updates/", {"body": "x"}),
    ("/meetings/{meeting}/accept/", {}),
    ("/meetings/{meeting}/decline/", {}),
    ("/meetings/{meeting}/counter/", {"duration_minutes": "45"}),
    ("/meetings/{meeting}/reschedule/", {"duration_minutes": "45"}),
    ("/meetings/{meeting}/cancel/", {}),
    ("/meetings/{meeting}/log/", {"happened": "yes"}),
    ("/meetings/{meeting}/pulse/", {"usefulness": "3"}),
]
MEMBER_GETS = ["/meetings/{meeting}/", "/meetings/{meeting}/invite.ics"]


@pytest.fixture
def objects(pair):
    meeting = _past(pair, status=Meeting.Status.HELD)
    goal = Goal.objects.create(match=pair.match, title="Speak up")
    milestone = Milestone.objects.create(goal=goal, title="First talk")
    return {
        "match": pair.match.pk,
        "meeting": meeting.pk,
        "goal": goal.pk,
        "milestone": milestone.pk,
    }


def _snapshot():
    return (
        Meeting.objects.count(),
        MeetingLog.objects.count(),
        Pulse.objects.count(),
        PrivateNote.objects.count(),
        list(Goal.objects.values_list("progress", "title")),
        list(Milestone.objects.values_list("is_done", flat=True)),
    )


@pytest.mark.parametrize(
    "persona", ["coordinator", "coordinator2", "hradmin", "stranger"]
)
def test_only_the_pair_may_act(alpha, pair, objects, persona, stranger):
    if persona == "stranger":
        client = alpha.client()
        client.force_login(stranger)
    else:
        client = alpha.client(persona)
    before = _snapshot()
    for path, data in MEMBER_POSTS:
        response = client.post(path.format(**objects), data)
        assert response.status_code == 404, (persona, path, response.status_code)
    for path in MEMBER_GETS:
        assert client.get(path.format(**objects)).status_code == 404, (persona, path)
    assert _snapshot() == before


def test_anonymous_is_sent_to_login_everywhere(alpha, objects):
    client = alpha.client()
    for path, data in MEMBER_POSTS:
        response = client.post(path.format(**objects), data)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_another_organization_sees_nothing(beta, objects):
    client = beta.client("mentor")
    for path, data in MEMBER_POSTS:
        assert client.post(path.format(**objects), data).status_code == 404, path
    for path in [*MEMBER_GETS, "/pairs/{match}/"]:
        assert client.get(path.format(**objects)).status_code == 404, path


def test_get_is_refused_on_post_only_views(alpha, objects):
    client = alpha.client("mentor")
    for path, _ in MEMBER_POSTS:
        assert client.get(path.format(**objects)).status_code == 405, path
