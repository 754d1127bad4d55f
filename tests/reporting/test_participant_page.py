"""The coordinator's page per participant (/manage/people/<id>/): enrolments,
answers with their questions, training, match, meetings held, pulse scores —
never what anyone wrote; only programs the viewer manages; constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from checkins.models import AsyncUpdate, Meeting, MeetingLog, PrivateNote, Pulse
from programs.models import (
    ApplicationQuestion,
    AudienceRole,
    Enrollment,
    Program,
    TrainingModule,
)
from tests.checkins.conftest import make_pair

NOTE = "SNT-people-note"


@pytest.fixture
def program(alpha, coordinator):
    program = Program.objects.create(name="Reverse mentoring", status="active")
    program.coordinators.add(coordinator)
    return program


@pytest.fixture
def pair(program, mentor, mentee):
    question = ApplicationQuestion.objects.create(
        program=program, text="What do you hope to learn?", kind="long_text"
    )
    choices = ApplicationQuestion.objects.create(
        program=program,
        text="Which topics?",
        kind="multi_choice",
        choices=["AI tools", "Social media"],
    )
    TrainingModule.objects.create(
        program=program, title="Openness", required_for_role=AudienceRole.MENTEE
    )
    pair = make_pair(program=program, mentor=mentor, mentee=mentee)
    Enrollment.objects.filter(pk=pair.match.mentee_id).update(
        answers={
            str(question.pk): "How juniors use AI",
            str(choices.pk): ["AI tools", "Social media"],
        }
    )
    meeting = Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=2),
        status=Meeting.Status.HELD,
        proposed_by=mentor,
        proposed_at=timezone.now() - datetime.timedelta(days=4),
    )
    MeetingLog.objects.create(
        meeting=meeting,
        author=mentee,
        happened=True,
        topics=f"topics {NOTE}",
        shared_notes=f"<p>{NOTE}</p>",
        action_items=NOTE,
    )
    PrivateNote.objects.create(meeting=meeting, author=mentee, body=f"private {NOTE}")
    Pulse.objects.create(
        meeting=meeting, author=mentee, usefulness=2, for_coordinator=f"pulse {NOTE}"
    )
    AsyncUpdate.objects.create(match=pair.match, author=mentee, body=f"<p>{NOTE}</p>")
    return pair


def url(participant_id):
    return f"/manage/people/{participant_id}/"


def test_coordinator_sees_the_person_readably(alpha, pair):
    response = alpha.client("coordinator").get(url(pair.mentee.participant.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "What do you hope to learn?" in page
    assert "How juniors use AI" in page
    assert "AI tools; Social media" in page
    assert "Openness" in page
    assert "1 left" in page
    assert pair.mentor.user.full_name in page
    assert f"/pairs/{pair.match.pk}/" in page
    person = response.context["page"]
    assert person.meetings_held == 1
    assert [p.usefulness for p in person.blocks[0].pulses] == [2]


def test_never_shows_what_anyone_wrote(alpha, pair):
    for persona in ("coordinator", "hradmin"):
        page = alpha.client(persona).get(url(pair.mentee.participant.pk))
        assert page.status_code == 200
        assert NOTE not in page.content.decode()


def test_only_programs_the_viewer_manages(alpha, pair, mentee, coordinator2):
    # given: the mentee is also in coordinator2's program
    other = Program.objects.create(name="Other program SNT-hidden", status="enrolling")
    other.coordinators.add(coordinator2)
    Enrollment.objects.create(
        participant=pair.mentee.participant, program=other, role="mentor"
    )
    # then: each coordinator sees their own program only
    mine = alpha.client("coordinator").get(url(pair.mentee.participant.pk))
    assert "SNT-hidden" not in mine.content.decode()
    theirs = alpha.client("coordinator2").get(url(pair.mentee.participant.pk))
    assert theirs.status_code == 200
    assert "SNT-hidden" in theirs.content.decode()
    assert "Reverse mentoring" not in theirs.content.decode()
    # and HR admins see both
    both = alpha.client("hradmin").get(url(pair.mentee.participant.pk)).content.decode()
    assert "SNT-hidden" in both
    assert "Reverse mentoring" in both


@pytest.fixture
def coordinator2(alpha):
    return alpha.user("coordinator2")


def test_coordinator_without_their_programs_gets_404(alpha, pair):
    assert (
        alpha.client("coordinator2").get(url(pair.mentee.participant.pk)).status_code
        == 404
    )
    assert alpha.client("coordinator").get(url(999_999)).status_code == 404


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_members_are_refused(alpha, pair, persona):
    assert alpha.client(persona).get(url(pair.mentee.participant.pk)).status_code == 403


def test_another_organization_gets_404(alpha, beta, pair):
    participant_id = pair.mentee.participant.pk
    response = beta.client("hradmin").get(url(participant_id))
    alpha.activate()
    assert response.status_code == 404


def test_constant_queries(alpha, pair, program, mentee, django_assert_max_num_queries):
    client = alpha.client("coordinator")
    counts = []
    for extra in (0, 8):
        for n in range(extra):
            more = Program.objects.create(name=f"More {n}", status="enrolling")
            more.coordinators.add(alpha.user("coordinator"))
            ApplicationQuestion.objects.create(program=more, text=f"Q{n}?")
            TrainingModule.objects.create(program=more, title=f"M{n}")
            Enrollment.objects.create(
                participant=pair.mentee.participant, program=more, role="mentor"
            )
        # routing and migration check, session, user; then the page's 6 queries
        with django_assert_max_num_queries(14) as captured:
            response = client.get(url(pair.mentee.participant.pk))
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
