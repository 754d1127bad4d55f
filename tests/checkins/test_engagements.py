"""Organization-to-organization mentoring (issue 18): one shared space per
engagement. The mentor and every active member of the member organization's team
see the engagement page and everything under it; team meetings invite everyone,
each answers, and the meeting is confirmed when all accept."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from checkins import services, timezones
from checkins.models import (
    AsyncUpdate,
    Meeting,
    MeetingInvitee,
    MeetingLog,
    PrivateNote,
)
from checkins.selectors import pair_get_for_member
from checkins.selectors.waiting import waiting_for_participant
from checkins.services.meetings import MeetingDetails
from matching.models import Match
from members.models import Membership
from members.services import membership_end
from mentorship import localtime
from mentorship.notifications.models import Notification
from tests.checkins.conftest import make_pair
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import UserFactory

NEEDS = "Advocacy on **credit-history fees** with the central bank."


def make_engagement(program, mentor, people, *, organization=None):
    """An active engagement of ``mentor`` with a member organization whose team is
    ``people`` (the first is the lead contact, whose enrolment is the mentee)."""
    organization = organization or MemberOrganizationFactory(context_needs=NEEDS)
    for index, user in enumerate(people):
        MembershipFactory(
            member_organization=organization, user=user, is_lead=not index
        )
    match = make_pair(
        program=program, mentor=mentor, mentee=people[0], started_days_ago=3
    ).match
    Match.objects.filter(pk=match.pk).update(member_organization=organization)
    match.refresh_from_db()
    return match


def person(name: str, zone: str):
    return UserFactory(full_name=name, preferred_name=name.split()[0], time_zone=zone)


@pytest.fixture
def team(alpha):
    """A team across two zones (Dhaka and Tunis), mentored from Toronto."""
    return {
        "claire": person("Claire Mentor", "America/Toronto"),
        "rafiq": person("Rafiq Lead", "Asia/Dhaka"),
        "amina": person("Amina Officer", "Africa/Tunis"),
        "nadia": person("Nadia Treasurer", "Asia/Dhaka"),
    }


@pytest.fixture
def engagement(program, team):
    return make_engagement(
        program, team["claire"], [team["rafiq"], team["amina"], team["nadia"]]
    )


def client_for(alpha, user):
    alpha.activate()
    client = alpha.client()
    client.force_login(user)
    return client


def page_url(match) -> str:
    return reverse("checkins:pair-detail", args=[match.pk])


def propose(alpha, match, by, starts_at=None):
    starts_at = starts_at or timezone.now() + datetime.timedelta(days=3)
    response = client_for(alpha, by).post(
        reverse("checkins:meeting-propose", args=[match.pk]),
        {"slot": starts_at.isoformat(), "duration_minutes": 60},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    alpha.activate()
    return Meeting.objects.get(match=match, proposed_by=by, status="proposed")


# --- Slots for a team across three zones -----------------------------------------------


def test_team_slots_are_least_bad_and_labelled_per_person(alpha, engagement, team):
    response = client_for(alpha, team["rafiq"]).get(page_url(engagement))
    assert response.status_code == 200
    page = response.context["page"]
    # Dhaka 09-17 (03-11 UTC), Tunis 09-17 (08-16 UTC), Toronto 09-17 (14-22 UTC):
    # no hour is inside everyone's day, so the least-bad ones come labelled.
    assert page.slots
    assert not page.has_overlap
    label = re.compile(
        r"outside working hours for (Claire|Amina|Nadia) "
        r"\(\d\d:\d\d–\d\d:\d\d in (Toronto|Tunis|Dhaka)\)"
    )
    for slot in page.slots:
        assert slot.labels
        assert all(
            label.fullmatch(text)
            or text.startswith("outside your working hours (")
            or text.endswith("day off")
            for text in slot.labels
        ), slot.labels
    assert any(label.fullmatch(text) for s in page.slots for text in s.labels)
    body = response.content.decode()
    assert "No time in the next two weeks suits the whole team" in body
    assert "Propose to everyone" in body


def test_team_slots_inside_everyones_hours_come_first():
    def pattern(zone, start, end):
        return localtime.WorkingPattern(
            zone=zone,
            start=datetime.time(start),
            end=datetime.time(end),
            days=localtime.WEEKDAYS,
        )

    # Dhaka 14-22 local = 08-16 UTC; Tunis 09-17 = 08-16 UTC; Toronto 09-17 =
    # 14-22 UTC (in December): 14:00-16:00 UTC suits all three.
    after = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
    slots = timezones.propose_team_slots(
        [
            pattern("America/Toronto", 9, 17),
            pattern("Asia/Dhaka", 14, 22),
            pattern("Africa/Tunis", 9, 17),
        ],
        after=after,
        duration=datetime.timedelta(hours=1),
        limit=5,
    )
    assert slots
    assert all(slot.inside_both for slot in slots)
    for slot in slots:
        assert datetime.time(14) <= slot.start.time() <= datetime.time(15)


def test_two_people_keep_the_pair_slot_finder():
    a = localtime.WorkingPattern(
        "Europe/Warsaw", datetime.time(9), datetime.time(17), localtime.WEEKDAYS
    )
    b = localtime.WorkingPattern(
        "Asia/Kolkata", datetime.time(9), datetime.time(17), localtime.WEEKDAYS
    )
    after = datetime.datetime(2026, 12, 7, tzinfo=datetime.UTC)
    assert timezones.propose_slots(a, b, after=after) == timezones.propose_team_slots(
        [a, b], after=after
    )


# --- Team meetings: every invitee answers -----------------------------------------------


def test_all_three_accept_and_the_meeting_is_confirmed(alpha, engagement, team):
    meeting = propose(alpha, engagement, team["rafiq"])
    invited = {i.user_id for i in MeetingInvitee.objects.filter(meeting=meeting)}
    assert invited == {team["claire"].pk, team["amina"].pk, team["nadia"].pk}
    proposed_to = set(
        Notification.objects.filter(
            kind="meeting-proposed", dedupe_key__contains=f":{meeting.pk}:"
        ).values_list("recipient_id", flat=True)
    )
    assert proposed_to == invited

    # Each sees the proposal waiting for their answer, in their own zone first.
    response = client_for(alpha, team["amina"]).get(page_url(engagement))
    page = response.context["page"]
    assert [view.meeting.pk for view in page.awaiting_me] == [meeting.pk]
    assert page.awaiting_me[0].line.endswith("for Nadia")
    assert "for you" in page.awaiting_me[0].line.split(" · ")[0]

    for name in ("claire", "amina"):
        response = client_for(alpha, team[name]).post(
            reverse("checkins:meeting-accept", args=[meeting.pk])
        )
        assert response.status_code == 302
        alpha.activate()
        meeting.refresh_from_db()
        assert meeting.status == "proposed"
    invitations = Notification.objects.filter(
        kind="meeting-invitation", dedupe_key__contains=f":{meeting.pk}:"
    )
    assert not invitations.exists()
    # The proposer sees who has answered.
    response = client_for(alpha, team["rafiq"]).get(page_url(engagement))
    answers = dict(response.context["page"].awaiting_partner[0].answers)
    assert answers == {"Claire": "Accepted", "Amina": "Accepted", "Nadia": "Waiting"}
    assert "Waiting for answers" in response.content.decode()

    client_for(alpha, team["nadia"]).post(
        reverse("checkins:meeting-accept", args=[meeting.pk])
    )
    alpha.activate()
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    assert set(invitations.values_list("recipient_id", flat=True)) == {
        user.pk for user in team.values()
    }
    # Each invitation gives the time in its recipient's own zone.
    for invitation in invitations:
        zone = invitation.recipient.time_zone
        assert localtime.zone_name(zone) in invitation.subject
        assert "Claire & Rafiq & Amina & Nadia" in invitation.subject


def test_an_accepted_invitee_cannot_answer_twice(alpha, engagement, team):
    meeting = propose(alpha, engagement, team["rafiq"])
    pair = pair_get_for_member(user=team["amina"], match_id=engagement.pk)
    services.meeting_accept(meeting=meeting, pair=pair, by=team["amina"])
    with pytest.raises(Exception, match="already answered"):
        services.meeting_accept(meeting=meeting, pair=pair, by=team["amina"])


def test_one_decline_declines_the_meeting_and_says_who(alpha, engagement, team):
    meeting = propose(alpha, engagement, team["claire"])
    client_for(alpha, team["rafiq"]).post(
        reverse("checkins:meeting-accept", args=[meeting.pk])
    )
    client_for(alpha, team["amina"]).post(
        reverse("checkins:meeting-decline", args=[meeting.pk])
    )
    alpha.activate()
    meeting.refresh_from_db()
    assert meeting.status == "declined"
    assert meeting.responded_by_id == team["amina"].pk
    declined = Notification.objects.get(
        kind="meeting-declined", dedupe_key__contains=f":{meeting.pk}:"
    )
    assert declined.recipient_id == team["claire"].pk
    # Nadia can no longer accept it.
    pair = pair_get_for_member(user=team["nadia"], match_id=engagement.pk)
    with pytest.raises(Exception, match="changed in the meantime"):
        services.meeting_accept(meeting=meeting, pair=pair, by=team["nadia"])
    body = client_for(alpha, team["claire"]).get(page_url(engagement)).content.decode()
    assert "Amina declined the meeting of" in body


def test_a_pair_meeting_has_no_invitees(alpha, pair, mentor, mentee):
    meeting = services.meeting_propose(
        pair=pair,
        by=mentor,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        details=MeetingDetails(duration_minutes=45),
    )
    services.meeting_accept(meeting=meeting, pair=pair, by=mentee)
    assert meeting.status == "confirmed"
    assert not MeetingInvitee.objects.filter(meeting=meeting).exists()


# --- The brief, the organization's goals, updates from anyone -----------------------


def test_the_mentor_reads_the_brief_before_the_first_meeting(alpha, engagement, team):
    response = client_for(alpha, team["claire"]).get(page_url(engagement))
    body = response.content.decode()
    organization = engagement.member_organization
    assert f"Before you meet: {organization.name}" in body
    assert "<strong>credit-history fees</strong>" in body
    assert response.context["meeting_form"].initial["agenda"] == (
        "Advocacy on credit-history fees with the central bank."
    )
    assert f"{organization.name}&#x27;s goals" in body
    assert f"You &amp; {organization.name}" in body

    alpha.activate()
    Meeting.objects.create(
        match=engagement,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
        proposed_by=team["claire"],
        proposed_at=timezone.now() - datetime.timedelta(days=2),
    )
    response = client_for(alpha, team["claire"]).get(page_url(engagement))
    body = response.content.decode()
    assert "Before you meet" not in body
    assert '<details class="card engagement-brief" id="brief">' in body
    assert "<strong>credit-history fees</strong>" in body
    assert not response.context["meeting_form"].initial["agenda"]


def test_an_update_from_any_member_reaches_everyone_else(alpha, engagement, team):
    pair = pair_get_for_member(user=team["nadia"], match_id=engagement.pk)
    update = services.async_update_post(
        pair=pair, by=team["nadia"], body="Budget approved."
    )
    told = set(
        Notification.objects.filter(
            kind="pair-update", dedupe_key__startswith=f"pair-update:{update.pk}:"
        ).values_list("recipient_id", flat=True)
    )
    assert told == {team["claire"].pk, team["rafiq"].pk, team["amina"].pk}


def test_the_engagement_is_in_every_members_pair_list(alpha, engagement, team):
    for name in ("claire", "amina", "nadia"):
        body = client_for(alpha, team[name]).get("/pairs/").content.decode()
        assert page_url(engagement) in body
    body = client_for(alpha, team["claire"]).get("/pairs/").content.decode()
    assert engagement.member_organization.name in body


# --- Membership ends: access ends, what they wrote stays theirs -------------------------


def test_a_member_who_left_gets_404_and_their_words_stay(alpha, engagement, team):
    amina = team["amina"]
    meeting = Meeting.objects.create(
        match=engagement,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
        proposed_by=team["claire"],
        proposed_at=timezone.now() - datetime.timedelta(days=2),
    )
    MeetingLog.objects.create(
        meeting=meeting, author=amina, happened=True, topics="Fee advocacy plan"
    )
    PrivateNote.objects.create(meeting=meeting, author=amina, body="AMINA-PRIVATE")
    AsyncUpdate.objects.create(
        match=engagement, author=amina, body="<p>AMINA-UPDATE</p>"
    )
    client = client_for(alpha, amina)
    assert client.get(page_url(engagement)).status_code == 200

    alpha.activate()
    membership = Membership.objects.get(user=amina, left_at__isnull=True)
    membership_end(membership=membership, by=None)

    client = client_for(alpha, amina)
    meeting_url = reverse("checkins:meeting-detail", args=[meeting.pk])
    assert client.get(page_url(engagement)).status_code == 404
    assert client.get(meeting_url).status_code == 404
    assert (
        client.post(
            reverse("checkins:update-post", args=[engagement.pk]),
            {"body": "still here?"},
        ).status_code
        == 404
    )
    assert page_url(engagement) not in client.get("/pairs/").content.decode()

    alpha.activate()
    assert MeetingLog.objects.filter(author=amina).exists()
    assert PrivateNote.objects.filter(author=amina).exists()
    body = client_for(alpha, team["claire"]).get(page_url(engagement)).content.decode()
    assert "Amina logged the meeting of" in body
    assert "Amina posted an update" in body
    assert "AMINA-UPDATE" in body
    assert "AMINA-PRIVATE" not in body
    body = client_for(alpha, team["claire"]).get(meeting_url).content.decode()
    assert "Fee advocacy plan" in body
    assert "AMINA-PRIVATE" not in body


def test_a_member_who_left_no_longer_holds_a_meeting_up(alpha, engagement, team):
    meeting = propose(alpha, engagement, team["rafiq"])
    client_for(alpha, team["claire"]).post(
        reverse("checkins:meeting-accept", args=[meeting.pk])
    )
    alpha.activate()
    membership_end(
        membership=Membership.objects.get(user=team["amina"], left_at__isnull=True),
        by=None,
    )
    client_for(alpha, team["nadia"]).post(
        reverse("checkins:meeting-accept", args=[meeting.pk])
    )
    alpha.activate()
    meeting.refresh_from_db()
    assert meeting.status == "confirmed"
    invited = Notification.objects.filter(
        kind="meeting-invitation", dedupe_key__contains=f":{meeting.pk}:"
    )
    assert invited.exists()
    assert team["amina"].pk not in set(invited.values_list("recipient_id", flat=True))


# --- Isolation ------------------------------------------------------------------------


def test_a_member_of_another_engagement_gets_404(alpha, program, engagement, team):
    other_team = [person("Omar Other", "Africa/Cairo")]
    other = make_engagement(program, person("Olga Mentor", "Europe/Berlin"), other_team)
    meeting = propose(alpha, engagement, team["rafiq"])
    client = client_for(alpha, other_team[0])
    assert client.get(page_url(other)).status_code == 200
    assert client.get(page_url(engagement)).status_code == 404
    assert (
        client.get(reverse("checkins:meeting-detail", args=[meeting.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("checkins:meeting-accept", args=[meeting.pk])).status_code
        == 404
    )


def test_another_organization_gets_404(alpha, beta, engagement, team):
    url = page_url(engagement)
    for persona in ("mentor", "mentee", "coordinator"):
        assert beta.client(persona).get(url).status_code == 404
    alpha.activate()


# --- Query count: constant with the team's size ----------------------------------------


def test_engagement_page_queries_do_not_grow_with_the_team(
    alpha, program, team, django_assert_max_num_queries
):
    counts = []
    for size in (1, 3):
        people = [person(f"Member{size}{n} Team", "Africa/Tunis") for n in range(size)]
        mentor = person(f"Mentor{size} Person", "America/Toronto")
        match = make_engagement(program, mentor, people)
        for member in people:
            AsyncUpdate.objects.create(match=match, author=member, body="<p>hi</p>")
        client = client_for(alpha, mentor)
        with django_assert_max_num_queries(40) as captured:
            response = client.get(page_url(match))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_a_team_request_waits_for_each_invitee_until_they_answer(
    alpha, engagement, team
):
    meeting = propose(alpha, engagement, team["claire"])
    for name in ("rafiq", "amina"):
        requests = waiting_for_participant(user=team[name]).requests
        assert [item.meeting.pk for item in requests] == [meeting.pk]
        assert requests[0].partner.user.pk == team["claire"].pk
    assert not waiting_for_participant(user=team["claire"]).requests
    pair = pair_get_for_member(user=team["amina"], match_id=engagement.pk)
    services.meeting_accept(meeting=meeting, pair=pair, by=team["amina"])
    assert not waiting_for_participant(user=team["amina"]).requests
    assert waiting_for_participant(user=team["rafiq"]).requests


def test_while_a_team_request_waits_the_propose_form_folds_away(
    alpha, engagement, team
):
    # before any request: the form is open
    before = client_for(alpha, team["amina"]).get(page_url(engagement)).content.decode()
    assert "propose-later" not in before
    propose(alpha, engagement, team["claire"])
    # an invitee: asked to answer, the form folded under a summary
    body = client_for(alpha, team["amina"]).get(page_url(engagement)).content.decode()
    assert "Nothing confirmed yet: answer the request above." in body
    assert '<details class="propose-later">' in body
    assert "Propose to everyone" in body  # still there, one click away
    # the proposer, waiting for answers, too
    mine = client_for(alpha, team["claire"]).get(page_url(engagement)).content.decode()
    assert '<details class="propose-later">' in mine
