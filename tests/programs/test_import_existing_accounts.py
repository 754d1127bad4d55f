"""Issue 9 item 4: an import matches existing people by email and never rewrites them;
nobody is enrolled until they accept the program's agreement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.models import Enrollment, Participant
from programs.services import (
    enrollment_accept_invitation,
    participant_ensure,
    participant_import_commit,
    participant_import_preview,
    participant_update,
)
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(name="Growth", coordinators=[coordinator])


def _import(program, by, rows):
    batch = participant_import_preview(
        program=program, by=by, filename="people.csv", content=csv_bytes(rows)
    )
    assert batch.error_count == 0, batch.errors
    return participant_import_commit(batch=batch, by=by)


def _snapshot(user: User) -> tuple:
    user.refresh_from_db()
    participant = Participant.objects.filter(user=user).values().first() or {}
    participant.pop("updated_at", None)
    return (
        user.full_name,
        user.time_zone,
        user.role,
        user.is_staff,
        user.is_superuser,
        user.password,
        tuple(sorted(participant.items())),
    )


def test_a_row_with_the_hr_admins_email_changes_nothing_on_that_account(
    program, coordinator, hr_admin
):
    # given: the HR admin has a profile, and a file names them with other details
    participant_update(
        participant=participant_ensure(user=hr_admin),
        by=hr_admin,
        fields={"title": "Head of People", "country": "PL", "seniority": 5},
    )
    before = _snapshot(hr_admin)
    row = people_rows(1, role="mentee")[0]
    row.update(
        email=hr_admin.email.upper(),
        full_name="Someone Else Entirely",
        time_zone="Pacific/Kiritimati",
        title="Intern",
        country="VN",
        seniority="1",
    )
    # when
    batch = _import(program, coordinator, [row])
    # then: the account and profile are as they were, and no role was granted
    assert _snapshot(hr_admin) == before
    assert batch.created_count == 0
    assert batch.updated_count == 1
    enrollment = Enrollment.objects.get(program=program, participant__user=hr_admin)
    assert enrollment.status == Enrollment.Status.INVITED
    assert enrollment.agreed_at is None
    assert not Enrollment.objects.filter(
        program=program, status=Enrollment.Status.APPROVED
    ).exists()


def test_accepting_the_agreement_enrolls_the_invited_person(
    program, coordinator, mentee
):
    # given
    row = people_rows(1, role="mentee")[0] | {"email": mentee.email}
    _import(program, coordinator, [row])
    enrollment = Enrollment.objects.get(program=program, participant__user=mentee)
    # then: not without the agreement, not by someone else
    with pytest.raises(ValidationError):
        enrollment_accept_invitation(enrollment=enrollment, by=mentee, agreed=False)
    with pytest.raises(PermissionDenied):
        enrollment_accept_invitation(enrollment=enrollment, by=coordinator, agreed=True)
    # when
    enrollment = enrollment_accept_invitation(
        enrollment=enrollment, by=mentee, agreed=True
    )
    # then
    assert enrollment.status == Enrollment.Status.APPROVED
    assert enrollment.agreed_at is not None
    with pytest.raises(ValidationError, match="already answered"):
        enrollment_accept_invitation(enrollment=enrollment, by=mentee, agreed=True)


def test_acceptance_past_the_mentee_places_is_waitlisted(alpha, program, coordinator):
    program.mentee_capacity = 1
    program.save()
    mentee, mentor = alpha.user("mentee"), alpha.user("mentor")
    rows = [
        people_rows(1, role="mentee")[0] | {"email": mentee.email},
    ]
    _import(program, coordinator, rows)
    # a second mentee the coordinator approved by hand fills the only place
    other = Enrollment.objects.create(
        participant=participant_ensure(user=mentor),
        program=program,
        role="mentee",
        status=Enrollment.Status.APPROVED,
    )
    assert other.pk
    enrollment = Enrollment.objects.get(program=program, participant__user=mentee)
    enrollment = enrollment_accept_invitation(
        enrollment=enrollment, by=mentee, agreed=True
    )
    assert enrollment.status == Enrollment.Status.WAITLISTED


def test_reimport_leaves_applicants_alone_and_reinvites_withdrawn(
    alpha, program, coordinator
):
    mentee, mentor = alpha.user("mentee"), alpha.user("mentor")
    applied = Enrollment.objects.create(
        participant=participant_ensure(user=mentee),
        program=program,
        role="mentee",
        status=Enrollment.Status.APPLIED,
        agreed_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    withdrawn = Enrollment.objects.create(
        participant=participant_ensure(user=mentor),
        program=program,
        role="mentor",
        status=Enrollment.Status.WITHDRAWN,
    )
    _import(
        program,
        coordinator,
        [
            people_rows(1, role="mentee")[0] | {"email": mentee.email},
            people_rows(1, start=1, role="mentor")[0] | {"email": mentor.email},
        ],
    )
    applied.refresh_from_db()
    withdrawn.refresh_from_db()
    assert applied.status == Enrollment.Status.APPLIED
    assert withdrawn.status == Enrollment.Status.INVITED
    assert list(
        Notification.objects.filter(kind="program-invitation").values_list(
            "recipient__email", flat=True
        )
    ) == [mentor.email]


def test_invitation_page_accepts_for_its_person_only(alpha, program, coordinator):
    # given
    mentee = alpha.user("mentee")
    _import(
        program,
        coordinator,
        [people_rows(1, role="mentee")[0] | {"email": mentee.email}],
    )
    enrollment = Enrollment.objects.get(program=program, participant__user=mentee)
    url = f"/invitations/{enrollment.pk}/"
    # someone else sees no such page
    assert alpha.client("mentor").get(url).status_code == 404
    client = alpha.client("mentee")
    page = client.get(url)
    assert page.status_code == 200
    assert "What is said in a session stays in it." in page.content.decode()
    # without ticking the agreement: 422 and still invited
    response = client.post(url, {})
    assert response.status_code == 422
    assert "Accept the confidentiality agreement" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.INVITED
    # when
    response = client.post(url, {"agreed": "on"})
    # then
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.APPROVED
    # an answered invitation is gone
    assert client.get(url).status_code == 404


def test_an_invitation_can_be_declined_from_the_portal(alpha, program, coordinator):
    mentee = alpha.user("mentee")
    _import(
        program,
        coordinator,
        [people_rows(1, role="mentee")[0] | {"email": mentee.email}],
    )
    enrollment = Enrollment.objects.get(program=program, participant__user=mentee)
    client = alpha.client("mentee")
    portal = client.get("/").content.decode()
    assert f"/invitations/{enrollment.pk}/" in portal
    client.post(f"/enrollments/{enrollment.pk}/withdraw/")
    enrollment.refresh_from_db()
    assert enrollment.status == Enrollment.Status.WITHDRAWN
