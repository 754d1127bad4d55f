"""The participant import's member organization column (organization mentoring):
a known name puts the person on that team; an unknown one is a problem on its line."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile

from members.models import Membership
from programs.importing import HEADER_ALIASES, header_key
from programs.models import Program
from programs.services import participant_import_commit, participant_import_preview
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import EnrollingProgramFactory, UserFactory
from tests.programs.importfiles import csv_bytes, people_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(
        coordinators=[coordinator], kind=Program.Kind.ORGANIZATION
    )


def _rows(*organizations):
    rows = people_rows(len(organizations), role="mentee")
    for row, name in zip(rows, organizations, strict=True):
        row["Association"] = name
    return rows


def _preview(program, coordinator, rows):
    return participant_import_preview(
        program=program,
        by=coordinator,
        filename="team.csv",
        content=csv_bytes(rows, columns=list(rows[0])),
    )


def test_a_known_name_puts_the_person_on_the_team(program, coordinator):
    # given: the Sfax chamber exists; an existing member of it is in the file too
    sfax = MemberOrganizationFactory(name="Sfax Chamber of Commerce")
    rows = _rows("sfax chamber of commerce", "Sfax Chamber of Commerce", "")
    already = UserFactory(email=rows[1]["email"])
    MembershipFactory(member_organization=sfax, user=already)
    # when
    batch = _preview(program, coordinator, rows)
    assert batch.errors == []
    assert [r["member_organization"] for r in batch.rows] == [
        "sfax chamber of commerce",
        "Sfax Chamber of Commerce",
        None,
    ]
    participant_import_commit(batch=batch, by=coordinator)
    # then: the first joins, the second stays on the team once, the third is alone
    team = Membership.objects.filter(member_organization=sfax, left_at__isnull=True)
    assert sorted(team.values_list("user__email", flat=True)) == sorted(
        [rows[0]["email"], rows[1]["email"]]
    )
    added = LogEntry.objects.filter(additional_data__action="membership.added")
    assert added.count() == 1


def test_an_unknown_name_is_a_problem_on_its_line(program, coordinator):
    MemberOrganizationFactory(name="Dhaka Chamber")
    MemberOrganizationFactory(name="Tunis Women Entrepreneurs")
    rows = _rows("Dhaka Chamber", "Lima Chamber")
    batch = _preview(program, coordinator, rows)
    assert batch.rows == []
    assert [(e["line"], e["column"], e["person"]) for e in batch.errors] == [
        (3, "Association", rows[1]["email"])
    ]
    reason = batch.errors[0]["reason"]
    assert reason.startswith("No member organization named “Lima Chamber” — create it")
    assert "Dhaka Chamber, Tunis Women Entrepreneurs" in reason


def test_headers_for_the_column():
    aliases = {header_key(a) for a in HEADER_ALIASES["member_organization"]}
    for header in ("Member organization", "Association", "Organisation", "Chamber"):
        assert header_key(header) in aliases


def test_the_preview_shows_the_column(alpha, program):
    MemberOrganizationFactory(name="Dhaka Chamber")
    rows = _rows("Dhaka Chamber")
    client = alpha.client("coordinator")
    response = client.post(
        f"/manage/programs/{program.pk}/import/",
        {"file": _upload(csv_bytes(rows, columns=list(rows[0])))},
    )
    page = client.get(response["Location"]).content.decode()
    assert '<th scope="col">Member organization</th>' in page
    assert "<td>Dhaka Chamber</td>" in page


def _upload(content):
    return SimpleUploadedFile("team.csv", content, content_type="text/csv")
