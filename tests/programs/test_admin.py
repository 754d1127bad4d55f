import csv
import io

import pytest

from programs.models import Enrollment, Participant
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
    QuestionFactory,
    participant_for,
)

CHANGELISTS = [
    "program",
    "participant",
    "enrollment",
    "programobjective",
    "applicationquestion",
    "trainingmodule",
    "trainingcompletion",
    "resource",
    "importbatch",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_every_model_has_a_changelist(alpha, model):
    enrollment = EnrollmentFactory()
    QuestionFactory(program=enrollment.program)
    ModuleFactory(program=enrollment.program)
    client = alpha.client("hradmin")
    assert client.get(f"/admin/programs/{model}/").status_code == 200
    assert client.get(f"/admin/programs/{model}/?q=x").status_code == 200


def test_approve_action_calls_the_service(alpha, hr_admin):
    # given
    program = EnrollingProgramFactory(mentee_capacity=1)
    enrollments = EnrollmentFactory.create_batch(2, program=program, role="mentee")
    client = alpha.client("hradmin")
    # when: over capacity, the first fits and the other is reported by name
    response = client.post(
        "/admin/programs/enrollment/",
        {"action": "approve_selected", "_selected_action": [e.pk for e in enrollments]},
        follow=True,
    )
    assert b"takes 1 mentees" in response.content
    assert str(enrollments[1].participant.user).encode() in response.content
    enrollments[0].refresh_from_db()
    assert enrollments[0].status == "approved"
    assert enrollments[0].decided_by == hr_admin
    assert Enrollment.objects.filter(status="approved").count() == 1


def test_export_neutralises_formulas(alpha, mentee):
    # given
    mentee.full_name = '=HYPERLINK("http://evil")'
    mentee.save()
    participant = participant_for(
        mentee, title="+1 Engineer", department="@SUM(A1)", city="-2", bio="\tx"
    )
    EnrollmentFactory(participant=participant)
    client = alpha.client("hradmin")
    # when
    response = client.post(
        "/admin/programs/participant/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                f"participantresource_{name}": "on"
                for name in ["email", "full_name", "title", "department", "city", "bio"]
            },
        },
    )
    # then
    assert response.status_code == 200, response.content[:500]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'+1 Engineer" in cells
    assert "'@SUM(A1)" in cells
    assert "'-2" in cells
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)


def test_members_cannot_reach_the_admin(alpha):
    response = alpha.client("coordinator").get("/admin/programs/enrollment/")
    assert response.status_code == 302


def test_admin_import_updates_profiles_in_one_transaction(alpha, mentee, mentor):
    # given: two existing people, one row with a formula
    participant_for(mentee)
    participant_for(mentor)
    client = alpha.client("hradmin")
    assert client.get("/admin/programs/participant/import/").status_code == 200
    content = (
        "email,title,department\r\n"
        f"{mentee.email},Analyst,Data\r\n"
        f"{mentor.email},=cmd(),Data\r\n"
    ).encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    # when
    response = client.post(
        "/admin/programs/participant/import/",
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("p.csv", content),
        },
    )
    # then: the preview shows the error and nothing changed
    assert response.status_code == 200
    assert b"formulas are refused" in response.content
    assert Participant.objects.get(user=mentee).title == ""


def test_close_action_goes_through_the_confirmation_page(alpha):
    # given: closing completes matches and sends surveys, so it must be confirmed
    programs = EnrollingProgramFactory.create_batch(2)
    client = alpha.client("hradmin")
    # when: one program
    response = client.post(
        "/admin/programs/program/",
        {"action": "close_program", "_selected_action": [programs[0].pk]},
    )
    # then: sent to the close page, nothing changed yet
    assert response.status_code == 302
    assert response["Location"] == f"/manage/programs/{programs[0].pk}/close/"
    # when: two at once
    response = client.post(
        "/admin/programs/program/",
        {"action": "close_program", "_selected_action": [p.pk for p in programs]},
        follow=True,
    )
    assert b"Select one program to close" in response.content
    for program in programs:
        program.refresh_from_db()
        assert program.status == "enrolling"
