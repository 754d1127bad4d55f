"""The pure matching engine's scores: criteria points, working-hour overlap, and
each mentee's ranked suggestions (``engine.suggest``).

No database: every test builds arrays.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace
from datetime import date, time

import numpy as np
import pytest

from matching import engine
from matching.engine import CRITERIA, MatchingProblem, Participants, Rules, Weights
from mentorship import localtime
from tests.matching.engine_problems import SOLVERS, WEEKDAYS, random_problem

# ------------------------------------------------------------------------- scoring


def test_reverse_mentoring_flips_seniority() -> None:
    # given: a level-3 mentee, a level-6 mentor (index 0) and a level-1 mentor
    base = random_problem(6, 1, 2)

    def with_levels(rules: Rules) -> MatchingProblem:
        return MatchingProblem(
            mentees=replace(base.mentees, seniority=np.array([3])),
            mentors=replace(base.mentors, seniority=np.array([6, 1])),
            capacity=np.array([1, 1]),
            rules=rules,
        )

    # when
    normal = engine.explain(with_levels(Rules()), [0, 0], [0, 1])
    reverse = engine.explain(with_levels(Rules(reverse=True)), [0, 0], [0, 1])

    # then
    column = CRITERIA.index("seniority")
    full = engine.criterion_points(Rules())["seniority"]
    assert normal[:, column].tolist() == [full, 0.0]
    assert reverse[:, column].tolist() == [0.0, pytest.approx(full * 2 / 3)]


@pytest.mark.parametrize("solver", SOLVERS)
def test_breakdown_adds_up_to_the_score(solver: str) -> None:
    problem = random_problem(7, 40, 12, capacity=(1, 3))
    scores = engine.score(problem, side_utilities=True)

    result = SOLVERS[solver](problem)

    assert result.pairs
    for pair in result.pairs:
        assert tuple(pair.breakdown) == CRITERIA
        assert sum(pair.breakdown.values()) == pair.score
        assert pair.score == pytest.approx(
            scores.score[pair.mentee, pair.mentor], abs=1e-4
        )
    assert result.total == pytest.approx(sum(p.score for p in result.pairs))


def test_zero_weight_and_ignored_culture_contribute_nothing() -> None:
    rules = Rules(weights=Weights(style=0), culture="ignore")
    problem = random_problem(8, 10, 4, rules=rules)

    points = engine.explain(problem, list(range(10)), [0] * 10)

    assert not points[:, CRITERIA.index("style")].any()
    assert not points[:, CRITERIA.index("culture")].any()


def test_culture_preference_rewards_different_or_same_country() -> None:
    base = random_problem(9, 2, 1)
    mentees = replace(base.mentees, country=np.array([1, 2]))
    mentors = replace(base.mentors, country=np.array([1]))
    column = CRITERIA.index("culture")

    for preference, expected in (("different", [0, 1]), ("same", [1, 0])):
        problem = MatchingProblem(
            mentees, mentors, np.array([2]), rules=Rules(culture=preference)
        )
        points = engine.explain(problem, [0, 1], [0, 0])[:, column]
        assert (points > 0).astype(int).tolist() == expected


def test_stated_preference_adds_its_points() -> None:
    plain = random_problem(10, 6, 3, n_languages=1, rules=Rules())
    named = MatchingProblem(
        plain.mentees, plain.mentors, plain.capacity, plain.rules, preferred=[(0, 1)]
    )
    plain = MatchingProblem(plain.mentees, plain.mentors, plain.capacity, plain.rules)

    gain = engine.explain(named, [0], [1]).sum() - engine.explain(plain, [0], [1]).sum()

    assert gain == pytest.approx(engine.criterion_points(plain.rules)["preference"])


def test_focus_skills_count_more() -> None:
    # given: the mentee wants skills 0 and 1; mentor 0 offers 0, mentor 1 offers 1
    base = random_problem(11, 1, 2)
    mentees = replace(base.mentees, skills=np.array([[True, True, False]]))
    mentors = replace(
        base.mentors, skills=np.array([[True, False, False], [False, True, False]])
    )
    focus = np.array([True, False, False])
    problem = MatchingProblem(
        mentees, mentors, np.array([1, 1]), rules=Rules(focus_skills=focus)
    )

    # when
    skills = engine.explain(problem, [0, 0], [0, 1])[:, CRITERIA.index("skills")]

    # then: the focus skill counts twice, so it covers 2/3 of the wanted weight
    full = engine.criterion_points(problem.rules)["skills"]
    assert skills.tolist() == pytest.approx([full * 2 / 3, full / 3])


# -------------------------------------------------------------------- working hours


def test_overlap_counts_quarter_hours_and_half_hour_zones_exactly() -> None:
    # Kolkata 10:00-18:00 (+5:30) is 04:30-12:30Z; Ho Chi Minh 07:00-12:00 (+7) is
    # 00:00-05:00Z: 30 min a day, 2.5 h a week. Hour slots made it 0 (issue 12).
    week = date(2026, 3, 2)
    kolkata = localtime.utc_week_mask(
        localtime.WorkingPattern("Asia/Kolkata", time(10), time(18), WEEKDAYS), week
    )
    saigon = localtime.utc_week_mask(
        localtime.WorkingPattern("Asia/Ho_Chi_Minh", time(7), time(12), WEEKDAYS), week
    )

    hours = engine.shared_hours(kolkata[None, :], saigon[None, :])

    assert hours.tolist() == [[2.5]]
    assert engine.pair_shared_hours(
        kolkata[None, :], saigon[None, :], np.array([0]), np.array([0])
    ).tolist() == [2.5]


def test_engine_slots_are_localtime_quarter_hours() -> None:
    assert engine.SLOTS_PER_WEEK == localtime.QUARTERS_PER_WEEK


def test_shared_hours_equals_the_plain_product_with_repeated_patterns() -> None:
    rng = np.random.default_rng(5)
    patterns = rng.random((6, 672)) < 0.3
    a = patterns[rng.integers(0, 6, 40)]
    b = patterns[rng.integers(0, 6, 25)]

    expected = (a.astype(np.int64) @ b.astype(np.int64).T) / 4

    assert np.array_equal(engine.shared_hours(a, b), expected)


def test_min_overlap_hours_is_a_hard_rule_with_its_reason() -> None:
    # given: one mentee, two mentors: 2 h shared with the first, 8 h with the second
    hours = np.zeros((3, 672), dtype=bool)
    hours[0, :32] = True
    hours[1, :8] = True
    hours[2, :32] = True
    people = Participants(
        skills=np.array([[True], [True], [False]]),
        hours=hours,
        languages=np.ones((3, 1), dtype=bool),
        seniority=np.array([1, 5, 5]),
        country=np.array([0, 1, 2]),
        style=np.array([-1, -1, -1]),
        learning=np.zeros((3, 1), dtype=bool),
    )

    def problem(minimum: float, mentors: list[int]) -> MatchingProblem:
        pick = np.array(mentors)
        return MatchingProblem(
            mentees=_take(people, np.array([0])),
            mentors=_take(people, pick),
            capacity=np.ones(len(mentors), dtype=np.int64),
            rules=Rules(min_overlap_hours=minimum),
        )

    # then: off, the skills match wins; at 4 h the 2-hour mentor is infeasible
    assert engine.solve_optimal(problem(0, [1, 2])).pairs[0].mentor == 0
    assert engine.solve_optimal(problem(4, [1, 2])).pairs[0].mentor == 1
    lonely = engine.solve_optimal(problem(4, [1]))
    assert lonely.pairs == []
    assert lonely.unmatched[0].reason == (
        "no mentor who shares a language shares 4 working hours a week"
    )


def _take(people: Participants, rows: np.ndarray) -> Participants:
    return Participants(
        **{f.name: getattr(people, f.name)[rows] for f in dataclasses.fields(people)}
    )


# --------------------------------------------------------------------- suggestions


def _alike(k: int, *, languages: list[list[bool]] | None = None) -> Participants:
    """``k`` people identical in everything but (optionally) their languages."""
    return Participants(
        skills=np.ones((k, 1), dtype=bool),
        hours=np.ones((k, engine.SLOTS_PER_WEEK), dtype=bool),
        languages=np.array(languages) if languages else np.ones((k, 1), dtype=bool),
        seniority=np.full(k, 3),
        country=np.arange(k),
        style=np.full(k, -1),
        learning=np.zeros((k, 1), dtype=bool),
    )


@pytest.mark.parametrize(("seed", "n", "m"), [(1, 30, 8), (2, 12, 3), (3, 5, 20)])
def test_suggestions_are_each_mentees_best_feasible_mentors_in_order(
    seed: int, n: int, m: int
) -> None:
    # given
    problem = random_problem(seed, n, m, n_languages=2)
    scores = engine.score(problem)

    # when
    result = engine.suggest(problem, scores, per_mentee=5)

    # then: by mentee, ranks 1..k, best first, feasible only, at most 5 each
    keys = [(s.mentee, s.rank) for s in result.suggestions]
    assert keys == sorted(keys)
    by_mentee: dict[int, list[engine.Suggestion]] = {}
    for s in result.suggestions:
        by_mentee.setdefault(s.mentee, []).append(s)
    for i, listed in by_mentee.items():
        assert [s.rank for s in listed] == list(range(1, len(listed) + 1))
        row = scores.score[i]
        expected = [j for j in np.argsort(-row, kind="stable")[:5] if row[j] > -np.inf]
        assert [s.mentor for s in listed] == expected
        assert len({s.mentor for s in listed}) == len(listed)
        for s in listed:
            assert tuple(s.breakdown) == CRITERIA
            assert s.score == pytest.approx(row[s.mentor], abs=1e-4)
            assert s.score == math.fsum(s.breakdown.values())
    # every mentee is either suggested to or unmatched, never both
    unmatched = {u.mentee for u in result.unmatched}
    assert unmatched.isdisjoint(by_mentee)
    assert unmatched | set(by_mentee) == set(range(n))


def test_suggestions_ignore_capacity_beyond_having_room_and_break_ties_by_index() -> (
    None
):
    # given: three identical mentors, one place each, and four mentees
    problem = MatchingProblem(
        mentees=_alike(4), mentors=_alike(3), capacity=np.array([1, 1, 1])
    )

    # when
    result = engine.suggest(problem, per_mentee=2)

    # then: everyone gets the same two (lowest index first); nobody is left out
    assert [(s.mentee, s.mentor, s.rank) for s in result.suggestions] == [
        (i, j, j + 1) for i in range(4) for j in (0, 1)
    ]
    assert result.unmatched == []


def test_asking_for_more_suggestions_than_mentors_lists_every_feasible_one() -> None:
    problem = MatchingProblem(
        mentees=_alike(1), mentors=_alike(2), capacity=np.array([1, 1])
    )

    result = engine.suggest(problem, per_mentee=5)

    assert [s.mentor for s in result.suggestions] == [0, 1]


def test_mentees_without_a_feasible_mentor_are_unmatched_with_the_rule() -> None:
    # given: mentee 1 shares no language; mentor 1 is full
    problem = MatchingProblem(
        mentees=_alike(2, languages=[[True, False], [False, True]]),
        mentors=_alike(2, languages=[[True, False], [False, True]]),
        capacity=np.array([1, 0]),
    )

    # when
    result = engine.suggest(problem, per_mentee=5)

    # then
    assert [(s.mentee, s.mentor) for s in result.suggestions] == [(0, 0)]
    assert result.unmatched == [engine.Unmatched(1, "no mentor shares a language")]


def test_no_mentor_with_room_leaves_everyone_unmatched() -> None:
    for mentors, capacity in (
        (_alike(2), np.array([0, 0])),
        (_alike(0), np.array([], dtype=np.int64)),
    ):
        problem = MatchingProblem(mentees=_alike(3), mentors=mentors, capacity=capacity)

        result = engine.suggest(problem, per_mentee=5)

        assert result.suggestions == []
        assert [u.mentee for u in result.unmatched] == [0, 1, 2]
        assert {u.reason for u in result.unmatched} == {
            "no mentor in this program has capacity"
        }


def test_no_mentees_gives_no_suggestions() -> None:
    problem = MatchingProblem(
        mentees=_alike(0), mentors=_alike(2), capacity=np.array([1, 1])
    )

    result = engine.suggest(problem, per_mentee=5)

    assert result == engine.SuggestionResult([], [])
