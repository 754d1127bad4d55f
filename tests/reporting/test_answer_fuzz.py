"""Arbitrary answers to every question type, posted through the answer page:
422 with messages or a saved response, never a 500, never a partial response."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reporting.models import Answer, Response, SurveyAssignment
from tests.programs.factories import participant_for
from tests.reporting.factories import assign, survey, survey_program
from tests.reporting.test_survey_views import ALL_KINDS

TEXTS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "1",
            "5",
            "6",
            "10",
            "11",
            "-1",
            "3.5",
            "1e3",
            "Red",
            "Time",
            "\x00",
            "x" * 5000,
        ]
    ),
    st.text(max_size=40),
)


@st.composite
def postings(draw):
    """Field values for the 7 question kinds (matrix rows 0–3: one row too many),
    some fields missing, some repeated, plus stray fields."""
    names = ["confidence", "nps", "one", "many", "short", "long"]
    data = {}
    for name in names:
        if draw(st.booleans()):
            data[name] = draw(st.lists(TEXTS, min_size=0, max_size=3))
    for row in range(4):
        if draw(st.booleans()):
            data[f"competencies-{row}"] = draw(st.lists(TEXTS, min_size=0, max_size=2))
    if draw(st.booleans()):
        data["stray"] = [draw(TEXTS)]
    # Half the time the rest of the form is filled in correctly, so one bad field
    # has to be caught on its own (and good ones get saved).
    return data, draw(st.booleans())


VALID = {
    "confidence": ["4"],
    "nps": ["9"],
    "one": ["Red"],
    "many": ["Time", "Language"],
    "short": ["Fine"],
    "long": ["More"],
    **{f"competencies-{row}": ["3"] for row in range(3)},
}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(posted=postings())
def test_arbitrary_answers_never_500_and_never_partial(
    alpha, coordinator, mentee, posted
):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=ALL_KINDS)
    enrollment, _ = program.enrollments.get_or_create(
        participant=participant_for(mentee),
        role="mentee",
        defaults={"status": "approved"},
    )
    assignment = assign(made, enrollment)
    ids = {q.key: q.pk for q in made.questions.all()}
    posted, fill = posted
    if fill:
        posted = VALID | posted
    data = {}
    for name, values in posted.items():
        key, _, row = name.partition("-")
        field = f"q{ids[key]}" + (f"-{row}" if row else "") if key in ids else name
        data[field] = values
    response = alpha.client("mentee").post(f"/surveys/{assignment.pk}/", data)
    has_nul = any("\x00" in value for values in data.values() for value in values)
    # NUL characters are refused for the whole site before any view runs (400).
    assert response.status_code in ((302, 422, 400) if has_nul else (302, 422))
    saved = Response.objects.filter(survey=made)
    if response.status_code == 400:
        assert not saved.exists()
    elif response.status_code == 422:
        page = response.content.decode()
        assert "need another look" in page or "can't be changed" in page
        assert not saved.exists()
        assert not Answer.objects.filter(response__survey=made).exists()
        assert not SurveyAssignment.objects.get(pk=assignment.pk).is_answered
    else:
        # every required question has its answer rows: 3 matrix rows, one each else
        answers = Answer.objects.filter(response__survey=made)
        required = [q for q in made.questions.all() if q.required]
        for question in required:
            expected = (
                len(question.choices) if question.kind == "competency_matrix" else 1
            )
            assert answers.filter(question=question).count() >= expected
        for number in answers.exclude(number=None).values_list("number", flat=True):
            assert 0 <= number <= 10
