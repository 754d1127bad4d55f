"""After a meeting: feedback between the two (not the coordinators), action items
as a checklist carried to the next meetings, and Markdown notes kept as typed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from checkins import services
from checkins.models import ActionItem, Meeting, MeetingFeedback
from checkins.services.logs import FeedbackEntry, LogEntry, action_item_lines
from mentorship.notifications.models import Notification


def _meeting(pair, *, days_ago, status=Meeting.Status.CONFIRMED):
    now = timezone.now()
    return Meeting.objects.create(
        match=pair.match,
        starts_at=now - datetime.timedelta(days=days_ago),
        status=status,
        proposed_by=pair.mentor.user,
        proposed_at=now - datetime.timedelta(days=days_ago + 2),
    )


def _log(pair, meeting, user, **fields):
    return services.meeting_log_save(
        meeting=meeting, owner=pair, by=user, entry=LogEntry(happened=True, **fields)
    )


# --- Feedback -------------------------------------------------------------------------


@pytest.fixture
def held(pair):
    meeting = _meeting(pair, days_ago=1)
    _log(pair, meeting, pair.mentee.user)
    return meeting


def test_feedback_goes_to_the_partner_not_the_coordinator(
    alpha, pair, held, mentor, mentee
):
    # given
    services.meeting_feedback_save(
        meeting=held,
        pair=pair,
        by=mentee,
        entry=FeedbackEntry(worked="FB-worked-sentinel", try_next="FB-next-sentinel"),
    )
    # then: the partner is told (digest) and sees it on the meeting page
    note = Notification.objects.get(kind="meeting-feedback")
    assert note.recipient == mentor
    assert note.channel == Notification.Channel.DIGEST
    assert note.link == f"/meetings/{held.pk}/#feedback"
    page = alpha.client("mentor").get(f"/meetings/{held.pk}/").content.decode()
    assert "FB-worked-sentinel" in page
    assert "FB-next-sentinel" in page
    # and the coordinator reads it nowhere: not the pair page, not the health view
    coordinator = alpha.client("coordinator")
    for url in (
        f"/pairs/{pair.match.pk}/",
        f"/manage/programs/{pair.match.program_id}/health/",
        f"/meetings/{held.pk}/",
    ):
        assert "FB-worked-sentinel" not in coordinator.get(url).content.decode()


def test_feedback_is_separate_from_the_pulse_and_editable(pair, held, mentee):
    services.pulse_submit(
        meeting=held, pair=pair, by=mentee, usefulness=4, for_coordinator=""
    )
    services.meeting_feedback_save(
        meeting=held, pair=pair, by=mentee, entry=FeedbackEntry(worked="Clear plan")
    )
    services.meeting_feedback_save(
        meeting=held, pair=pair, by=mentee, entry=FeedbackEntry(try_next="Shorter")
    )
    feedback = MeetingFeedback.objects.get()
    assert (feedback.worked, feedback.try_next) == ("", "Shorter")
    # telling the partner once, not on every edit
    assert Notification.objects.filter(kind="meeting-feedback").count() == 1


def test_feedback_needs_a_held_meeting_and_some_words(pair, mentee, stranger):
    upcoming = _meeting(pair, days_ago=-2)
    with pytest.raises(ValidationError):
        services.meeting_feedback_save(
            meeting=upcoming, pair=pair, by=mentee, entry=FeedbackEntry(worked="x")
        )
    held = _meeting(pair, days_ago=1, status=Meeting.Status.HELD)
    with pytest.raises(ValidationError):
        services.meeting_feedback_save(
            meeting=held, pair=pair, by=mentee, entry=FeedbackEntry()
        )
    with pytest.raises(PermissionDenied):
        services.meeting_feedback_save(
            meeting=held, pair=pair, by=stranger, entry=FeedbackEntry(worked="x")
        )


def test_feedback_form_on_the_meeting_page(alpha, pair, held):
    client = alpha.client("mentor")
    response = client.post(
        f"/meetings/{held.pk}/feedback/", {"worked": "Good questions", "try_next": ""}
    )
    assert response.status_code == 302
    assert MeetingFeedback.objects.get().worked == "Good questions"
    empty = client.post(
        f"/meetings/{held.pk}/feedback/", {"worked": "", "try_next": ""}
    )
    assert empty.status_code == 422


# --- Action items ----------------------------------------------------------------------


def test_action_item_lines_drop_list_marks():
    text = "- Send the deck\n* [ ] Book the room\n\n1. Call Ana\n[x] Done thing\n"
    assert action_item_lines(text) == [
        "Send the deck",
        "Book the room",
        "Call Ana",
        "Done thing",
    ]


def test_log_action_items_become_a_checklist_that_keeps_ticks(pair, mentee, mentor):
    meeting = _meeting(pair, days_ago=1)
    _log(pair, meeting, mentee, action_items="Send the deck\nBook the room")
    deck = ActionItem.objects.get(text="Send the deck")
    services.action_item_toggle(item=deck, owner=pair, by=mentor)
    # editing the log keeps the ticked item, drops the removed one, adds the new one
    _log(pair, meeting, mentee, action_items="Send the deck\nCall Ana")
    items = {i.text: i.is_done for i in ActionItem.objects.filter(meeting=meeting)}
    assert items == {"Send the deck": True, "Call Ana": False}


def test_open_items_are_carried_to_the_next_meetings_agenda(alpha, pair, mentee):
    # given: two items from the last meeting, one ticked off
    last = _meeting(pair, days_ago=7)
    _log(pair, last, mentee, action_items="Draft the budget\nAsk HR about leave")
    services.action_item_toggle(
        item=ActionItem.objects.get(text="Ask HR about leave"), owner=pair, by=mentee
    )
    upcoming = _meeting(pair, days_ago=-3)
    # when
    page = alpha.client("mentor").get(f"/meetings/{upcoming.pk}/").content.decode()
    # then: the open one is on the next meeting's agenda, as a checklist
    agenda = page.split('id="agenda"')[1].split("</section>")[0]
    assert "Draft the budget" in agenda
    assert "Ask HR about leave" not in agenda
    item = ActionItem.objects.get(text="Draft the budget")
    response = alpha.client("mentor").post(
        f"/meetings/{upcoming.pk}/action-items/{item.pk}/toggle/"
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_done


def test_cannot_toggle_another_pairs_item(alpha, program, pair, mentee, stranger):
    from tests.checkins.conftest import make_pair

    other = make_pair(
        program=program, mentor=alpha.user("coordinator2"), mentee=stranger
    )
    theirs = _meeting(other, days_ago=1)
    _log(other, theirs, stranger, action_items="Secret plan")
    item = ActionItem.objects.get()
    mine = _meeting(pair, days_ago=1)
    response = alpha.client("mentee").post(
        f"/meetings/{mine.pk}/action-items/{item.pk}/toggle/"
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.action_item_toggle(item=item, owner=pair, by=mentee)


# --- Markdown notes ------------------------------------------------------------------------


def test_log_notes_render_markdown_and_edit_as_typed(alpha, pair, mentee):
    meeting = _meeting(pair, days_ago=1)
    _log(pair, meeting, mentee, shared_notes="Read the **board minutes** first")
    client = alpha.client("mentee")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "<strong>board minutes</strong>" in page
    # the edit box shows what was typed, not the HTML
    assert "Read the **board minutes** first</textarea>" in page
