"""Every .ics the product produces reads the same in two independent parsers
(PyPI ``vobject`` and ``icalendar``): instant, organizer and sequence; the e-mail's
calendar part and the download carry the method (iMIP, RFC 6047). Issue 12: the
organizer changed to whoever rescheduled or cancelled, and the MIME part had no
``method=``, so clients kept the old time and showed a file, not an invitation."""

from __future__ import annotations

import datetime
from email import message_from_bytes

import pytest
import vobject
from django.utils import timezone
from icalendar import Calendar

from checkins import services
from checkins.services.meetings import MeetingDetails
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notification_deliver

pytestmark = pytest.mark.django_db

DETAILS = MeetingDetails(
    duration_minutes=45, agenda="Career plan", online_link="https://meet.example.com/x"
)


def _at(days: int, hour: int = 7) -> datetime.datetime:
    day = timezone.now().date() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _read_both(ics: str) -> dict:
    """What both readers agree on, or an assertion error saying where they differ."""
    (ical_event,) = Calendar.from_ical(ics).walk("VEVENT")
    calendar = vobject.readOne(ics)
    vevent = calendar.vevent
    read = {
        "method": str(Calendar.from_ical(ics)["METHOD"]),
        "start": ical_event.decoded("DTSTART"),
        "organizer": str(ical_event["ORGANIZER"]).lower(),
        "sequence": int(ical_event["SEQUENCE"]),
        "uid": str(ical_event["UID"]),
        "rsvp": sorted(
            (str(a).lower(), str(a.params.get("RSVP", "")))
            for a in ical_event.get("ATTENDEE", [])
        ),
    }
    assert calendar.method.value == read["method"]
    assert vevent.dtstart.value == read["start"]
    assert vevent.organizer.value.lower() == read["organizer"]
    assert int(vevent.sequence.value) == read["sequence"]
    assert vevent.uid.value == read["uid"]
    assert (
        sorted(
            (a.value.lower(), a.params.get("RSVP", [""])[0])
            for a in vevent.contents["attendee"]
        )
        == read["rsvp"]
    )
    return read


def _mail_part(notification: Notification, mailoutbox) -> tuple[str, str]:
    """(the calendar part's Content-Type, its text) as the e-mail carries them."""
    sent_before = len(mailoutbox)
    assert notification_deliver(notification_id=notification.pk) == "sent"
    message = message_from_bytes(mailoutbox[sent_before].message().as_bytes())
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    return part["Content-Type"], part.get_payload(decode=True).decode()


def _invitations(meeting) -> list[Notification]:
    return list(
        Notification.objects.filter(
            dedupe_key__regex=rf"^meeting-(invite|cancel):{meeting.pk}:"
        ).select_related("recipient")
    )


def test_every_invitation_reads_the_same_in_both_parsers_with_a_stable_organizer(
    alpha, pair, mailoutbox
):
    mentor, mentee = pair.mentor.user, pair.mentee.user
    proposed = services.meeting_propose(
        pair=pair, by=mentor, starts_at=_at(5), details=DETAILS
    )
    meeting = services.meeting_accept(meeting=proposed, pair=pair, by=mentee)
    # The partner (not the proposer) moves it, then calls it off.
    services.meeting_reschedule(
        meeting=meeting, pair=pair, by=mentee, starts_at=_at(6), details=DETAILS
    )
    services.meeting_cancel(meeting=meeting, pair=pair, by=mentee)

    seen = set()
    for invitation in _invitations(meeting):
        content_type, emailed = _mail_part(invitation, mailoutbox)
        read = _read_both(emailed)
        assert emailed.replace("\r\n", "\n") == invitation.attachment.replace(
            "\r\n", "\n"
        )
        # The proposer organises it for its whole life.
        assert read["organizer"] == f"mailto:{mentor.email}".lower()
        expected = {
            0: ("REQUEST", _at(5)),
            1: ("REQUEST", _at(6)),
            2: ("CANCEL", _at(6)),
        }
        method, start = expected[read["sequence"]]
        assert read["method"] == method
        assert read["start"] == start
        assert f"method={method}" in content_type.replace('"', "")
        assert "charset=utf-8" in content_type.replace('"', "").lower()
        # The partner is asked to reply; the organizer is listed as accepted.
        assert (f"mailto:{mentee.email}".lower(), "TRUE") in read["rsvp"]
        assert (f"mailto:{mentor.email}".lower(), "") in read["rsvp"]
        seen.add((invitation.recipient_id, read["sequence"]))
    # Request, update and cancel, to the proposer and to the partner.
    assert seen == {(user.pk, seq) for user in (mentor, mentee) for seq in (0, 1, 2)}


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_the_download_reads_the_same_and_says_its_method(alpha, pair, persona):
    proposed = services.meeting_propose(
        pair=pair, by=pair.mentor.user, starts_at=_at(5), details=DETAILS
    )
    meeting = services.meeting_accept(meeting=proposed, pair=pair, by=pair.mentee.user)
    services.meeting_reschedule(
        meeting=meeting,
        pair=pair,
        by=pair.mentee.user,
        starts_at=_at(6),
        details=DETAILS,
    )
    client = alpha.client(persona)

    response = client.get(f"/meetings/{meeting.pk}/invite.ics")
    read = _read_both(response.content.decode())
    assert response["Content-Type"] == "text/calendar; method=REQUEST; charset=utf-8"
    assert (read["method"], read["sequence"], read["start"]) == ("REQUEST", 1, _at(6))
    assert read["organizer"] == f"mailto:{pair.mentor.user.email}".lower()

    services.meeting_cancel(meeting=meeting, pair=pair, by=pair.mentee.user)
    response = client.get(f"/meetings/{meeting.pk}/invite.ics")
    read = _read_both(response.content.decode())
    assert response["Content-Type"] == "text/calendar; method=CANCEL; charset=utf-8"
    assert (read["method"], read["sequence"]) == ("CANCEL", 2)
    assert read["organizer"] == f"mailto:{pair.mentor.user.email}".lower()


def test_held_and_cancelled_meetings_stay_linked_from_the_timeline(alpha, pair):
    held = services.meeting_accept(
        meeting=services.meeting_propose(
            pair=pair, by=pair.mentor.user, starts_at=_at(5), details=DETAILS
        ),
        pair=pair,
        by=pair.mentee.user,
    )
    type(held).objects.filter(pk=held.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), status="held"
    )

    page = alpha.client("mentee").get(f"/pairs/{pair.match.pk}/").content.decode()

    assert f'href="/meetings/{held.pk}/"' in page
    assert f'href="/meetings/{held.pk}/invite.ics"' in page


def test_the_1h_reminder_moves_out_of_quiet_hours_and_says_when(alpha, pair):
    # Priya (Kolkata) keeps 21:00-07:00 quiet; the meeting is at 07:30 her time.
    mentee = pair.mentee.user
    type(mentee).objects.filter(pk=mentee.pk).update(
        quiet_start=datetime.time(21), quiet_end=datetime.time(7)
    )
    mentee.refresh_from_db()
    day = timezone.now().date() + datetime.timedelta(days=5)
    starts = datetime.datetime.combine(day, datetime.time(2, 0), tzinfo=datetime.UTC)
    meeting = services.meeting_accept(
        meeting=services.meeting_propose(
            pair=pair, by=pair.mentor.user, starts_at=starts, details=DETAILS
        ),
        pair=pair,
        by=mentee,
    )

    reminder = Notification.objects.get(
        dedupe_key=f"meeting-reminder:{meeting.pk}:0:1h:{mentee.pk}"
    )

    assert reminder.due_at == starts - datetime.timedelta(minutes=30)  # 07:00 IST
    assert reminder.body.startswith("You meet in 30 min:")
    partner = Notification.objects.get(
        dedupe_key=f"meeting-reminder:{meeting.pk}:0:1h:{pair.mentor.user.pk}"
    )
    assert partner.due_at == starts - datetime.timedelta(hours=1)
