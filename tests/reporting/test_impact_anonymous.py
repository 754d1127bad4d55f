"""Anonymous answers in impact figures: groups under 5 show "fewer than 5", in
every breakdown (with complementary suppression), and never in a cohort."""

from __future__ import annotations

import datetime

import pytest

from programs.models import Program
from reporting.selectors.impact import Period, program_impact
from tests.reporting.factories import people, respond, survey, survey_program

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
NPS = [{"key": "nps", "kind": "nps", "text": "Recommend?"}]


def _answered(program: Program, countries: dict[str, int]):
    closing = survey(program, kind="closing", is_anonymous=True, questions=NPS)
    for country, count in countries.items():
        for enrollment in people(program, count, country=country):
            respond(closing, enrollment, {"nps": 10})


@pytest.mark.parametrize(("count", "shown"), [(4, False), (5, True)])
def test_nps_of_fewer_than_five_anonymous_answers_is_hidden(alpha, count, shown):
    program = survey_program()
    _answered(program, {"PL": count})
    nps = program_impact(program=program, now=NOW).figure("outcomes.nps")
    assert nps.suppressed is not shown
    assert (nps.display == "fewer than 5") is not shown
    if shown:
        assert (nps.value, nps.n) == (100, 5)


@pytest.mark.parametrize(
    ("countries", "hidden"),
    [
        # PL (2) is under 5; hiding it alone would let PL = total − VN, so VN goes too
        ({"VN": 5, "PL": 2}, {"Vietnam", "Poland"}),
        ({"VN": 5, "PL": 5}, set()),
        ({"VN": 6, "PL": 5, "DE": 2, "IN": 3}, {"Germany", "India"}),
    ],
)
def test_breakdown_hides_small_groups_and_what_reveals_them(alpha, countries, hidden):
    program = survey_program()
    _answered(program, countries)
    impact = program_impact(program=program, breakdown="country", now=NOW)
    nps = {g.label: g.figures["outcomes.nps"] for g in impact.breakdown.groups}
    assert {label for label, figure in nps.items() if figure.suppressed} == hidden
    assert all(figure.value is None for label, figure in nps.items() if label in hidden)


def test_a_cohort_leaves_anonymous_answers_out_and_says_so(alpha):
    program = survey_program()
    _answered(program, {"PL": 6})
    today = NOW.date()
    impact = program_impact(
        program=program,
        period=Period(
            today - datetime.timedelta(days=3650), today + datetime.timedelta(days=3650)
        ),
        now=NOW,
    )
    assert impact.figure("outcomes.nps").n == 0
    assert any("Anonymous survey answers" in note for note in impact.notes)


def test_anonymous_confidence_is_not_paired(alpha):
    program = survey_program()
    likert = [{"key": "confidence", "kind": "likert", "text": "Confidence"}]
    baseline = survey(program, kind="baseline", is_anonymous=True, questions=likert)
    closing = survey(program, kind="closing", is_anonymous=True, questions=likert)
    for enrollment in people(program, 5):
        respond(baseline, enrollment, {"confidence": 2})
        respond(closing, enrollment, {"confidence": 4})
    figure = program_impact(program=program, now=NOW).figure("outcomes.confidence_gain")
    assert figure.value is None
    assert "can't be paired" in figure.note
    assert "from 2.0 to 4.0" in figure.note
