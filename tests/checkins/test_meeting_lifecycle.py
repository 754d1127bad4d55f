"""The meeting state machine: propose → accept / decline / counter; cancel; log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from checkins import services
from checkins.models import Meeting
from checkins.services.logs import LogEntry
from checkins.services.meetings import MeetingDetails
from matching.models import Match
from mentorship.notifications.models import Notification

DETAILS = MeetingDetails(duration_minutes=45, agenda="Career plan")


def _soon(days=3):
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def _propose(pair, by=None, days=3):
    return services.meeting_propose(
        pair=pair, by=by or pair.mentor.user, starts_at=_soon(days), details=DETAILS
    )


def test_propose_creates_a_proposal_and_tells_the_partner(pair):
    meeting = _propose(pair)
    assert meeting.status == Meeting.Status.PROPOSED
    assert meeting.proposed_by == pair.mentor.user
    note = Notification.objects.get(
        dedupe_key=f"meeting-proposed:{meeting.pk}:{pair.mentee.user.pk}"
    )
    assert note.recipient == pair.mentee.user
    # in the recipient's zone (Kolkata)
    assert "(Asia/Kolkata)" in note.subject


def test_accept_confirms(pair):
    meeting = _propose(pair)
    services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentee.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert meeting.responded_by == pair.mentee.user
    assert meeting.sequence == 0


def test_proposer_cannot_accept_their_own(pair):
    meeting = _propose(pair)
    with pytest.raises(ValidationError):
        services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentor.user)


def test_accepting_twice_fails_cleanly(pair):
    meeting = _propose(pair)
    services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentee.user)
    stale = Meeting.objects.get(pk=meeting.pk)
    stale.status = Meeting.Status.PROPOSED  # a second tab with the old page
    with pytest.raises(ValidationError):
        services.meeting_accept(meeting=stale, pair=pair, by=pair.mentee.user)


def test_decline(pair):
    meeting = _propose(pair)
    services.meeting_decline(meeting=meeting, pair=pair, by=pair.mentee.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DECLINED


def test_counter_declines_and_proposes_another(pair):
    meeting = _propose(pair)
    other = services.meeting_counter(
        meeting=meeting,
        pair=pair,
        by=pair.mentee.user,
        starts_at=_soon(4),
        details=DETAILS,
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DECLINED
    assert other.status == Meeting.Status.PROPOSED
    assert other.replaces == meeting
    assert other.proposed_by == pair.mentee.user
    # and now the mentor is the one who answers
    services.meeting_accept(meeting=other, pair=pair, by=pair.mentor.user)


def test_rejects_a_time_in_the_past(pair):
    with pytest.raises(ValidationError):
        services.meeting_propose(
            pair=pair,
            by=pair.mentor.user,
            starts_at=timezone.now() - datetime.timedelta(minutes=5),
            details=DETAILS,
        )


def test_rejects_non_http_links(pair):
    with pytest.raises(ValidationError):
        services.meeting_propose(
            pair=pair,
            by=pair.mentor.user,
            starts_at=_soon(),
            details=MeetingDetails(
                duration_minutes=30, online_link="javascript:alert(1)"
            ),
        )


def test_outsider_cannot_propose(pair, stranger):
    with pytest.raises(PermissionDenied):
        services.meeting_propose(
            pair=pair, by=stranger, starts_at=_soon(), details=DETAILS
        )


def test_inactive_pair_cannot_propose(pair):
    Match.objects.filter(pk=pair.match.pk).update(status=Match.Status.COMPLETED)
    pair.match.status = Match.Status.COMPLETED
    with pytest.raises(ValidationError):
        _propose(pair)


def test_only_the_proposer_withdraws_a_proposal(pair):
    meeting = _propose(pair)
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentee.user)
    services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentor.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_either_side_cancels_a_confirmed_meeting(pair):
    meeting = _propose(pair)
    services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentee.user)
    services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentee.user)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert meeting.sequence == 1


def test_reschedule_bumps_the_sequence(pair):
    meeting = _propose(pair)
    services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentee.user)
    later = _soon(5)
    services.meeting_reschedule(
        meeting=meeting,
        pair=pair,
        by=pair.mentor.user,
        starts_at=later,
        details=DETAILS,
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONFIRMED
    assert meeting.sequence == 1
    assert meeting.starts_at == later


def _started(pair, status=Meeting.Status.CONFIRMED):
    return Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        duration_minutes=45,
        status=status,
        proposed_by=pair.mentor.user,
        proposed_at=timezone.now() - datetime.timedelta(days=3),
    )


def test_logging_marks_held_or_missed(pair):
    meeting = _started(pair)
    services.meeting_log_save(
        meeting=meeting, owner=pair, by=pair.mentor.user, entry=LogEntry(happened=False)
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.MISSED
    # if either says it happened, it did
    services.meeting_log_save(
        meeting=meeting,
        owner=pair,
        by=pair.mentee.user,
        entry=LogEntry(happened=True, duration_minutes=40, topics="career"),
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.logs.count() == 2


def test_cannot_log_a_future_or_unconfirmed_meeting(pair):
    proposal = _propose(pair)
    with pytest.raises(ValidationError):
        services.meeting_log_save(
            meeting=proposal,
            owner=pair,
            by=pair.mentor.user,
            entry=LogEntry(happened=True),
        )
    Meeting.objects.filter(pk=proposal.pk).update(status=Meeting.Status.CONFIRMED)
    proposal.refresh_from_db()
    with pytest.raises(ValidationError):
        services.meeting_log_save(
            meeting=proposal,
            owner=pair,
            by=pair.mentor.user,
            entry=LogEntry(happened=True),
        )


def test_logging_again_replaces_the_log_and_the_private_note(pair):
    meeting = _started(pair)
    for text in ("first", "second"):
        services.meeting_log_save(
            meeting=meeting,
            owner=pair,
            by=pair.mentor.user,
            entry=LogEntry(happened=True, private_note=text),
        )
    assert meeting.logs.count() == 1
    assert list(meeting.private_notes.values_list("body", flat=True)) == ["second"]
    services.meeting_log_save(
        meeting=meeting, owner=pair, by=pair.mentor.user, entry=LogEntry(happened=True)
    )
    assert not meeting.private_notes.exists()


def test_pulse_once_per_meeting_per_person(pair):
    meeting = _started(pair, status=Meeting.Status.HELD)
    services.pulse_submit(
        meeting=meeting,
        pair=pair,
        by=pair.mentee.user,
        usefulness=4,
        for_coordinator="",
    )
    with pytest.raises(ValidationError):
        services.pulse_submit(
            meeting=meeting,
            pair=pair,
            by=pair.mentee.user,
            usefulness=5,
            for_coordinator="",
        )
    services.pulse_submit(
        meeting=meeting,
        pair=pair,
        by=pair.mentor.user,
        usefulness=3,
        for_coordinator="",
    )
    assert meeting.pulses.count() == 2


def test_pulse_uniqueness_is_in_the_database(pair):
    from django.db import IntegrityError, transaction

    from checkins.models import Pulse

    meeting = _started(pair, status=Meeting.Status.HELD)
    Pulse.objects.create(meeting=meeting, author=pair.mentee.user, usefulness=4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Pulse.objects.create(meeting=meeting, author=pair.mentee.user, usefulness=2)


def test_pulse_needs_a_held_meeting_and_a_valid_score(pair):
    meeting = _started(pair)
    with pytest.raises(ValidationError):
        services.pulse_submit(
            meeting=meeting,
            pair=pair,
            by=pair.mentee.user,
            usefulness=4,
            for_coordinator="",
        )
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    meeting.refresh_from_db()
    with pytest.raises(ValidationError):
        services.pulse_submit(
            meeting=meeting,
            pair=pair,
            by=pair.mentee.user,
            usefulness=6,
            for_coordinator="",
        )
