"""Application answers and training, readable: in the enrolment table (expandable,
no JavaScript), in its CSV/XLSX export (formulas neutralised) and in the admin
(questions next to answers instead of JSON keyed by question id)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone

from programs.models import (
    ApplicationQuestion,
    AudienceRole,
    Enrollment,
    TrainingCompletion,
    TrainingWaiver,
)
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
    ParticipantFactory,
    UserFactory,
    enrollments_bulk,
)


@pytest.fixture
def program(alpha, coordinator):
    program = EnrollingProgramFactory(name="Reverse 2026", coordinators=[coordinator])
    learn = ApplicationQuestion.objects.create(
        program=program, text="What do you hope to learn?", kind="long_text", order=1
    )
    topics = ApplicationQuestion.objects.create(
        program=program,
        text="Which topics?",
        kind="multi_choice",
        choices=["AI tools", "Social media"],
        order=2,
    )
    ModuleFactory(
        program=program, title="Openness", required_for_role=AudienceRole.MENTEE
    )
    person = ParticipantFactory(user=UserFactory(full_name="Ana Answer"))
    EnrollmentFactory(
        program=program,
        participant=person,
        answers={
            str(learn.pk): '=HYPERLINK("http://evil")',
            str(topics.pk): ["AI tools", "Social media"],
        },
    )
    return program


def test_table_shows_answers_with_their_questions_in_details(alpha, program):
    page = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/")
    body = page.content.decode()
    assert "<details><summary>2 answers</summary>" in body
    assert "What do you hope to learn?" in body
    assert "AI tools; Social media" in body
    assert "0 of 1 done" in body  # the training column


def test_training_column_says_done_and_waived(alpha, program):
    done = EnrollmentFactory(program=program, status=Enrollment.Status.APPROVED)
    TrainingCompletion.objects.create(
        enrollment=done,
        module=program.training_modules.get(),
        completed_at=timezone.now(),
    )
    waived = EnrollmentFactory(program=program, status=Enrollment.Status.APPROVED)
    TrainingWaiver.objects.create(
        enrollment=waived, reason="Did it elsewhere", waived_at=timezone.now()
    )
    response = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/")
    texts = {e.pk: e.training_text for e in response.context["table"].page.object_list}
    assert texts[done.pk] == "Done"
    assert texts[waived.pk] == "Waived"


@pytest.mark.parametrize("size", [20, 400])
def test_table_queries_stay_constant_with_answers(
    alpha, program, size, django_assert_max_num_queries
):
    enrollments_bulk(program, size)
    client = alpha.client("coordinator")
    client.get(f"/manage/programs/{program.pk}/")
    # the page as before (tests/programs/test_program_detail_view.py) plus 1: the
    # program's questions (training progress is subqueries in the page query)
    with django_assert_max_num_queries(16):
        response = client.get(f"/manage/programs/{program.pk}/")
    assert response.status_code == 200


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return b"".join(response)


def test_csv_export_has_a_column_per_question_neutralised(alpha, program):
    body = _download(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/enrollments.csv",
    )
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    header, row = rows[0], rows[1]
    assert header[-2:] == ["What do you hope to learn?", "Which topics?"]
    assert "training" in header
    values = dict(zip(header, row, strict=True))
    assert values["name"] == "Ana Answer"
    assert values["What do you hope to learn?"] == '\'=HYPERLINK("http://evil")'
    assert values["Which topics?"] == "AI tools; Social media"
    assert values["training"] == "0 of 1 done"


def test_xlsx_export_too(alpha, program):
    body = _download(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/enrollments.xlsx",
    )
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    header, row = [[c.value for c in r] for r in sheet.iter_rows(max_row=2)]
    values = dict(zip(header, row, strict=True))
    assert values["What do you hope to learn?"].startswith("'=")


def test_export_queries_stay_constant(alpha, program, django_assert_max_num_queries):
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/impact/export/enrollments.csv"
    enrollments_bulk(program, 3)
    _download(client, url)
    # routing, session, user, program, the audit entry; the table's 2 (questions,
    # rows with training progress as subqueries)
    with django_assert_max_num_queries(40) as small:
        _download(client, url)
    enrollments_bulk(program, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _download(client, url)


def test_other_coordinators_cannot_export(alpha, program):
    url = f"/manage/programs/{program.pk}/impact/export/enrollments.csv"
    assert alpha.client("coordinator2").get(url).status_code == 404
    assert alpha.client("mentee").get(url).status_code == 403


def test_admin_shows_answers_with_their_questions(alpha, program):
    enrollment = Enrollment.objects.get(participant__user__full_name="Ana Answer")
    page = alpha.client("hradmin").get(
        f"/admin/programs/enrollment/{enrollment.pk}/change/"
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "What do you hope to learn?" in body
    assert "AI tools; Social media" in body
    assert f'"{ApplicationQuestion.objects.first().pk}":' not in body
