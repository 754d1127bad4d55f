"""Program stages read naturally on the program page: the next step is the one
primary button; starting asks first (it can't be undone); cancelling a draft
nobody enrolled in offers "Undo" instead of asking."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs.models import Program
from programs.services import program_transition
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ProgramFactory,
    today,
)

pytestmark = pytest.mark.django_db


def primary(page: str) -> str:
    """The label of the page's one primary next-step button or link."""
    found = re.findall(r'class="(?:button )?next-step"[^>]*>([^<]+)<', page)
    assert len(found) == 1, found
    return found[0].strip()


def detail(alpha, program) -> str:
    return (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/")
        .content.decode()
    )


def test_enrolling_program_next_step_is_closing_enrolment(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    assert primary(detail(alpha, program)) == "Close enrolment and start matching"


def test_after_closing_enrolment_matching_is_the_primary_action(alpha, coordinator):
    # given: "Close enrolment" was pressed
    program = EnrollingProgramFactory(coordinators=[coordinator])
    alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/transition/", {"to": "matching"}
    )
    program.refresh_from_db()
    assert program.status == Program.Status.MATCHING
    # then: running matching is the primary action; reopening and starting are not
    page = detail(alpha, program)
    assert primary(page) == "Run matching"
    assert (
        f'class="button next-step" href="/manage/programs/{program.pk}/matching/"'
        in page
    )
    assert ">Reopen enrolment<" in page
    assert 'class="secondary">Start the program<' in page


def test_starting_the_program_asks_first(alpha, coordinator):
    program = EnrollingProgramFactory(
        coordinators=[coordinator],
        status=Program.Status.MATCHING,
        starts_on=datetime.date(2027, 1, 4),
        ends_on=datetime.date(2027, 6, 30),
    )
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/transition/"
    page = detail(alpha, program)
    assert 'hx-confirm="Start ' in page
    # without JavaScript: the confirmation page, nothing changed
    response = client.post(url, {"to": "active"})
    assert response.status_code == 200
    assert b"Enrolment can&#x27;t reopen" in response.content
    assert b"Pairs meet from 4 Jan 2027" in response.content
    program.refresh_from_db()
    assert program.status == Program.Status.MATCHING
    # confirmed
    client.post(url, {"to": "active", "confirmed": "yes"})
    program.refresh_from_db()
    assert program.status == Program.Status.ACTIVE
    assert primary(detail(alpha, program)) == "Relationship health"


def test_cancelling_a_draft_offers_undo_instead_of_asking(alpha, coordinator):
    program = ProgramFactory(coordinators=[coordinator], name="Pilot 2027")
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/transition/"
    # when: cancel — done at once, no confirmation page
    response = client.post(url, {"to": "closed"}, follow=True)
    program.refresh_from_db()
    assert program.status == Program.Status.CLOSED
    page = response.content.decode()
    assert "Pilot 2027 is cancelled" in page
    assert "Undo: back to draft" in page
    # when: undo
    client.post(url, {"to": "draft"})
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT


def test_undo_is_gone_after_a_day(alpha, coordinator):
    program = ProgramFactory(coordinators=[coordinator], status="closed")
    Program.objects.filter(pk=program.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=1, minutes=1)
    )
    program.refresh_from_db()
    assert "Undo: back to draft" not in detail(alpha, program)
    with pytest.raises(ValidationError):
        program_transition(program=program, to="draft", by=coordinator)


def test_a_closed_program_people_enrolled_in_stays_closed(coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    EnrollmentFactory(program=program, status="withdrawn")
    Program.objects.filter(pk=program.pk).update(status="closed")
    program.refresh_from_db()
    with pytest.raises(ValidationError):
        program_transition(program=program, to="draft", by=coordinator)


def test_closing_an_enrolling_program_still_goes_to_its_confirmation(
    alpha, coordinator
):
    program = EnrollingProgramFactory(
        coordinators=[coordinator], enrollment_opens_on=today()
    )
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/transition/", {"to": "closed"}
    )
    assert response["Location"] == f"/manage/programs/{program.pk}/close/"
    program.refresh_from_db()
    assert program.status == Program.Status.ENROLLING
