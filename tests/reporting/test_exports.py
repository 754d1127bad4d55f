"""Exports: every dangerous prefix neutralised in CSV and XLSX, anonymous responses
without people, flat query counts, streamed CSV."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.db.models import Value
from django.http import StreamingHttpResponse

from checkins.models import Goal, Milestone
from mentorship.accounts.models import User
from mentorship.spreadsheets import is_formula_like
from tests.matching.factories import enroll, person
from tests.reporting.factories import (
    active_match,
    people,
    respond,
    survey,
    survey_program,
)

# Each begins (after the spaces) with a character a spreadsheet would run.
DANGEROUS = [
    "=1+1",
    "+33 1 23",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturned",
    '   =HYPERLINK("http://evil.example","x")',
    "\u00a0\u00a0=cmd|' /C calc'!A0",
    " +1",
    "\x01=stripped control char",
]
QUESTIONS = [
    {"kind": "likert", "key": "confidence", "text": "Confident?"},
    {"kind": "competency_matrix", "key": "competencies", "text": "Rate"},
    {
        "kind": "multi_choice",
        "key": "barriers",
        "text": "What got in the way?",
        "choices": ["Time zones", "=Language"],
        "required": False,
    },
    {"kind": "long_text", "key": "story", "text": "A story?", "required": False},
]


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(coordinators=[coordinator], name="Export program")


def _pair(program, **names):
    return active_match(
        program,
        enroll(program, person(name=names.get("mentor")), "mentor"),
        enroll(program, person(name=names.get("mentee")), "mentee"),
    )


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    if isinstance(response, StreamingHttpResponse):
        return response, b"".join(response.streaming_content)
    return response, b"".join(response)


def _csv_cells(body: bytes) -> list[list[str]]:
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def _assert_all_safe(cells):
    for row in cells:
        for cell in row:
            if isinstance(cell, str) and cell:
                assert not is_formula_like(cell), repr(cell)


def test_csv_and_xlsx_neutralise_every_dangerous_prefix(alpha, program):
    # given: goal titles, milestone titles and a person's name carrying each prefix
    match = _pair(program, mentee='=HYPERLINK("x")', mentor=" -Mentor")
    # Saving trims text ("\tTabbed" is stored as "Tabbed"), but rows written before
    # that normalisation, or by SQL, still carry leading spaces, tabs and returns:
    # store the raw values past the field's normalisation (a plain Value in update())
    # so the export's neutraliser is tested on every prefix.
    raw_name = Value(" -Mentor")
    assert User.objects.filter(full_name="-Mentor").update(full_name=raw_name) == 1
    for title in DANGEROUS:
        goal = Goal.objects.create(match=match, title=title, progress=10)
        milestone = Milestone.objects.create(goal=goal, title=title)
        Goal.objects.filter(pk=goal.pk).update(title=Value(title))
        Milestone.objects.filter(pk=milestone.pk).update(title=Value(title))
    assert "\tTabbed" in Goal.objects.values_list("title", flat=True)
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/export/"
    # when
    response, body = _get(client, base + "goals.csv")
    # then: a text view of the file shows each one prefixed with '
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = body.decode("utf-8-sig")
    for title in DANGEROUS:
        # as written in the file (CSV doubles quotes inside a quoted cell)
        shown = title.replace("\x01", "").replace('"', '""')
        assert "'" + shown in text, repr(shown)
    cells = _csv_cells(body)
    _assert_all_safe(cells)
    titles = {row[4] for row in cells[1:]}
    assert '\'   =HYPERLINK("http://evil.example","x")' in titles
    assert "'\u00a0\u00a0=cmd|' /C calc'!A0" in titles
    assert '\'=HYPERLINK("x")' in {row[3] for row in cells[1:]}
    assert "' -Mentor" in {row[2] for row in cells[1:]}
    # and XLSX: no cell a formula, every dangerous text prefixed
    _, xlsx = _get(client, base + "goals.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    _assert_all_safe(values)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert "'=1+1" in {row[4] for row in values[1:]}


def test_numbers_stay_numbers(alpha, program):
    match = _pair(program)
    Goal.objects.create(match=match, title="Plain", progress=40)
    _, xlsx = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/goals.xlsx",
    )
    row = list(
        openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
    )[1]
    assert row[6] == 40


def test_attributed_responses_name_people_and_neutralise_answers(alpha, program):
    made = survey(program, questions=QUESTIONS)
    enrollment = people(program, 1, name="Priya Respondent")[0]
    respond(
        made,
        enrollment,
        {
            "confidence": 4,
            "competencies": {"Public speaking": 2, "Negotiation": 5},
            "barriers": ["Time zones", "=Language"],
            "story": "@mention me",
        },
    )
    _, body = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/responses.csv?survey={made.pk}",
    )
    header, row = _csv_cells(body)
    assert header[:4] == ["person", "email", "role", "answered on"]
    assert row[0] == "Priya Respondent"
    values = dict(zip(header, row, strict=True))
    assert values["confidence: Confident?"] == "4"
    assert values["competencies: Public speaking"] == "2"
    assert values["competencies: Negotiation"] == "5"
    assert values["barriers: What got in the way?"] == "'=Language; Time zones"
    assert values["story: A story?"] == "'@mention me"


def test_anonymous_responses_have_no_person_column(alpha, program):
    made = survey(program, questions=QUESTIONS, is_anonymous=True)
    respondents = people(program, 5, name=None)
    for number, enrollment in enumerate(respondents):
        respond(made, enrollment, {"confidence": number + 1, "story": "secret"})
    _, body = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/responses.csv?survey={made.pk}",
    )
    header, *rows = _csv_cells(body)
    assert len(rows) == 5
    assert not {"person", "email", "role", "answered on"} & set(header)
    text = body.decode("utf-8-sig")
    for enrollment in respondents:
        user = enrollment.participant.user
        assert user.email not in text
        assert user.full_name not in text
    # written answers only when the coordinator chose to show them
    assert "secret" not in text
    assert sorted(row[0] for row in rows) == ["1", "2", "3", "4", "5"]


def test_anonymous_responses_under_five_export_nothing(alpha, program):
    made = survey(program, questions=QUESTIONS, is_anonymous=True)
    for enrollment in people(program, 4):
        respond(made, enrollment, {"confidence": 3})
    _, body = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/responses.xlsx?survey={made.pk}",
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows())
    assert len(rows) == 1  # the header only


@pytest.mark.parametrize(
    "table", ["pairs.csv", "meetings.csv", "goals.csv", "metrics.csv", "pairs.xlsx"]
)
def test_every_table_exports(alpha, program, table):
    _pair(program)
    _, body = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/{table}",
    )
    assert body


def test_breakdown_export_needs_a_known_dimension(alpha, program):
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/export/breakdown.csv"
    assert client.get(base + "?breakdown=country").status_code == 200
    assert client.get(base + "?breakdown=nope").status_code == 404


def test_other_surveys_and_tables_are_not_found(alpha, program):
    other = survey_program(name="Elsewhere")
    foreign = survey(other, questions=QUESTIONS)
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/export/"
    assert client.get(f"{base}responses.csv?survey={foreign.pk}").status_code == 404
    assert client.get(f"{base}private-notes.csv").status_code == 404
    assert client.get(f"{base}pairs.pdf").status_code == 404
    assert alpha.client("mentee").get(base + "pairs.csv").status_code == 403
    assert alpha.client("coordinator2").get(base + "pairs.csv").status_code == 404


@pytest.mark.parametrize(
    "table", ["pairs.csv", "goals.csv", "meetings.csv", "responses.csv"]
)
def test_export_query_count_does_not_grow(
    alpha, program, table, django_assert_max_num_queries
):
    made = survey(program, questions=QUESTIONS)
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/impact/export/{table}?survey={made.pk}"

    def grow(count):
        for _ in range(count):
            match = _pair(program)
            goal = Goal.objects.create(match=match, title="Goal", progress=100)
            Milestone.objects.create(goal=goal, title="Step", is_done=True)
            respond(
                made,
                match.mentee,
                {"confidence": 3, "competencies": {"Negotiation": 4}},
            )

    grow(2)
    _get(client, url)
    with django_assert_max_num_queries(20) as small:
        _get(client, url)
    grow(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        _get(client, url)


def test_dates_are_whole_seconds(alpha, program):
    # the pairs table carries the match's creation instant, which has microseconds
    _pair(program)
    _, body = _get(
        alpha.client("coordinator"),
        f"/manage/programs/{program.pk}/impact/export/pairs.csv",
    )
    cells = [cell for row in _csv_cells(body) for cell in row]
    assert any(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", c) for c in cells)
    assert not any(re.search(r"\d\d:\d\d:\d\d\.\d", c) for c in cells)
