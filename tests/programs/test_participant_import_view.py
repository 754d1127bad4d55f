import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.accounts.models import User
from programs.models import Enrollment, ImportBatch
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(name="Growth", coordinators=[coordinator])


def _upload(client, program, content, name="people.csv"):
    return client.post(
        f"/manage/programs/{program.pk}/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_upload_preview_confirm(alpha, program):
    # given
    client = alpha.client("coordinator")
    # when: upload
    response = _upload(client, program, csv_bytes(people_rows(3)))
    # then: a preview with the count and a confirm button
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"3 people ready to import" in preview.content
    assert b"Confirm import" in preview.content
    assert Enrollment.objects.filter(program=program).count() == 0
    # when: confirm
    batch = ImportBatch.objects.get()
    response = client.post(f"/manage/programs/{program.pk}/import/{batch.pk}/confirm/")
    # then
    assert response.status_code == 302
    # invited: enrolled only once each accepts the program's agreement
    assert Enrollment.objects.filter(program=program, status="invited").count() == 3
    assert not Enrollment.objects.filter(program=program, status="approved").exists()


def test_preview_lists_each_problem_with_its_line_person_and_column(alpha, program):
    # Issue 13: the person (email, else name) is named, so the coordinator needn't
    # open the file to see who is wrong; a row's problems are listed together.
    rows = people_rows(4)
    rows[1]["time_zone"] = "Moon/Base"
    rows[1]["seniority"] = "guru"
    rows[3]["email"] = "nope"
    client = alpha.client("coordinator")
    response = client.get(_upload(client, program, csv_bytes(rows))["Location"])
    page = " ".join(response.content.decode().split())
    assert "Nothing was imported: 3 problems" in page
    assert re.search(
        r'<td class="num">3</td> <td>imported1@people.example</td> <td><ul '
        r'class="plain-list"><li><code>time_zone</code>: [^<]*Moon/Base[^<]*</li> '
        r"?<li><code>seniority</code>: [^<]*guru",
        page,
    )
    assert re.search(
        r'<td class="num">5</td> <td>Imported Person 3</td> <td><ul class="plain-list">'
        r"<li><code>email</code>",
        page,
    )
    assert "Confirm import" not in page


def test_a_file_with_problems_cannot_be_confirmed(alpha, program):
    rows = people_rows(2)
    rows[0]["email"] = "bad"
    client = alpha.client("coordinator")
    _upload(client, program, csv_bytes(rows))
    batch = ImportBatch.objects.get()
    users = User.objects.count()
    response = client.post(f"/manage/programs/{program.pk}/import/{batch.pk}/confirm/")
    assert response.status_code == 302
    assert User.objects.count() == users


def test_oversized_upload_is_refused_by_the_form(alpha, program):
    response = _upload(
        alpha.client("coordinator"), program, b"x" * (5 * 1024 * 1024 + 1)
    )
    assert response.status_code == 422
    assert b"larger than 5 MB" in response.content
    assert not ImportBatch.objects.exists()


def test_wrong_extension(alpha, program):
    response = _upload(
        alpha.client("coordinator"), program, b"email\n", name="people.exe"
    )
    assert response.status_code == 422


def test_template_download(alpha):
    response = alpha.client("coordinator").get("/manage/participants-template.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"email,full_name,role,preferred_name,time_zone")


def test_upload_page_documents_the_format(alpha, program):
    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/import/")
        .content.decode()
    )
    assert "working_hours" in page
    assert "Download the template" in page


def test_other_coordinator_cannot_see_or_confirm(alpha, program):
    _upload(alpha.client("coordinator"), program, csv_bytes(people_rows(2)))
    batch = ImportBatch.objects.get()
    other = alpha.client("coordinator2")
    assert other.get(f"/manage/programs/{program.pk}/import/").status_code == 404
    assert (
        other.get(f"/manage/programs/{program.pk}/import/{batch.pk}/").status_code
        == 404
    )
    assert (
        other.post(
            f"/manage/programs/{program.pk}/import/{batch.pk}/confirm/"
        ).status_code
        == 404
    )
    assert not Enrollment.objects.exists()


def test_batch_of_another_program_is_404(alpha, program, coordinator):
    mine = EnrollingProgramFactory(coordinators=[coordinator])
    _upload(alpha.client("coordinator"), program, csv_bytes(people_rows(2)))
    batch = ImportBatch.objects.get()
    response = alpha.client("coordinator").post(
        f"/manage/programs/{mine.pk}/import/{batch.pk}/confirm/"
    )
    assert response.status_code == 404


def test_mentee_cannot_import(alpha, program):
    assert (
        alpha.client("mentee").get(f"/manage/programs/{program.pk}/import/").status_code
        == 403
    )
