"""iCalendar (RFC 5545 / iTIP RFC 5546) invitations for meetings.

One UID and one ORGANIZER per meeting for its whole life (the person who proposed
it, whoever changes it later: clients refuse an update whose organizer changed), so
calendar apps update the same event: METHOD:REQUEST with a higher SEQUENCE moves
it, METHOD:CANCEL removes it. The organizer is also listed as an attendee who has
accepted (ROLE=CHAIR); everyone else is asked to reply (RSVP=TRUE). Times are
written in UTC ("...Z"), which every client converts to its own zone. Downloaded
or e-mailed, the file travels as ``text/calendar; method=...; charset=utf-8``
(iMIP, RFC 6047 §2.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Mentorship platform//Check-ins//EN"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


def meeting_uid(*, meeting_id: int, schema_name: str) -> str:
    # Ids restart in every organization's schema: the schema keeps the UID unique.
    return f"meeting-{meeting_id}.{schema_name}@mentorship"


def meeting_ics(
    *,
    uid: str,
    method: str,
    sequence: int,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    location: str,
    url: str,
    organizer: Person | None,
    attendees: Sequence[Person],
    stamp: datetime,
) -> str:
    """The invitation (``method`` "REQUEST") or cancellation ("CANCEL") as text."""
    if method not in {"REQUEST", "CANCEL"}:
        raise ValueError(f"Unsupported iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", start.astimezone(UTC))
    event.add("dtend", end.astimezone(UTC))
    event.add("summary", summary)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    if description:
        event.add("description", description)
    if location or url:
        event.add("location", location or url)
    if url:
        event.add("url", url)
    if organizer is not None:
        event.add("organizer", _address(organizer, role=None))
    for attendee in attendees:
        is_organizer = organizer is not None and attendee.email == organizer.email
        event.add(
            "attendee",
            _address(attendee, role="CHAIR" if is_organizer else "REQ-PARTICIPANT"),
        )
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical.decode()


def _address(person: Person, *, role: str | None) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["cn"] = vText(person.name)
    if role == "CHAIR":
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    elif role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
    return address
