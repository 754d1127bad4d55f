"""Reached goals and milestones: both people of the pair get one note each."""

from __future__ import annotations

from checkins.models import Goal, Milestone
from checkins.services import goals as services
from mentorship.notifications.models import Notification


def _notes(kind: str = "goal-celebration"):
    return Notification.objects.filter(kind=kind).order_by("recipient_id")


def test_goal_at_100_notes_both_people_once(pair, mentor, mentee):
    # given
    goal = Goal.objects.create(match=pair.match, title="Lead a client workshop")
    # when: reached, moved back, reached again
    services.goal_progress_set(pair=pair, goal=goal, by=mentee, progress=60)
    assert not _notes().exists()
    services.goal_progress_set(pair=pair, goal=goal, by=mentee, progress=100)
    services.goal_progress_set(pair=pair, goal=goal, by=mentee, progress=90)
    services.goal_progress_set(pair=pair, goal=goal, by=mentee, progress=100)
    # then: one in-app note each, linking to the pair
    notes = list(_notes())
    assert {note.recipient_id for note in notes} == {mentor.pk, mentee.pk}
    assert len(notes) == 2
    assert all(note.channel == Notification.Channel.IN_APP for note in notes)
    assert all("Lead a client workshop" in note.subject for note in notes)
    assert all(note.link == f"/pairs/{pair.match.pk}/" for note in notes)


def test_milestone_done_notes_both_people_once(pair, mentor, mentee):
    goal = Goal.objects.create(match=pair.match, title="Negotiate the fee")
    milestone = Milestone.objects.create(goal=goal, title="Draft the letter")
    services.milestone_toggle(pair=pair, milestone=milestone, by=mentee)
    services.milestone_toggle(pair=pair, milestone=milestone, by=mentee)  # reopened
    services.milestone_toggle(pair=pair, milestone=milestone, by=mentee)  # done again
    notes = list(_notes())
    assert {note.recipient_id for note in notes} == {mentor.pk, mentee.pk}
    assert len(notes) == 2
    assert all("Draft the letter" in note.subject for note in notes)
