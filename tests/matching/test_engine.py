"""The pure matching engine's solvers: hard rules, optimality, stability, circles.

No database: every test builds arrays. Random instances come from a seed so that
hypothesis shrinks to a small, replayable case.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching import engine
from matching.engine import CircleProblem, MatchingProblem, MatchResult, Rules
from tests.matching.engine_problems import (
    FAST,
    REPO,
    SOLVERS,
    _hours,
    _quarters,
    assert_valid,
    random_problem,
)

# ---------------------------------------------------------------------- hard rules


@pytest.mark.parametrize("solver", SOLVERS)
@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 12), m=st.integers(1, 6))
def test_hard_rules_and_capacity_hold(solver: str, seed: int, n: int, m: int) -> None:
    problem = random_problem(seed, n, m, capacity=(0, 3))

    result = SOLVERS[solver](problem)

    assert_valid(problem, result)


def test_never_pairs_across_languages_even_when_that_leaves_everyone_out() -> None:
    # given: mentees speak language 0, mentors only language 1
    problem = random_problem(1, 5, 3)
    languages = np.zeros((5, 3), dtype=bool)
    languages[:, 0] = True
    other = np.zeros((3, 3), dtype=bool)
    other[:, 1] = True
    problem = _replace_languages(problem, languages, other)

    for solve in SOLVERS.values():
        # when
        result = solve(problem)
        # then
        assert result.pairs == []
        assert {u.reason for u in result.unmatched} == {"no mentor shares a language"}


def test_weighted_language_rule_allows_pairs_without_a_shared_language() -> None:
    problem = random_problem(2, 4, 2)
    languages = np.zeros((4, 3), dtype=bool)
    languages[:, 0] = True
    other = np.zeros((2, 3), dtype=bool)
    other[:, 1] = True
    problem = _replace_languages(
        problem, languages, other, rules=Rules(language_rule="weighted")
    )

    result = engine.solve_optimal(problem)

    assert result.pairs
    assert all(p.breakdown["language"] == 0.0 for p in result.pairs)


def _replace_languages(
    problem: MatchingProblem,
    mentee_languages: np.ndarray,
    mentor_languages: np.ndarray,
    rules: Rules | None = None,
) -> MatchingProblem:
    return MatchingProblem(
        mentees=replace(problem.mentees, languages=mentee_languages),
        mentors=replace(problem.mentors, languages=mentor_languages),
        capacity=problem.capacity,
        rules=rules or problem.rules,
        excluded=[],
    )


def test_unmatched_reasons_name_the_rule_that_blocked() -> None:
    # given: one mentor with one seat; mentee 1 speaks another language and the
    # pair with mentee 2 is excluded, so mentees 0 and 3 compete for the seat
    problem = random_problem(3, 4, 1, n_languages=2, rules=Rules(min_score=0.0))
    mentee_languages = np.array([[1, 0], [0, 1], [1, 0], [1, 0]], dtype=bool)
    mentor_languages = np.array([[1, 0]], dtype=bool)
    base = _replace_languages(problem, mentee_languages, mentor_languages)
    problem = MatchingProblem(
        mentees=base.mentees,
        mentors=base.mentors,
        capacity=np.array([1]),
        rules=base.rules,
        excluded=[(2, 0)],
    )

    # when
    result = engine.solve_optimal(problem)

    # then
    reasons = {u.mentee: u.reason for u in result.unmatched}
    assert [p.mentee for p in result.pairs] in ([0], [3])
    assert reasons[1] == "no mentor shares a language"
    assert reasons[2].startswith("every mentor who shares a language is excluded")
    assert reasons[({0, 3} - {result.pairs[0].mentee}).pop()] == (
        "all compatible mentors are at capacity"
    )


def test_reports_mentees_below_the_minimum_score() -> None:
    problem = random_problem(
        4, 3, 2, rules=Rules(min_score=101.0, language_rule="weighted")
    )

    result = engine.solve_optimal(problem)

    assert result.pairs == []
    assert all(u.reason.startswith("below the minimum score") for u in result.unmatched)


# ---------------------------------------------------------------------- optimality


def _brute_force_total(score: np.ndarray, capacity: np.ndarray) -> float:
    n, m = score.shape
    cells = score.astype(np.float64).tolist()
    load = [0] * m
    best = 0.0

    def place(i: int, total: float) -> None:
        nonlocal best
        if i == n:
            best = max(best, total)
            return
        place(i + 1, total)
        for j in range(m):
            if cells[i][j] != -np.inf and load[j] < capacity[j]:
                load[j] += 1
                place(i + 1, total + cells[i][j])
                load[j] -= 1

    place(0, 0.0)
    return best


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(1, 6), m=st.integers(1, 4))
def test_optimal_total_equals_brute_force(seed: int, n: int, m: int) -> None:
    problem = random_problem(seed, n, m, n_languages=2)
    scores = engine.score(problem)
    best = _brute_force_total(scores.score, problem.capacity)

    for method in ("dense", "sparse"):
        result = engine.solve_optimal(problem, scores, method=method)
        solver_total = sum(
            float(scores.score[p.mentee, p.mentor]) for p in result.pairs
        )
        assert solver_total == pytest.approx(best, abs=1e-3)
        assert result.total == pytest.approx(best, abs=1e-3)


def test_sparse_optimum_is_close_to_dense_and_beats_greedy() -> None:
    problem = random_problem(5, 300, 80, capacity=(1, 4), n_languages=2)
    scores = engine.score(problem)

    dense = engine.solve_optimal(problem, scores, method="dense")
    sparse = engine.solve_optimal(problem, scores, method="sparse")
    greedy = engine.solve_greedy(problem, scores)

    assert sparse.total >= 0.999 * dense.total
    assert dense.total >= sparse.total - 1e-3
    assert sparse.total > greedy.total


# ---------------------------------------------------------------------- stability


def _independent_blocking_pairs(
    problem: MatchingProblem, scores: engine.ScoreMatrix, result: MatchResult
) -> list[tuple[int, int]]:
    """Blocking pairs from the plain preference lists, without engine helpers."""
    prefs = engine.stable_preferences(scores)
    mentee_lists = prefs.mentee_lists()
    mentor_lists = prefs.mentor_lists(scores.feasible)
    mentor_of = {p.mentee: p.mentor for p in result.pairs}
    held: dict[int, list[int]] = {}
    for mentee, mentor in mentor_of.items():
        held.setdefault(mentor, []).append(mentee)
    blocking = []
    for i, ranked in enumerate(mentee_lists):
        current = mentor_of.get(i)
        better = ranked if current is None else ranked[: ranked.index(current)]
        for j in better:
            mine = held.get(j, [])
            order = mentor_lists[j]
            has_room = len(mine) < problem.capacity[j]
            if has_room or any(order.index(i) < order.index(k) for k in mine):
                blocking.append((i, j))
    return blocking


@FAST
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(0, 15), m=st.integers(1, 6))
def test_stable_result_has_no_blocking_pair(seed: int, n: int, m: int) -> None:
    problem = random_problem(seed, n, m, capacity=(0, 3))
    scores = engine.score(problem, side_utilities=True)

    result = engine.solve_stable(problem, scores)

    assert _independent_blocking_pairs(problem, scores, result) == []
    mentor_of = np.full(n, -1)
    for pair in result.pairs:
        mentor_of[pair.mentee] = pair.mentor
    prefs = engine.stable_preferences(scores)
    assert engine.blocking_pairs(prefs, problem.capacity, mentor_of) == []


def test_blocking_pairs_finds_an_unstable_assignment() -> None:
    problem = random_problem(11, 8, 3, capacity=(1, 1))
    scores = engine.score(problem, side_utilities=True)
    prefs = engine.stable_preferences(scores)

    nobody_matched = np.full(8, -1)

    assert engine.blocking_pairs(prefs, problem.capacity, nobody_matched) != []


def test_named_mentor_ranks_first_for_the_mentee_only() -> None:
    # given: mentee 0 names mentor 2, every pair shares a language
    base = random_problem(12, 6, 4, n_languages=1)
    mentees = _replace_languages(base, np.ones((6, 1), bool), np.ones((4, 1), bool))
    plain = MatchingProblem(mentees.mentees, mentees.mentors, base.capacity)
    named = MatchingProblem(
        mentees.mentees, mentees.mentors, base.capacity, preferred=[(0, 2)]
    )

    # when
    before = engine.score(plain, side_utilities=True)
    after = engine.score(named, side_utilities=True)

    # then
    assert engine.stable_preferences(after).mentee_lists()[0][0] == 2
    assert after.mentor_utility is not None
    assert before.mentor_utility is not None
    assert np.array_equal(after.mentor_utility, before.mentor_utility)


@pytest.fixture(scope="module")
def peer_games() -> ModuleType:
    """The PyPI `matching` package, whose top-level name our app shadows.

    It imports itself by absolute name, so it is loaded while our `matching`
    modules are set aside; its modules keep their own bindings afterwards.
    """
    ours = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "matching"}
    saved_path = sys.path[:]
    for key in ours:
        del sys.modules[key]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO]
    try:
        return importlib.import_module("matching.games")
    finally:
        for key in [k for k in sys.modules if k.split(".")[0] == "matching"]:
            del sys.modules[key]
        sys.modules.update(ours)
        sys.path[:] = saved_path


@pytest.mark.parametrize("seed", [13, 14, 15])
def test_stable_equals_the_peer_library_resident_optimal(
    peer_games: ModuleType, seed: int
) -> None:
    # given
    problem = random_problem(seed, 40, 8, capacity=(1, 4))
    scores = engine.score(problem, side_utilities=True)
    prefs = engine.stable_preferences(scores)
    mentee_lists = prefs.mentee_lists()
    mentor_lists = prefs.mentor_lists(scores.feasible)
    game = peer_games.HospitalResident.create_from_dictionaries(
        {i: lst for i, lst in enumerate(mentee_lists) if lst},
        {j: lst for j, lst in enumerate(mentor_lists) if lst},
        {j: int(problem.capacity[j]) for j, lst in enumerate(mentor_lists) if lst},
    )

    # when
    peer = game.solve(optimal="resident")
    ours = engine.solve_stable(problem, scores)

    # then
    peer_pairs = {(r.name, h.name) for h, residents in peer.items() for r in residents}
    assert {(p.mentee, p.mentor) for p in ours.pairs} == peer_pairs


# ------------------------------------------------------------------------- circles


def test_circles_respect_sizes_and_place_everyone_once() -> None:
    rng = np.random.default_rng(16)
    problem = CircleProblem(
        participant_skills=rng.random((23, 10)) < 0.3,
        participant_hours=_hours(rng, 23),
        facilitator_skills=rng.random((7, 10)) < 0.3,
        facilitator_hours=_hours(rng, 7),
        size=5,
        min_size=4,
        max_size=6,
        facilitators_per_circle=2,
    )

    result = engine.solve_circles(problem)

    seated = [x for c in result.circles for x in c.participants]
    hosts = [x for c in result.circles for x in c.facilitators]
    assert len(seated) == len(set(seated))
    assert len(hosts) == len(set(hosts))
    assert all(4 <= len(c.participants) <= 6 for c in result.circles)
    assert all(len(c.facilitators) == 2 for c in result.circles)
    assert set(seated) | {u.participant for u in result.unplaced} == set(range(23))
    assert sorted(hosts + result.unused_facilitators) == list(range(7))


def test_circles_group_people_who_share_hours_and_focus() -> None:
    # given: two time-zone clusters, each with its own skill, shuffled together
    rng = np.random.default_rng(17)
    cluster = np.array([0, 1] * 6)
    rng.shuffle(cluster)
    skills = np.zeros((12, 4), dtype=bool)
    skills[np.arange(12), cluster] = True
    hours = np.zeros((12, 168), dtype=bool)
    for i, c in enumerate(cluster):
        hours[i, (np.arange(5)[:, None] * 24 + np.arange(8) + 12 * c).ravel()] = True
    host_hours = np.zeros((2, 168), dtype=bool)
    host_hours[0, :] = True
    host_hours[1, ::2] = True
    problem = CircleProblem(
        participant_skills=skills,
        participant_hours=_quarters(hours),
        facilitator_skills=np.zeros((2, 4), dtype=bool),
        facilitator_hours=_quarters(host_hours),
        size=6,
        min_size=6,
        max_size=6,
    )

    # when
    result = engine.solve_circles(problem)

    # then
    groups = sorted(
        sorted(set(cluster[c.participants].tolist())) for c in result.circles
    )
    assert groups == [[0], [1]]
    assert all(c.common_hours == 0 or c.shared_skills for c in result.circles)


def test_circles_report_when_facilitators_are_missing() -> None:
    problem = CircleProblem(
        participant_skills=np.ones((3, 2), dtype=bool),
        participant_hours=np.ones((3, 672), dtype=bool),
        facilitator_skills=np.ones((0, 2), dtype=bool),
        facilitator_hours=np.ones((0, 672), dtype=bool),
        size=3,
        min_size=2,
        max_size=4,
    )

    result = engine.solve_circles(problem)

    assert result.circles == []
    assert {u.reason for u in result.unplaced} == {
        "not enough facilitators for a circle"
    }


# ----------------------------------------------------------------------- isolation


def test_engine_imports_without_django() -> None:
    code = (
        "import sys; import matching.engine; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules)"
    )

    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=60)
