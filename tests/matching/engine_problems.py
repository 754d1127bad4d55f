"""Problems for the engine tests: random instances from a seed (so hypothesis
shrinks to a small, replayable case), the solvers under test, and the invariants
every result must hold. No database."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from hypothesis import settings

from matching import engine
from matching.engine import MatchingProblem, MatchResult, Participants, Rules

WEEKDAYS = frozenset(range(5))

REPO = Path(__file__).resolve().parents[2]
FAST = settings(max_examples=30, deadline=None, database=None)
SOLVERS: dict[str, Callable[[MatchingProblem], MatchResult]] = {
    "optimal": engine.solve_optimal,
    "optimal-sparse": lambda p: engine.solve_optimal(p, method="sparse"),
    "stable": engine.solve_stable,
    "greedy": engine.solve_greedy,
}


def _hours(rng: np.random.Generator, k: int) -> np.ndarray:
    """Eight-hour weekday blocks starting at a random UTC hour."""
    base = np.zeros(168, dtype=bool)
    for day in range(5):
        base[day * 24 : day * 24 + 8] = True
    starts = rng.integers(0, 24, k)
    hourly = np.stack([np.roll(base, int(s)) for s in starts] or [base])[:k]
    return _quarters(hourly)


def _quarters(hourly: np.ndarray) -> np.ndarray:
    """(k, 168) hour-of-week flags as the engine's (k, 672) quarter hours."""
    return np.repeat(hourly, engine.SLOTS_PER_HOUR, axis=-1)


def _people(rng: np.random.Generator, k: int, n_languages: int) -> Participants:
    return Participants(
        skills=rng.random((k, 8)) < 0.4,
        hours=_hours(rng, k),
        languages=rng.random((k, n_languages)) < 0.45,
        seniority=rng.integers(1, 8, k),
        country=rng.integers(0, 3, k),
        style=rng.integers(-1, 3, k),
        learning=rng.random((k, 4)) < 0.4,
    )


def random_problem(
    seed: int,
    n: int,
    m: int,
    *,
    capacity: tuple[int, int] = (1, 2),
    n_languages: int = 3,
    rules: Rules | None = None,
) -> MatchingProblem:
    rng = np.random.default_rng(seed)
    mentees = _people(rng, n, n_languages)
    mentors = _people(rng, m, n_languages)
    pairs = [(int(i), int(j)) for i in range(n) for j in range(m)]
    picks = rng.permutation(len(pairs))
    third = len(pairs) // 3
    return MatchingProblem(
        mentees=mentees,
        mentors=mentors,
        capacity=rng.integers(capacity[0], capacity[1] + 1, m),
        rules=rules
        or Rules(
            culture=("different", "same", "ignore")[seed % 3],
            focus_skills=rng.random(8) < 0.3,
        ),
        preferred=[pairs[k] for k in picks[:third]],
        excluded=[pairs[k] for k in picks[third : third + third // 2]],
    )


def assert_valid(problem: MatchingProblem, result: MatchResult) -> None:
    excluded = set(problem.excluded)
    mentees = [p.mentee for p in result.pairs]
    assert len(mentees) == len(set(mentees)), "a mentee got two mentors"
    load = np.bincount(
        [p.mentor for p in result.pairs], minlength=len(problem.capacity)
    )
    assert (load <= problem.capacity).all(), "a mentor is over capacity"
    for pair in result.pairs:
        assert (pair.mentee, pair.mentor) not in excluded
        shared = (
            problem.mentees.languages[pair.mentee]
            & problem.mentors.languages[pair.mentor]
        )
        assert shared.any(), "paired without a shared language"
    unmatched = {u.mentee for u in result.unmatched}
    assert unmatched.isdisjoint(mentees)
    assert unmatched | set(mentees) == set(range(len(problem.mentees)))
