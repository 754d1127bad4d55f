"""Results: hand-computed response rate, NPS and change; and the 5-person rule for
anonymous surveys in every filter and breakdown, at 4 and at 5 respondents."""

from __future__ import annotations

import itertools

import pytest

from reporting.models import Survey
from reporting.selectors import surveys as selectors
from tests.reporting.factories import (
    FOCUS_AREAS,
    assign,
    people,
    respond,
    survey,
    survey_program,
)

SPEAK, NEGOTIATE, CROSS = FOCUS_AREAS
BASE_QUESTIONS = [
    {"kind": "competency_matrix", "key": "competencies", "text": "Rate"},
    {"kind": "likert", "key": "confidence", "text": "Confident?"},
]
CLOSE_QUESTIONS = [
    *BASE_QUESTIONS,
    {"kind": "nps", "key": "nps", "text": "Recommend?"},
    {"kind": "long_text", "key": "story", "text": "Story", "required": False},
]


def _results(made, **query):
    return selectors.survey_results(
        survey=made, filters=selectors.ResultFilters.from_query(query)
    )


def test_response_rate_nps_and_paired_change_by_hand(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    baseline = survey(program, questions=BASE_QUESTIONS, kind=Survey.Kind.BASELINE)
    closing = survey(program, questions=CLOSE_QUESTIONS, kind=Survey.Kind.CLOSING)
    a, b, c, d, e = people(program, 5)
    # baseline: a, b, c answer
    respond(
        baseline,
        a,
        {"competencies": {SPEAK: 1, NEGOTIATE: 2, CROSS: 3}, "confidence": 2},
    )
    respond(
        baseline,
        b,
        {"competencies": {SPEAK: 2, NEGOTIATE: 2, CROSS: 2}, "confidence": 3},
    )
    respond(
        baseline,
        c,
        {"competencies": {SPEAK: 5, NEGOTIATE: 5, CROSS: 5}, "confidence": 5},
    )
    # closing: a, b and d answer; e is asked and doesn't
    respond(
        closing,
        a,
        {
            "competencies": {SPEAK: 3, NEGOTIATE: 2, CROSS: 4},
            "confidence": 4,
            "nps": 10,
        },
    )
    respond(
        closing,
        b,
        {"competencies": {SPEAK: 4, NEGOTIATE: 3, CROSS: 2}, "confidence": 3, "nps": 6},
    )
    respond(
        closing,
        d,
        {"competencies": {SPEAK: 1, NEGOTIATE: 1, CROSS: 1}, "confidence": 1, "nps": 9},
    )
    assign(closing, e)

    results = _results(closing)

    # 3 of 4 asked answered
    assert (results.answered, results.assigned) == (3, 4)
    assert results.response_rate == 0.75
    # NPS: promoters 10, 9 (2); detractor 6 (1); (2 − 1) / 3 × 100 = 33.3
    nps = next(q.nps for q in results.questions if q.nps)
    assert nps.n == 3
    assert nps.score == pytest.approx(100 / 3)
    # paired change, only a and b answered both:
    #   speaking a 1→3, b 2→4: before 1.5, after 3.5, +2.0, both improved
    #   negotiation a 2→2, b 2→3: +0.5; cross-cultural a 3→4, b 2→2: +0.5
    #   confidence a 2→4, b 3→3: +1.0, 1 of 2 improved
    change = {row.label: row.paired for row in results.change}
    assert change[SPEAK].n == 2
    assert (change[SPEAK].mean_before, change[SPEAK].mean_after) == (1.5, 3.5)
    assert change[SPEAK].mean_change == 2.0
    assert change[NEGOTIATE].mean_change == 0.5
    assert change[CROSS].mean_change == 0.5
    confidence = change["Confident?"]
    assert confidence.mean_change == 1.0
    assert confidence.improved_share == 0.5
    # competency means of the closing survey itself (a, b, d): speaking (3+4+1)/3
    matrix = next(q for q in results.questions if q.rows)
    assert matrix.rows[0] == (SPEAK, 3, pytest.approx(8 / 3))


def test_unpaired_change_for_anonymous_surveys(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    baseline = survey(
        program, questions=BASE_QUESTIONS, kind=Survey.Kind.BASELINE, is_anonymous=True
    )
    closing = survey(
        program, questions=CLOSE_QUESTIONS, kind=Survey.Kind.CLOSING, is_anonymous=True
    )
    group = people(program, 6)
    # baseline confidence 1, 2, 2, 3, 2 (mean 2.0); closing 3, 4, 4, 5, 4, 4 (mean 4.0)
    for person, value in zip(group, [1, 2, 2, 3, 2], strict=False):
        respond(
            baseline,
            person,
            {"confidence": value, "competencies": {SPEAK: 2, NEGOTIATE: 2, CROSS: 2}},
        )
    for person, value in zip(group, [3, 4, 4, 5, 4, 4], strict=True):
        respond(
            closing,
            person,
            {
                "confidence": value,
                "competencies": {SPEAK: 4, NEGOTIATE: 3, CROSS: 2},
                "nps": 9,
            },
        )
    results = _results(closing)
    change = {row.label: row.unpaired for row in results.change}
    assert change["Confident?"].n_before == 5
    assert change["Confident?"].n_after == 6
    assert change["Confident?"].mean_change == 2.0
    assert change[SPEAK].mean_change == 2.0
    assert change[CROSS].mean_change == 0.0
    assert all(row.paired is None for row in results.change)


def test_unpaired_change_hides_groups_under_five(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    baseline = survey(
        program, questions=BASE_QUESTIONS, kind=Survey.Kind.BASELINE, is_anonymous=True
    )
    closing = survey(
        program, questions=CLOSE_QUESTIONS, kind=Survey.Kind.CLOSING, is_anonymous=True
    )
    group = people(program, 5)
    for person in group[:4]:
        respond(baseline, person, {"confidence": 1})
    for person in group:
        respond(closing, person, {"confidence": 5})
    change = {row.label: row.unpaired for row in _results(closing).change}
    assert change["Confident?"].mean_change is None


# --- Anonymous: never below 5 ---------------------------------------------------------

SEGMENTS = {
    "role": ["mentee", "mentor"],
    "country": ["VN", "PL"],
    "time_zone": ["Asia/Ho_Chi_Minh", "Europe/Warsaw"],
    "seniority": [2, 4],
}
SECRET = "only-one-person-wrote-this"


def _anonymous_world(program, count: int):
    """``count`` respondents in segment A of everything, plus one lone person in
    segment B of everything (the one a small group would expose)."""
    made = survey(
        program,
        questions=[
            {"kind": "likert", "key": "confidence", "text": "Confident?"},
            {"kind": "nps", "key": "nps", "text": "Recommend?"},
            {"kind": "long_text", "key": "story", "text": "Story", "required": False},
        ],
        is_anonymous=True,
        show_free_text=True,
    )
    for _ in range(count):
        [person] = people(
            program,
            1,
            role="mentee",
            country="VN",
            zone="Asia/Ho_Chi_Minh",
            seniority=2,
        )
        respond(made, person, {"confidence": 4, "nps": 9, "story": "fine"})
    [lone] = people(
        program, 1, role="mentor", country="PL", zone="Europe/Warsaw", seniority=4
    )
    respond(made, lone, {"confidence": 1, "nps": 0, "story": SECRET})
    return made


def _filters():
    """Every filter combination (each dimension: none, A, B) × every breakdown."""
    names = list(SEGMENTS)
    for choice in itertools.product(*[[None, *SEGMENTS[n]] for n in names]):
        query = {n: str(v) for n, v in zip(names, choice, strict=True) if v is not None}
        for by in ["", *names]:
            yield {**query, "by": by} if by else query


def _visible_people(results) -> list[int]:
    """Sizes of every group the page would show a figure for."""
    sizes = []
    if not results.is_suppressed:
        sizes.append(results.respondents)
        sizes += [row.n for row in results.breakdown if not row.hidden]
    return sizes


@pytest.mark.parametrize("count", [3, 4])
def test_anonymous_results_never_show_fewer_than_five(alpha, coordinator, count):
    # 3 or 4 in group A + the lone person = 4 or 5 respondents in all
    program = survey_program(coordinators=[coordinator])
    made = _anonymous_world(program, count)
    total = count + 1
    for query in _filters():
        results = _results(made, **query)
        for size in _visible_people(results):
            assert size >= 5, (query, size)
        shown_total = 0 if results.is_suppressed else results.respondents
        # the lone person (1) is never a group, nor derivable: anything shown
        # covers the whole set or a group of ≥ 5 whose complement is 0 or ≥ 5
        assert shown_total in (0, total) or total - shown_total >= 5, query
        texts = [t for q in results.questions for t in q.texts]
        if SECRET in texts:
            assert results.respondents >= 5
            assert results.respondents == total, query
    overall = _results(made)
    assert overall.is_suppressed is (total < 5)


def test_anonymous_page_shows_no_secret_below_five(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = _anonymous_world(program, 3)
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/surveys/{made.pk}/results/"
    # Every breakdown with no filter or one filter (the selector test above tries
    # every combination; this one checks the page shows what the selector decided).
    for query in _filters():
        if len(set(query) - {"by"}) > 1:
            continue
        page = client.get(url, query).content.decode()
        assert SECRET not in page
        assert "Fewer than 5 people" in page


def test_anonymous_breakdown_at_five_hides_the_lone_group(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = _anonymous_world(program, 5)  # 5 in group A, 1 in group B
    for name in SEGMENTS:
        results = _results(made, by=name)
        assert not results.is_suppressed
        hidden = [row for row in results.breakdown if row.hidden]
        # the lone person's group is hidden, and so is group A: else 6 − 5 = 1
        assert {row.n for row in hidden} == {1, 5}
        # filtering on the large group would leave the lone one by subtraction
        assert _results(made, **{name: str(SEGMENTS[name][0])}).is_suppressed
    page = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/surveys/{made.pk}/results/", {"by": "country"}
    )
    assert "fewer than 5 (hidden)" in page.content.decode()


def test_free_text_only_when_chosen(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = _anonymous_world(program, 5)
    assert SECRET in [t for q in _results(made).questions for t in q.texts]
    Survey.objects.filter(pk=made.pk).update(show_free_text=False)
    made.refresh_from_db()
    results = _results(made)
    assert not [t for q in results.questions for t in q.texts]
    assert any(q.texts_hidden_reason for q in results.questions)


def test_results_query_count_does_not_grow(
    alpha, coordinator, django_assert_max_num_queries
):
    program = survey_program(coordinators=[coordinator])
    closing = survey(program, questions=CLOSE_QUESTIONS, kind=Survey.Kind.CLOSING)
    survey(program, questions=BASE_QUESTIONS, kind=Survey.Kind.BASELINE)
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/surveys/{closing.pk}/results/"
    answer = {
        "competencies": {SPEAK: 3, NEGOTIATE: 2, CROSS: 4},
        "confidence": 4,
        "nps": 10,
        "story": "x",
    }
    for person in people(program, 3):
        respond(closing, person, answer)
    # ~8 for the session, user, program and survey; the results' aggregates (counts,
    # filter values, numbers, choices, answered per question, texts, the baseline
    # and its questions, before, after, breakdown sizes and values): the same at
    # 3 and 33 responses.
    with django_assert_max_num_queries(22) as small:
        client.get(url, {"by": "country"})
    for person in people(program, 30):
        respond(closing, person, answer)
    with django_assert_max_num_queries(22) as large:
        page = client.get(url, {"by": "country"})
    assert len(small) == len(large)
    assert "33 responses" in page.content.decode()
