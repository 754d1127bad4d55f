"""Invitations (.ics through the outbox and the download link) and reminders."""

import datetime

import time_machine
from django.db import connection
from django.utils import timezone
from icalendar import Calendar

from checkins import services
from checkins.services.meetings import MeetingDetails
from mentorship.notifications.models import Notification

DETAILS = MeetingDetails(
    duration_minutes=45, agenda="Career plan", online_link="https://meet.example.com/x"
)


def _at(days: int, hour: int = 7) -> datetime.datetime:
    day = timezone.now().date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _confirmed(pair, starts_at):
    meeting = services.meeting_propose(
        pair=pair, by=pair.mentor.user, starts_at=starts_at, details=DETAILS
    )
    return services.meeting_accept(meeting=meeting, pair=pair, by=pair.mentee.user)


def _event(ics: str):
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def _invites(meeting):
    return Notification.objects.filter(
        dedupe_key__startswith=f"meeting-invite:{meeting.pk}:"
    ).order_by("dedupe_key")


def test_confirm_emails_an_ics_request_to_both(pair):
    meeting = _confirmed(pair, _at(5))
    invites = list(_invites(meeting))
    assert {n.recipient for n in invites} == {pair.mentor.user, pair.mentee.user}
    for invite in invites:
        assert invite.channel == Notification.Channel.EMAIL
        assert invite.attachment_name == "invite.ics"
        calendar, event = _event(invite.attachment)
        assert str(calendar["METHOD"]) == "REQUEST"
        assert (
            str(event["UID"])
            == f"meeting-{meeting.pk}.{connection.schema_name}@mentorship"
        )
        assert int(event["SEQUENCE"]) == 0
        assert event.decoded("DTSTART") == meeting.starts_at
        assert event.decoded("DTEND") == meeting.starts_at + datetime.timedelta(
            minutes=45
        )
    # times are written in UTC
    assert (
        "DTSTART:" + meeting.starts_at.strftime("%Y%m%dT%H%M%SZ")
        in invites[0].attachment
    )
    assert "meet.example.com" in invites[0].attachment


def test_reschedule_sends_the_same_uid_with_a_higher_sequence(pair):
    meeting = _confirmed(pair, _at(5))
    uid = str(_event(_invites(meeting).first().attachment)[1]["UID"])
    services.meeting_reschedule(
        meeting=meeting,
        pair=pair,
        by=pair.mentee.user,
        starts_at=_at(6),
        details=DETAILS,
    )
    new = Notification.objects.get(
        dedupe_key=f"meeting-invite:{meeting.pk}:1:{pair.mentor.user.pk}"
    )
    calendar, event = _event(new.attachment)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == _at(6)


def test_cancel_sends_method_cancel(pair):
    meeting = _confirmed(pair, _at(5))
    services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentor.user)
    cancel = Notification.objects.get(
        dedupe_key=f"meeting-cancel:{meeting.pk}:1:{pair.mentee.user.pk}"
    )
    calendar, event = _event(cancel.attachment)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert int(event["SEQUENCE"]) == 1
    assert str(event["STATUS"]) == "CANCELLED"


def _reminders(meeting):
    return Notification.objects.filter(
        dedupe_key__startswith=f"meeting-reminder:{meeting.pk}:"
    )


def test_reminders_24h_and_1h_before_for_both(pair):
    meeting = _confirmed(pair, _at(5))
    reminders = _reminders(meeting)
    assert reminders.count() == 4
    for person in (pair.mentor.user, pair.mentee.user):
        key = f"meeting-reminder:{meeting.pk}:0:24h:{person.pk}"
        reminder = reminders.get(dedupe_key=key)
        assert reminder.due_at == meeting.starts_at - datetime.timedelta(hours=24)
        assert reminder.channel == Notification.Channel.EMAIL
        assert reminder.status == Notification.Status.SCHEDULED
        assert reminders.get(
            dedupe_key=f"meeting-reminder:{meeting.pk}:0:1h:{person.pk}"
        ).due_at == meeting.starts_at - datetime.timedelta(hours=1)


def test_reminder_already_past_is_skipped(pair):
    # A fixed clock: the 1 h reminder (07:00Z) is daytime for both (Kolkata 12:30,
    # Ho Chi Minh 14:00); in their quiet hours it would move (README rule).
    with time_machine.travel(datetime.datetime(2026, 12, 1, 3, tzinfo=datetime.UTC)):
        meeting = _confirmed(pair, timezone.now() + datetime.timedelta(hours=5))
    assert {n.dedupe_key.split(":")[3] for n in _reminders(meeting)} == {"1h"}


def test_log_nudge_goes_to_the_digest_after_the_meeting(pair):
    meeting = _confirmed(pair, _at(5))
    nudges = Notification.objects.filter(
        dedupe_key__startswith=f"meeting-log-nudge:{meeting.pk}:0:"
    )
    assert nudges.count() == 2
    for nudge in nudges:
        assert nudge.channel == Notification.Channel.DIGEST
        assert nudge.due_at > meeting.ends_at


def test_reschedule_cancels_old_reminders_and_creates_new_ones(pair):
    meeting = _confirmed(pair, _at(5))
    services.meeting_reschedule(
        meeting=meeting,
        pair=pair,
        by=pair.mentor.user,
        starts_at=_at(8),
        details=DETAILS,
    )
    old = _reminders(meeting).filter(dedupe_key__contains=":0:")
    new = _reminders(meeting).filter(dedupe_key__contains=":1:")
    assert set(old.values_list("status", flat=True)) == {Notification.Status.CANCELLED}
    assert new.count() == 4
    assert set(new.values_list("status", flat=True)) == {Notification.Status.SCHEDULED}
    assert new.get(dedupe_key__endswith=f":24h:{pair.mentee.user.pk}").due_at == _at(
        8
    ) - datetime.timedelta(hours=24)
    old_nudges = Notification.objects.filter(
        dedupe_key__startswith=f"meeting-log-nudge:{meeting.pk}:0:"
    )
    assert set(old_nudges.values_list("status", flat=True)) == {
        Notification.Status.CANCELLED
    }


def test_cancel_cancels_reminders_and_nudges(pair):
    meeting = _confirmed(pair, _at(5))
    services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentee.user)
    pending = Notification.objects.filter(
        dedupe_key__regex=rf"^meeting-(reminder|log-nudge):{meeting.pk}:"
    )
    assert pending.count() == 6
    assert set(pending.values_list("status", flat=True)) == {
        Notification.Status.CANCELLED
    }


def test_ics_download_for_the_pair_only(alpha, pair, stranger):
    meeting = _confirmed(pair, _at(5))
    response = alpha.client("mentee").get(f"/meetings/{meeting.pk}/invite.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    _, event = _event(response.content.decode())
    assert int(event["SEQUENCE"]) == 0
    for persona in ("coordinator", "hradmin"):
        assert (
            alpha.client(persona).get(f"/meetings/{meeting.pk}/invite.ics").status_code
            == 404
        )
    client = alpha.client()
    client.force_login(stranger)
    assert client.get(f"/meetings/{meeting.pk}/invite.ics").status_code == 404


def test_no_ics_for_an_unconfirmed_proposal(alpha, pair):
    meeting = services.meeting_propose(
        pair=pair, by=pair.mentor.user, starts_at=_at(5), details=DETAILS
    )
    assert (
        alpha.client("mentor").get(f"/meetings/{meeting.pk}/invite.ics").status_code
        == 404
    )
