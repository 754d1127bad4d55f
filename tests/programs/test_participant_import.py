"""The import service: preview stores problems or rows; commit is all or nothing."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.importing import COLUMNS, template_csv
from programs.models import Enrollment, ImportBatch, Participant
from programs.services import participant_import_commit, participant_import_preview
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, csv_text, people_rows


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(coordinators=[coordinator])


def _preview(program, by, content, filename="people.csv"):
    return participant_import_preview(
        program=program, by=by, filename=filename, content=content
    )


def _counts():
    return (
        User.objects.count(),
        Participant.objects.count(),
        Enrollment.objects.count(),
    )


def _problems(batch):
    return {(error["line"], error["column"]) for error in batch.errors}


def test_clean_file_imports_every_row(program, coordinator):
    # given
    users_before = User.objects.count()
    batch = _preview(program, coordinator, csv_bytes(people_rows(12)))
    assert batch.error_count == 0
    assert batch.row_count == 12
    # when
    batch = participant_import_commit(batch=batch, by=coordinator)
    # then
    assert batch.status == ImportBatch.Status.COMMITTED
    assert batch.created_count == 12
    assert User.objects.count() == users_before + 12
    person = Participant.objects.select_related("user").get(
        user__email="imported3@people.example"
    )
    assert person.user.time_zone == "Asia/Kolkata"
    assert not person.user.has_usable_password()
    assert person.languages == ["en", "vi"]
    assert person.skills_offered == ["system design", "code review"]
    assert person.working_days == [0, 1, 2, 3, 4]
    assert person.mentoring_capacity == 2
    # nobody is enrolled before accepting the agreement: all 12 are invited
    assert Enrollment.objects.filter(program=program, status="invited").count() == 12
    assert not Enrollment.objects.filter(program=program, status="approved").exists()
    # every new person is invited through the outbox, with a set-password link
    invitations = Notification.objects.filter(kind="program-invitation")
    assert invitations.count() == 12
    assert all(n.link.startswith("/accounts/password/reset/key/") for n in invitations)


def test_reimport_invites_nobody_twice(program, coordinator):
    participant_import_commit(
        batch=_preview(program, coordinator, csv_bytes(people_rows(3))), by=coordinator
    )
    participant_import_commit(
        batch=_preview(program, coordinator, csv_bytes(people_rows(4))), by=coordinator
    )
    assert Notification.objects.filter(kind="program-invitation").count() == 4


def test_reimport_changes_nobody_and_duplicates_nothing(program, coordinator):
    participant_import_commit(
        batch=_preview(program, coordinator, csv_bytes(people_rows(5))), by=coordinator
    )
    before = _counts()
    rows = people_rows(5)
    rows[0]["title"] = "Staff Engineer"
    rows[0]["full_name"] = "Renamed By A File"
    batch = participant_import_commit(
        batch=_preview(program, coordinator, csv_bytes(rows)), by=coordinator
    )
    assert _counts() == before
    assert batch.created_count == 0
    assert batch.updated_count == 5
    person = Participant.objects.select_related("user").get(
        user__email="imported0@people.example"
    )
    assert person.title == "Engineer"
    assert person.user.full_name == "Imported Person 0"


def test_existing_user_is_invited_not_duplicated(program, coordinator, mentee):
    rows = people_rows(1)
    rows[0]["email"] = mentee.email.upper()
    participant_import_commit(
        batch=_preview(program, coordinator, csv_bytes(rows)), by=coordinator
    )
    assert User.objects.filter(email=mentee.email).count() == 1
    enrollment = Enrollment.objects.get(program=program)
    assert enrollment.participant.user == mentee
    assert enrollment.status == Enrollment.Status.INVITED
    # their invitation opens the program's agreement, not a password reset
    invitation = Notification.objects.get(kind="program-invitation")
    assert invitation.recipient == mentee
    assert invitation.link == f"/invitations/{enrollment.pk}/"


@pytest.mark.parametrize(
    ("spoil", "line", "column"),
    [
        (lambda rows: rows[1].update(time_zone="Mars/Olympus_Mons"), 3, "time_zone"),
        (lambda rows: rows[2].update(email="not-an-email"), 4, "email"),
        (lambda rows: rows[3].update(email=rows[0]["email"]), 5, "email"),
        (
            lambda rows: rows[0].update(full_name='=HYPERLINK("http://x")'),
            2,
            "full_name",
        ),
        (lambda rows: rows[0].update(title="+1234"), 2, "title"),
        (lambda rows: rows[0].update(department="@SUM(A1)"), 2, "department"),
        (lambda rows: rows[0].update(city="-2+3"), 2, "city"),
        (lambda rows: rows[0].update(city="\t=cmd"), 2, "city"),
        (lambda rows: rows[1].update(role="boss"), 3, "role"),
        (lambda rows: rows[1].update(country="Atlantis"), 3, "country"),
        (lambda rows: rows[1].update(languages="en;xx"), 3, "languages"),
        (lambda rows: rows[1].update(seniority="9"), 3, "seniority"),
        (lambda rows: rows[1].update(working_hours="9 to 5"), 3, "working_hours"),
        (lambda rows: rows[1].update(working_days="Mon-Funday"), 3, "working_days"),
    ],
)
def test_a_bad_cell_imports_nothing_and_names_its_line(
    program, coordinator, spoil, line, column
):
    # given
    rows = people_rows(5)
    spoil(rows)
    before = _counts()
    # when
    batch = _preview(program, coordinator, csv_bytes(rows))
    # then
    assert (line, column) in _problems(batch)
    assert batch.rows == []
    with pytest.raises(ValidationError):
        participant_import_commit(batch=batch, by=coordinator)
    assert _counts() == before


def test_lists_every_problem_not_just_the_first(program, coordinator):
    rows = people_rows(6)
    rows[0]["email"] = "bad"
    rows[2]["time_zone"] = "Nowhere/Special"
    rows[4]["email"] = rows[1]["email"]
    batch = _preview(program, coordinator, csv_bytes(rows))
    assert {(2, "email"), (4, "time_zone"), (6, "email")} <= _problems(batch)
    assert batch.error_count == 3


def test_missing_required_column(program, coordinator):
    columns = [column for column in COLUMNS if column != "role"]
    batch = _preview(program, coordinator, csv_bytes(people_rows(3), columns=columns))
    assert (1, "role") in _problems(batch)
    assert "missing" in batch.errors[0]["reason"]


def test_unknown_column_is_reported(program, coordinator):
    text = csv_text(people_rows(2)).replace("skills_wanted", "skils_wanted", 1)
    batch = _preview(program, coordinator, text.encode())
    assert (1, "skils_wanted") in _problems(batch)


def test_a_latin1_file_is_read_with_its_accents(program, coordinator):
    # Before issue 13 this was refused as "not UTF-8 text".
    rows = people_rows(3)
    rows[1]["full_name"] = "Zoë Müller"
    batch = _preview(program, coordinator, csv_bytes(rows, encoding="latin-1"))
    assert batch.errors == []
    assert batch.rows[1]["full_name"] == "Zoë Müller"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_reads_bom_and_utf16_files(program, coordinator, encoding):
    rows = people_rows(3)
    rows[1]["full_name"] = "Nguyễn Thị Thu Trang"
    batch = _preview(program, coordinator, csv_bytes(rows, encoding=encoding))
    assert batch.errors == []
    assert batch.rows[1]["full_name"] == "Nguyễn Thị Thu Trang"


def test_ten_megabytes_of_junk_is_refused_before_parsing(program, coordinator):
    batch = _preview(program, coordinator, b"\x8f\x01junk" * (10 * 1024 * 1024 // 6))
    assert batch.error_count == 1
    assert "larger than 5 MB" in batch.errors[0]["reason"]


def test_binary_file_with_csv_name_is_refused(program, coordinator):
    batch = _preview(
        program, coordinator, b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10
    )
    assert batch.error_count == 1


def test_too_many_rows(program, coordinator):
    text = csv_text(people_rows(1)) + "x@y.example,X,mentor\r\n" * 5001
    batch = _preview(program, coordinator, text.encode())
    assert any("more than 5,000 rows" in error["reason"] for error in batch.errors)


def test_unclosed_quote_names_its_line(program, coordinator):
    text = csv_text(people_rows(2)) + '"broken@x.example,Broken,mentor\r\n'
    batch = _preview(program, coordinator, text.encode())
    assert batch.errors[0]["line"] == 4


def test_header_only_file(program, coordinator):
    batch = _preview(program, coordinator, csv_bytes([]))
    assert batch.error_count == 1


def test_reads_xlsx(program, coordinator):
    # given
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in people_rows(4):
        sheet.append([row.get(column, "") for column in COLUMNS])
    sheet.append(["formula@x.example", "=1+1", "mentor"])
    buffer = io.BytesIO()
    book.save(buffer)
    # when
    batch = _preview(program, coordinator, buffer.getvalue(), filename="people.xlsx")
    # then: the formula cell is refused with its row number
    assert _problems(batch) == {(6, "full_name")}


def test_xlsx_clean(program, coordinator):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    for row in people_rows(4):
        sheet.append(
            [int(row[c]) if c == "seniority" else row.get(c, "") for c in COLUMNS]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    batch = _preview(program, coordinator, buffer.getvalue(), filename="people.xlsx")
    assert batch.errors == []
    assert batch.rows[0]["seniority"] == 1


def test_template_file_imports_cleanly(program, coordinator):
    batch = _preview(program, coordinator, template_csv().encode())
    assert batch.errors == []
    assert batch.row_count == 2


def test_capacity_is_enforced(program, coordinator):
    program.mentee_capacity = 2
    program.save()
    batch = _preview(program, coordinator, csv_bytes(people_rows(3, role="mentee")))
    assert batch.error_count == 1
    assert "takes 2 mentees" in batch.errors[0]["reason"]


def test_a_batch_imports_once(program, coordinator):
    batch = _preview(program, coordinator, csv_bytes(people_rows(2)))
    participant_import_commit(batch=batch, by=coordinator)
    with pytest.raises(ValidationError, match="already been imported"):
        participant_import_commit(batch=batch, by=coordinator)


def test_other_coordinators_cannot_import(alpha, program):
    with pytest.raises(PermissionDenied):
        _preview(program, alpha.user("coordinator2"), csv_bytes(people_rows(2)))
    batch = _preview(program, alpha.user("coordinator"), csv_bytes(people_rows(2)))
    with pytest.raises(PermissionDenied):
        participant_import_commit(batch=batch, by=alpha.user("coordinator2"))
