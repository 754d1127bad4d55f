"""HR fields (issue 11): optional columns of the program import, and the admin's
staff-list import (ParticipantResource) that creates people without an account."""

from __future__ import annotations

import datetime

import pytest
import tablib

from mentorship.accounts.models import User
from programs.admin_resources import ParticipantResource
from programs.importing import COLUMNS
from programs.models import Participant
from programs.services import participant_import_commit, participant_import_preview
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows

HR_COLUMNS = ("employment_status", "hired_on", "left_on", "grade", "last_promoted_on")


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(coordinators=[coordinator])


def _preview(program, by, rows):
    return participant_import_preview(
        program=program, by=by, filename="people.csv", content=csv_bytes(rows)
    )


def test_hr_columns_are_optional_columns_of_the_format():
    assert set(HR_COLUMNS) <= set(COLUMNS)


def test_new_people_get_their_hr_fields(program, coordinator):
    # given: one active person with a hire date, one leaver (status implied by the date)
    rows = people_rows(2)
    rows[0] |= {
        "hired_on": "2021-03-01",
        "grade": "G7",
        "last_promoted_on": "2024-01-15",
    }
    rows[1] |= {"hired_on": "2020-05-04", "left_on": "2025-06-30"}
    batch = _preview(program, coordinator, rows)
    assert batch.error_count == 0, batch.errors
    # when
    participant_import_commit(batch=batch, by=coordinator)
    # then
    first = Participant.objects.get(user__email=rows[0]["email"])
    assert first.employment_status == "active"
    assert first.hired_on == datetime.date(2021, 3, 1)
    assert first.grade == "G7"
    assert first.last_promoted_on == datetime.date(2024, 1, 15)
    assert first.left_on is None
    second = Participant.objects.get(user__email=rows[1]["email"])
    assert second.employment_status == "left"
    assert second.left_on == datetime.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"hired_on": "31/03/2021"}, "hired_on"),
        ({"last_promoted_on": "yesterday"}, "last_promoted_on"),
        ({"employment_status": "retired"}, "employment_status"),
        ({"employment_status": "active", "left_on": "2025-01-01"}, "left_on"),
        ({"hired_on": "2025-01-02", "left_on": "2025-01-01"}, "left_on"),
    ],
)
def test_bad_hr_cells_are_reported_with_line_and_column(
    program, coordinator, cells, column
):
    rows = people_rows(2)
    rows[1] |= cells
    batch = _preview(program, coordinator, rows)
    assert {(e["line"], e["column"]) for e in batch.errors} == {(3, column)}
    assert batch.rows == []


def test_staff_list_import_creates_people_and_sets_hr_dates(alpha, hr_admin):
    # given: one person with an account, one without
    existing = User.objects.create_user("known@staff.example", None, full_name="Known")
    dataset = tablib.Dataset(
        headers=["email", "full_name", "hired_on", "left_on", "employment_status"]
    )
    dataset.append(["known@staff.example", "Known", "2019-02-01", "", "active"])
    dataset.append(
        ["new.hire@staff.example", "New Hire", "2018-01-01", "2025-03-31", "left"]
    )
    # when
    result = ParticipantResource().import_data(
        dataset, dry_run=False, raise_errors=True
    )
    # then
    assert not result.has_errors()
    known = Participant.objects.get(user=existing)
    assert known.hired_on == datetime.date(2019, 2, 1)
    created = Participant.objects.select_related("user").get(
        user__email="new.hire@staff.example"
    )
    assert created.user.full_name == "New Hire"
    assert not created.user.has_usable_password()
    assert created.left_on == datetime.date(2025, 3, 31)
    assert created.employment_status == "left"
