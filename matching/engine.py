"""Pure matching engine: score mentee × mentor pairs, then assign them.

No Django here (STYLE.md rule 11): a selector builds a `MatchingProblem` from
participants and a service persists the `MatchResult`. Scoring is vectorised over
the whole n × m pair matrix; nothing loops over pairs in Python.

Each criterion gives every pair a component in [0, 1]:

- ``skills``: the share of the mentee's wanted skills that the mentor offers. A
  wanted skill in the program's focus area counts ``focus_boost`` times. 0 if the
  mentee wants nothing.
- ``overlap``: shared working time a week, ``min(hours, target) / target``
  (target 10 h: 2 h a day over a 5-day week), counted in the 15-minute UTC slots
  of ``mentorship.localtime.utc_week_mask`` so it equals ``weekly_overlap``, the
  figure every page shows. ``Rules.min_overlap_hours`` makes it a hard rule too.
  A mentee row that stands for a team (``MatchingProblem.teams``, organization
  mentoring) counts its best member's shared hours, for the score and the rule.
- ``language``: 1 if they share a language, else 0. Under the ``hard`` rule (the
  default) a pair without one is infeasible, so the component is 1 for every
  feasible pair and scores mean the same under both rules.
- ``seniority``: the gap ``mentor - mentee`` (``mentee - mentor`` when reversed),
  clipped to ``[0, seniority_cap]`` and divided by the cap: a mentor junior to the
  mentee (senior, in reverse mentoring) scores 0.
- ``culture``: 1 if the countries differ (``"different"``) or match (``"same"``);
  ``"ignore"`` drops the criterion whatever its weight.
- ``style``: half "same communication style" (negative = unstated, never
  matches), half the Jaccard similarity of learning preferences (0 if neither side
  states any).
- ``preference``: 1 if the mentee named this mentor.

``score = 100 * sum(w_c * comp_c) / sum(w_c)``. A returned pair's breakdown
holds each ``100 * w_c * comp_c / sum(w_c)`` in float64, and its score is their
sum; the float32 matrix the solvers optimise agrees to rounding (< 1e-4 points).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow  # type: ignore[import-untyped]

Criterion = Literal[
    "skills", "overlap", "language", "seniority", "culture", "style", "preference"
]
CRITERIA: tuple[Criterion, ...] = (
    "skills",
    "overlap",
    "language",
    "seniority",
    "culture",
    "style",
    "preference",
)
# The 672 UTC quarter hours of mentorship.localtime.utc_week_mask (the selector
# builds the masks; importing mentorship here would pull in Django via its package).
SLOTS_PER_WEEK = 7 * 24 * 4
SLOTS_PER_HOUR = 4

AnyArray = NDArray[Any]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.integer[Any]]
FloatArray = NDArray[np.float64]
# n × m matrices are float32: half the memory and bandwidth, and 0–100 scores
# keep about five decimals. Breakdowns of returned pairs are recomputed in float64.
ScoreArray = NDArray[np.float32]

# solve_optimal's switch from the exact dense assignment to the candidate-graph
# flow, in mentee × mentor-slot cells. Measured on bench/matching.py's synthetic
# organizations (capacity 5, 2 cores): dense 0.03 s at 500 × 500 slots, 0.3 s at
# 1,000 × 1,000, 1.7 s at 2,000 × 2,000 (repeated identical slot columns make
# the assignment degenerate); the candidate flow 0.03 s at 1,000 × 1,000, 0.12 s
# at 2,000 × 2,000 and 0.6 s at the large bench size, within 0.005 % of the optimum.
DENSE_CELL_LIMIT = 1_000_000
# Candidates kept per mentee and per mentor in the sparse graph; see solve_optimal.
SPARSE_MENTEE_CANDIDATES = 64
SPARSE_MENTOR_CANDIDATES = 32
# Score units per point in the min-cost flow, which needs integer costs.
FLOW_SCALE = 10_000
# Makes "matched with a 0-point partner" beat "unmatched" without reordering any
# two assignments whose totals differ by more than n × this.
_MATCH_BONUS = 1e-6


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class Participants:
    """One side of a program, a row per person.

    ``skills`` are the skills wanted, for mentees, or offered, for mentors.
    """

    skills: BoolArray  # (k, S)
    hours: BoolArray  # (k, 672) UTC quarter hours worked, localtime.utc_week_mask
    languages: BoolArray  # (k, L)
    seniority: IntArray  # (k,)
    country: IntArray  # (k,)
    style: IntArray  # (k,) communication style; negative = not stated
    learning: BoolArray  # (k, P) learning preferences

    def __post_init__(self) -> None:
        k = len(self.seniority)
        for f in fields(self):
            if len(getattr(self, f.name)) != k:
                raise ValueError(f"{f.name} needs {k} rows")
        if np.shape(self.hours)[1] != SLOTS_PER_WEEK:
            raise ValueError("hours needs 672 columns, one per UTC quarter hour")

    def __len__(self) -> int:
        return len(self.seniority)


@dataclass(frozen=True)
class Weights:
    """Importance of each criterion, from 0 (ignored) to 5."""

    skills: int = 5
    overlap: int = 3
    language: int = 2
    seniority: int = 2
    culture: int = 1
    style: int = 1
    preference: int = 3

    def __post_init__(self) -> None:
        for name in CRITERIA:
            if not 0 <= getattr(self, name) <= 5:
                raise ValueError(f"the {name} weight must be between 0 and 5")


@dataclass(frozen=True)
class Rules:
    """A program's matching settings."""

    weights: Weights = field(default_factory=Weights)
    language_rule: Literal["hard", "weighted"] = "hard"
    culture: Literal["different", "same", "ignore"] = "ignore"
    reverse: bool = False
    min_score: float | None = None
    focus_skills: BoolArray | None = None  # (S,)
    focus_boost: float = 2.0
    seniority_cap: int = 3
    overlap_target_hours: float = 10.0
    # Hard rule: pairs sharing fewer working hours a week are infeasible (0 = off).
    min_overlap_hours: float = 0.0


@dataclass(frozen=True)
class Teams:
    """Mentee rows that stand for a team (organization mentoring): each member's
    working hours and the row they belong to. Every mentee row has at least one
    member; a team shares with a mentor what its best-placed member shares."""

    hours: BoolArray  # (T, 672) each member's UTC quarter hours
    row: IntArray  # (T,) the mentee row of each member

    def __post_init__(self) -> None:
        if len(self.hours) != len(self.row):
            raise ValueError("teams need one row per member in hours and row")
        if len(self.hours) and np.shape(self.hours)[1] != SLOTS_PER_WEEK:
            raise ValueError("hours needs 672 columns, one per UTC quarter hour")


@dataclass(frozen=True)
class MatchingProblem:
    mentees: Participants
    mentors: Participants
    capacity: IntArray  # (m,) how many mentees each mentor takes
    rules: Rules = field(default_factory=Rules)
    preferred: Sequence[tuple[int, int]] = ()  # (mentee, mentor) named by the mentee
    excluded: Sequence[tuple[int, int]] = ()  # (mentee, mentor) never to pair
    teams: Teams | None = None  # organization mentoring: each mentee row is a team

    def __post_init__(self) -> None:
        n, m = len(self.mentees), len(self.mentors)
        if len(self.capacity) != m:
            raise ValueError("capacity needs one entry per mentor")
        if self.teams is not None:
            rows = np.asarray(self.teams.row, dtype=np.int64)
            if len(rows) and (rows.min() < 0 or rows.max() >= n):
                raise ValueError("a team member's row is out of range")
            if not np.bincount(rows, minlength=n).all():
                raise ValueError("every team needs at least one member")
        for name in ("preferred", "excluded"):
            for i, j in getattr(self, name):
                if not (0 <= i < n and 0 <= j < m):
                    raise ValueError(f"{name} pair {(i, j)} is out of range")
        for name in ("skills", "languages", "learning"):
            if (
                np.shape(getattr(self.mentees, name))[1:]
                != np.shape(getattr(self.mentors, name))[1:]
            ):
                raise ValueError(f"mentees and mentors need the same {name} columns")
        if not _criterion_weights(self.rules).any():
            raise ValueError("at least one criterion needs a weight above 0")


# -------------------------------------------------------------------------- output


@dataclass(frozen=True)
class Pair:
    mentee: int
    mentor: int
    score: float
    breakdown: dict[Criterion, float]  # points per criterion, adding up to score


@dataclass(frozen=True)
class Unmatched:
    mentee: int
    reason: str


@dataclass(frozen=True)
class MatchResult:
    solver: str
    pairs: list[Pair]
    unmatched: list[Unmatched]
    total: float
    mean: float


@dataclass(frozen=True)
class CandidateCounts:
    """Per mentee, how many mentors are left after each hard rule, in this order.

    Counts rather than masks, so that explaining who stayed unmatched costs O(n).
    """

    with_capacity: int
    sharing_language: IntArray  # (n,)
    enough_overlap: IntArray  # (n,) sharing a language and min_overlap_hours
    not_excluded: IntArray  # (n,)
    above_floor: IntArray  # (n,)
    best_below_floor: FloatArray  # (n,) best score the floor removed, -inf if none


@dataclass(frozen=True)
class ScoreMatrix:
    score: ScoreArray  # (n, m) 0–100; -inf where the pair is infeasible
    candidates: CandidateCounts
    # Each side's ranking for solve_stable (see `score`); -inf where infeasible.
    mentee_utility: ScoreArray | None = None
    mentor_utility: ScoreArray | None = None

    @property
    def feasible(self) -> BoolArray:
        return np.isfinite(self.score)


# ------------------------------------------------------------------------- scoring


def _criterion_weights(rules: Rules) -> FloatArray:
    w = np.array([getattr(rules.weights, c) for c in CRITERIA], dtype=np.float64)
    if rules.culture == "ignore":
        w[CRITERIA.index("culture")] = 0.0
    return w


def criterion_points(rules: Rules) -> dict[Criterion, float]:
    """Points each criterion adds to the 0–100 score when its component is 1."""
    w = _criterion_weights(rules)
    return {c: float(100.0 * wc / w.sum()) for c, wc in zip(CRITERIA, w, strict=True)}


def _pair_index(
    pairs: Sequence[tuple[int, int]], shape: tuple[int, int]
) -> NDArray[np.int64]:
    if not pairs:
        return np.empty(0, dtype=np.int64)
    arr = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    return np.unique(arr[:, 0] * shape[1] + arr[:, 1])


def shared_hours(
    a: BoolArray, b: BoolArray, *, dtype: type[np.floating[Any]] = np.float32
) -> AnyArray:
    """(len(a), len(b)) working hours a week each row of ``a`` shares with each of ``b``.

    ``a`` and ``b`` are (k, 672) quarter-hour masks; the result is a multiple of
    0.25. Exact (small integers in float). Many people share a working pattern, so
    the product is taken over distinct rows only and then spread out: at 20,000 ×
    5,000 people that is a few hundred distinct rows a side instead of 67 GFLOP.
    """
    a, b = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if not len(a) or not len(b):
        return np.zeros((len(a), len(b)), dtype=dtype)
    unique_a, of_a = _distinct_rows(a)
    unique_b, of_b = _distinct_rows(b)
    small = unique_a.astype(dtype) @ unique_b.astype(dtype).T
    small /= dtype(SLOTS_PER_HOUR)
    spread: AnyArray = small[np.ix_(of_a, of_b)]
    return spread


def _distinct_rows(x: BoolArray) -> tuple[BoolArray, NDArray[np.intp]]:
    """(distinct rows, index of each row's distinct row). Rows are packed to bytes
    first: ``np.unique(axis=0)`` on 20,000 × 672 booleans takes seconds."""
    packed = np.packbits(x, axis=1)
    keys = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))
    distinct, inverse = np.unique(keys.ravel(), return_inverse=True)
    rows = np.unpackbits(
        distinct.view(np.uint8).reshape(len(distinct), -1), axis=1, count=x.shape[1]
    ).astype(bool)
    return rows, inverse.ravel().astype(np.intp)


def pair_shared_hours(
    a: BoolArray, b: BoolArray, rows: NDArray[np.intp], cols: NDArray[np.intp]
) -> FloatArray:
    """Shared working hours of the pairs ``(a[rows[k]], b[cols[k]])``, shape (P,)."""
    both = np.logical_and(np.asarray(a, bool)[rows], np.asarray(b, bool)[cols])
    counted: FloatArray = both.sum(axis=1).astype(np.float64) / SLOTS_PER_HOUR
    return counted


def overlap_hours(
    problem: MatchingProblem,
    rows: NDArray[np.intp] | None = None,
    cols: NDArray[np.intp] | None = None,
    *,
    dtype: type[np.floating[Any]] = np.float32,
) -> AnyArray:
    """Working hours a week each mentee shares with each mentor: (n, m), or (P,)
    for the pairs ``(rows[k], cols[k])``. A team's figure is its best member's."""
    e, r, teams = problem.mentees, problem.mentors, problem.teams
    if teams is None:
        if rows is None or cols is None:
            return shared_hours(e.hours, r.hours, dtype=dtype)
        return pair_shared_hours(e.hours, r.hours, rows, cols).astype(dtype)
    member_row = np.asarray(teams.row, dtype=np.intp)
    if rows is None or cols is None:
        best = np.zeros((len(e), len(r)), dtype=dtype)
        np.maximum.at(best, member_row, shared_hours(teams.hours, r.hours, dtype=dtype))
        return best
    # Each pair spreads to its team's members, then keeps the best member's hours.
    by_row = np.argsort(member_row, kind="stable")
    size = np.bincount(member_row, minlength=len(e))
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    per_pair = size[rows]
    pair = np.repeat(np.arange(len(rows)), per_pair)
    within = np.arange(int(per_pair.sum())) - np.repeat(
        np.cumsum(per_pair) - per_pair, per_pair
    )
    members = by_row[np.repeat(first[rows], per_pair) + within]
    hours = pair_shared_hours(teams.hours, r.hours, members, cols[pair])
    best_pairs = np.zeros(len(rows), dtype=np.float64)
    np.maximum.at(best_pairs, pair, hours)
    return best_pairs.astype(dtype)


def _safe_divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    out = np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape))
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def _components(
    problem: MatchingProblem,
    rows: NDArray[np.intp] | None = None,
    cols: NDArray[np.intp] | None = None,
    *,
    mentor_side: bool = False,
) -> Iterator[tuple[str, AnyArray]]:
    """Yield each criterion's component (and "offer_use" if ``mentor_side``).

    Without ``rows``/``cols``: (n, m) float32 matrices, one at a time to bound
    memory. With them: float64 values for just those pairs, shape (P,), which is
    what breakdowns use. Counts are exact in both; the float32 matrices differ
    from the float64 values by rounding only (< 1e-4 points).
    """
    e, r, rules = problem.mentees, problem.mentors, problem.rules
    n, m = len(e), len(r)
    full = rows is None or cols is None
    ri: NDArray[np.intp] = np.arange(n) if rows is None else rows
    ci: NDArray[np.intp] = np.arange(m) if cols is None else cols
    dtype = np.float32 if full else np.float64

    def count(a: AnyArray, b: AnyArray) -> AnyArray:
        left: AnyArray = np.asarray(a, dtype)
        right: AnyArray = np.asarray(b, dtype)
        if full:
            product: AnyArray = left @ right.T
            return product
        pairwise: AnyArray = np.einsum("ij,ij->i", left[ri], right[ci])
        return pairwise

    def outer(fn: np.ufunc, a: AnyArray, b: AnyArray) -> AnyArray:
        result: AnyArray = fn.outer(a, b) if full else fn(a[ri], b[ci])
        return result

    def of_mentee(x: AnyArray) -> AnyArray:
        return x[:, None] if full else x[ri]

    def of_mentor(x: AnyArray) -> AnyArray:
        return x[None, :] if full else x[ci]

    wanted = np.asarray(e.skills, dtype=np.float64)
    if rules.focus_skills is not None:
        wanted = wanted * np.where(rules.focus_skills, rules.focus_boost, 1.0)
    if mentor_side:
        offer_use = count(np.asarray(e.skills), r.skills)
        offer_use *= of_mentor(_reciprocal(np.asarray(r.skills).sum(axis=1), dtype))
        yield "offer_use", offer_use
        del offer_use
    skills = count(wanted, r.skills)
    skills *= of_mentee(_reciprocal(wanted.sum(axis=1), dtype))
    yield "skills", skills
    del skills

    overlap = overlap_hours(
        problem, None if full else ri, None if full else ci, dtype=dtype
    )
    np.minimum(overlap, rules.overlap_target_hours, out=overlap)
    overlap /= dtype(rules.overlap_target_hours)
    yield "overlap", overlap
    del overlap

    yield "language", count(e.languages, r.languages) > 0

    gap = outer(
        np.subtract, np.asarray(e.seniority, dtype), np.asarray(r.seniority, dtype)
    )
    if not rules.reverse:
        np.negative(gap, out=gap)
    np.clip(gap, 0.0, rules.seniority_cap, out=gap)
    gap /= dtype(rules.seniority_cap)
    yield "seniority", gap
    del gap

    if rules.culture == "ignore":
        yield "culture", np.zeros((n, m) if full else len(ri), dtype=bool)
    else:
        fn = np.not_equal if rules.culture == "different" else np.equal
        yield "culture", outer(fn, e.country, r.country)

    same_style = outer(np.equal, e.style, r.style)
    same_style &= of_mentee(np.asarray(e.style) >= 0)
    style = count(e.learning, r.learning)
    union = of_mentee(np.asarray(e.learning).sum(axis=1).astype(dtype)) + of_mentor(
        np.asarray(r.learning).sum(axis=1).astype(dtype)
    )
    union -= style
    # An empty union has an empty intersection: 0 / 1 gives the intended 0.
    np.maximum(union, 1.0, out=union)
    style /= union
    del union
    style *= 0.5
    np.add(style, 0.5, out=style, where=same_style)
    yield "style", style
    del style, same_style

    preferred = _pair_index(problem.preferred, (n, m))
    if full:
        flags = np.zeros(n * m, dtype=bool)
        flags[preferred] = True
        yield "preference", flags.reshape(n, m)
    else:
        yield "preference", np.isin(ri * m + ci, preferred)


def _reciprocal(x: AnyArray, dtype: type[np.floating[Any]]) -> AnyArray:
    """1 / x, and 0 where x is 0 (nothing wanted or offered gives component 0)."""
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros_like(x)
    np.divide(1.0, x, out=out, where=x > 0)
    return out.astype(dtype)


def _side_coefficients(
    points: dict[Criterion, float],
) -> dict[str, tuple[float, float]]:
    """(mentee, mentor) utility coefficient of each component; see `score`."""
    p = points
    return {
        "skills": (2 * p["skills"], 0.0),
        "offer_use": (0.0, p["skills"]),
        "overlap": (p["overlap"], p["overlap"]),
        "language": (p["language"], p["language"]),
        "seniority": (p["seniority"], p["seniority"]),
        "culture": (p["culture"], p["culture"]),
        "style": (p["style"], 2 * p["style"]),
        # Named mentors outrank all others: +100 beats any score difference.
        "preference": (p["preference"] + 100.0 if p["preference"] else 0.0, 0.0),
    }


def score(problem: MatchingProblem, *, side_utilities: bool = False) -> ScoreMatrix:
    """Score every mentee × mentor pair; -inf marks pairs a hard rule forbids.

    With ``side_utilities`` it also builds the two rankings solve_stable uses,
    which differ from the shared score on purpose:

    - a mentee ranks the mentors they named first (when the preference criterion
      is on), then by the score with skills counted twice: mentees come for skills;
    - a mentor ignores the mentee's stated preferences, counts communication style
      twice, and replaces "covers what the mentee wants" with "the mentee wants
      much of what I offer".
    """
    n, m = len(problem.mentees), len(problem.mentors)
    points = criterion_points(problem.rules)
    sides = _side_coefficients(points)
    shape = (n, m)
    total = np.zeros(shape, dtype=np.float32)
    mentee_u = np.zeros(shape, dtype=np.float32) if side_utilities else None
    mentor_u = np.zeros(shape, dtype=np.float32) if side_utilities else None
    scratch = np.empty(shape, dtype=np.float32)
    shares_language: BoolArray = np.ones(shape, dtype=bool)
    for name, comp in _components(problem, mentor_side=side_utilities):
        if name == "language":
            shares_language = np.asarray(comp, dtype=bool)
        weight = points.get(name, 0.0)  # type: ignore[call-overload]
        if weight:
            np.multiply(comp, weight, out=scratch)
            total += scratch
        if mentee_u is None or mentor_u is None:
            continue
        for utility, coefficient in zip((mentee_u, mentor_u), sides[name], strict=True):
            if coefficient:
                np.multiply(comp, coefficient, out=scratch)
                utility += scratch
        del comp
    del scratch

    feasible, candidates = _feasibility(problem, total, shares_language)
    del shares_language
    infeasible = ~feasible
    del feasible
    for matrix in (total, mentee_u, mentor_u):
        if matrix is not None:
            matrix[infeasible] = -np.inf
    return ScoreMatrix(total, candidates, mentee_u, mentor_u)


def _feasibility(
    problem: MatchingProblem, total: ScoreArray, shares_language: BoolArray
) -> tuple[BoolArray, CandidateCounts]:
    n, m = total.shape
    rules = problem.rules
    has_room = np.asarray(problem.capacity) > 0
    feasible = np.broadcast_to(has_room, (n, m)).copy()
    if rules.language_rule == "hard":
        feasible &= shares_language
    sharing_language = feasible.sum(axis=1)
    if rules.min_overlap_hours > 0:
        hours = overlap_hours(problem)
        feasible &= hours >= np.float32(rules.min_overlap_hours)
        del hours
    enough_overlap = feasible.sum(axis=1)
    feasible.ravel()[_pair_index(problem.excluded, (n, m))] = False
    not_excluded = feasible.sum(axis=1)
    best_below = np.full(n, -np.inf)
    if rules.min_score is not None:
        low = feasible & (total < rules.min_score)
        best_below = np.where(low, total, -np.inf).max(axis=1, initial=-np.inf)
        feasible &= ~low
    counts = CandidateCounts(
        with_capacity=int(has_room.sum()),
        sharing_language=sharing_language,
        enough_overlap=enough_overlap,
        not_excluded=not_excluded,
        above_floor=feasible.sum(axis=1),
        best_below_floor=best_below,
    )
    return feasible, counts


def explain(
    problem: MatchingProblem,
    mentees: Sequence[int] | NDArray[np.integer],
    mentors: Sequence[int] | NDArray[np.integer],
) -> FloatArray:
    """Points per criterion (columns in CRITERIA order) for the given pairs only."""
    rows = np.asarray(mentees, dtype=np.intp)
    cols = np.asarray(mentors, dtype=np.intp)
    points = criterion_points(problem.rules)
    out = np.zeros((len(rows), len(CRITERIA)))
    for name, comp in _components(problem, rows, cols):
        if name in CRITERIA:
            out[:, CRITERIA.index(name)] = points[name] * comp
    return out


# ----------------------------------------------------------------- building results


def _unmatched_reason(problem: MatchingProblem, scores: ScoreMatrix, i: int) -> str:
    c = scores.candidates
    hard_language = problem.rules.language_rule == "hard"
    if c.with_capacity == 0:
        return "no mentor in this program has capacity"
    if hard_language and c.sharing_language[i] == 0:
        return "no mentor shares a language"
    if c.enough_overlap[i] == 0:
        who = "who shares a language " if hard_language else ""
        hours = problem.rules.min_overlap_hours
        return f"no mentor {who}shares {hours:g} working hours a week"
    if c.not_excluded[i] == 0:
        who = "every mentor who shares a language" if hard_language else "every mentor"
        return f"{who} is excluded (same reporting line, already paired or declined before)"
    if c.above_floor[i] == 0:
        floor = problem.rules.min_score
        best = c.best_below_floor[i]
        return (
            f"below the minimum score: the best compatible mentor scores {best:.0f} "
            f"of the required {floor:g}"
        )
    return "all compatible mentors are at capacity"


def unmatched_reason(problem: MatchingProblem, scores: ScoreMatrix, i: int) -> str:
    """Why mentee ``i`` has no feasible mentor (or none left): the first rule that
    emptied their list. For callers that pick from the matrix themselves."""
    return _unmatched_reason(problem, scores, i)


def _result(
    solver: str,
    problem: MatchingProblem,
    scores: ScoreMatrix,
    mentees: NDArray[np.intp],
    mentors: NDArray[np.intp],
) -> MatchResult:
    order = np.argsort(mentees, kind="stable")
    mentees, mentors = mentees[order], mentors[order]
    if not np.isfinite(scores.score[mentees, mentors]).all():
        raise AssertionError(f"{solver} paired an infeasible pair")
    if len(np.unique(mentees)) != len(mentees):
        raise AssertionError(f"{solver} gave a mentee two mentors")
    if np.any(np.bincount(mentors, minlength=len(problem.capacity)) > problem.capacity):
        raise AssertionError(f"{solver} overfilled a mentor")
    points = explain(problem, mentees, mentors)
    pairs = []
    for i, j, row in zip(
        mentees.tolist(), mentors.tolist(), points.tolist(), strict=True
    ):
        breakdown: dict[Criterion, float] = dict(zip(CRITERIA, row, strict=True))
        # The float64 sum of the shown points, so they add up to it exactly; the
        # float32 matrix entry the solver used differs by rounding only.
        pairs.append(Pair(i, j, sum(breakdown.values()), breakdown))
    matched = np.zeros(len(problem.mentees), dtype=bool)
    matched[mentees] = True
    unmatched = [
        Unmatched(int(i), _unmatched_reason(problem, scores, int(i)))
        for i in np.flatnonzero(~matched)
    ]
    total = math.fsum(p.score for p in pairs)
    return MatchResult(
        solver, pairs, unmatched, total, total / len(pairs) if pairs else 0.0
    )


def _fill_spare_capacity(
    problem: MatchingProblem,
    scores: ScoreMatrix,
    mentees: NDArray[np.intp],
    mentors: NDArray[np.intp],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Give unmatched mentees the best feasible mentor still having room.

    Only the sparse solver needs it: a mentee whose candidates all filled up may
    still fit a mentor outside its candidate list. Adding pairs never lowers the
    total, since scores are >= 0.
    """
    n = len(problem.mentees)
    load = np.bincount(mentors, minlength=len(problem.capacity))
    matched = np.zeros(n, dtype=bool)
    matched[mentees] = True
    extra_e: list[int] = []
    extra_r: list[int] = []
    for i in np.flatnonzero(~matched & (scores.candidates.above_floor > 0)):
        open_mentors = np.flatnonzero(load < problem.capacity)
        if open_mentors.size == 0:
            break
        row = scores.score[i, open_mentors]
        best = int(np.argmax(row))
        if np.isfinite(row[best]):
            j = int(open_mentors[best])
            load[j] += 1
            extra_e.append(int(i))
            extra_r.append(j)
    return (
        np.concatenate([mentees, np.asarray(extra_e, dtype=np.intp)]),
        np.concatenate([mentors, np.asarray(extra_r, dtype=np.intp)]),
    )


# ------------------------------------------------------------------------- solvers


def solve_optimal(
    problem: MatchingProblem,
    scores: ScoreMatrix | None = None,
    *,
    method: Literal["auto", "dense", "sparse"] = "auto",
) -> MatchResult:
    """Maximum total score: each mentor up to capacity, each mentee at most once.

    ``dense`` (chosen by ``auto`` up to DENSE_CELL_LIMIT mentee × slot cells):
    linear_sum_assignment over mentor columns repeated ``capacity`` times; exact.
    An infeasible cell costs 0, the same as leaving the mentee unmatched, and is
    dropped afterwards, so the rectangular assignment is a true maximum-weight
    matching rather than a maximum-cardinality one.

    ``sparse``: keeps each mentee's SPARSE_MENTEE_CANDIDATES best mentors and each
    mentor's SPARSE_MENTOR_CANDIDATES best mentees and solves that graph as an
    OR-Tools min-cost flow (no slot copies: capacity sits on the mentor → sink
    arc). Optimal on the candidate graph up to 1/FLOW_SCALE rounding per pair;
    on the bench's 5,000 × 1,500 instance it is within 0.005 % of the exact
    optimum at a quarter of the dense time. Mentees still unmatched then get any
    feasible mentor with room left.
    """
    scores = scores if scores is not None else score(problem)
    capacity = np.asarray(problem.capacity, dtype=np.int64).clip(min=0)
    n = len(problem.mentees)
    slots = int(capacity.sum())
    if method == "auto":
        method = "dense" if n * slots <= DENSE_CELL_LIMIT else "sparse"
    if n == 0 or slots == 0:
        mentees = mentors = np.empty(0, dtype=np.intp)
    elif method == "dense":
        mentees, mentors = _assign_dense(scores.score, capacity)
    else:
        mentees, mentors = _assign_sparse(scores.score, capacity)
        mentees, mentors = _fill_spare_capacity(problem, scores, mentees, mentors)
    return _result("optimal", problem, scores, mentees, mentors)


def _linear_sum_assignment(
    matrix: FloatArray, *, maximize: bool
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    # Imported on use: scipy.optimize adds ~0.6 s to the start of every process
    # that imports this module (web and worker processes, via matching services),
    # and most of them never solve.
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(matrix, maximize=maximize)
    return rows, cols


def _assign_dense(
    score_matrix: ScoreArray, capacity: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    slot_mentor = np.repeat(np.arange(len(capacity)), capacity)
    gain = score_matrix[:, slot_mentor].astype(np.float64)
    feasible = np.isfinite(gain)
    gain[~feasible] = 0.0
    gain[feasible] += _MATCH_BONUS
    rows, cols = _linear_sum_assignment(gain, maximize=True)
    keep = feasible[rows, cols]
    return rows[keep].astype(np.intp), slot_mentor[cols[keep]].astype(np.intp)


def _candidate_edges(
    score_matrix: ScoreArray,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    n, m = score_matrix.shape
    k_e = min(SPARSE_MENTEE_CANDIDATES, m)
    k_r = min(SPARSE_MENTOR_CANDIDATES, n)
    cost = -score_matrix
    best_mentors = np.argpartition(cost, k_e - 1, axis=1)[:, :k_e]
    best_mentees = np.argpartition(cost, k_r - 1, axis=0)[:k_r, :]
    del cost
    rows = np.concatenate([np.repeat(np.arange(n), k_e), best_mentees.ravel()]).astype(
        np.intp
    )
    cols = np.concatenate([best_mentors.ravel(), np.tile(np.arange(m), k_r)]).astype(
        np.intp
    )
    flat = np.unique(rows * m + cols)
    rows, cols = np.divmod(flat, m)
    keep = np.isfinite(score_matrix[rows, cols])
    return rows[keep], cols[keep]


def _assign_sparse(
    score_matrix: ScoreArray, capacity: NDArray[np.int64]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Min-cost flow: source → mentee (1) → mentor (1) → sink (capacity).

    A source → sink bypass lets mentees stay unmatched at cost 0, so the flow
    maximises total score rather than the number of pairs. Costs are integers:
    scores in units of 1/FLOW_SCALE, minus one unit so that a pair beats no pair.
    """
    n, m = score_matrix.shape
    rows, cols = _candidate_edges(score_matrix)
    gain = np.round(score_matrix[rows, cols] * FLOW_SCALE).astype(np.int64) + 1
    source, sink = n + m, n + m + 1
    mentee_nodes = np.arange(n)
    mentor_nodes = n + np.arange(m)
    tails = np.concatenate([np.full(n, source), rows, mentor_nodes, [source]])
    heads = np.concatenate([mentee_nodes, n + cols, np.full(m, sink), [sink]])
    capacities = np.concatenate([np.ones(n + len(rows), dtype=np.int64), capacity, [n]])
    costs = np.concatenate(
        [np.zeros(n, dtype=np.int64), -gain, np.zeros(m + 1, dtype=np.int64)]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    supplies = np.zeros(n + m + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n, -n
    flow.set_nodes_supplies(np.arange(n + m + 2), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    used = flow.flows(arcs[n : n + len(rows)]) > 0
    return rows[used].astype(np.intp), cols[used].astype(np.intp)


def solve_greedy(
    problem: MatchingProblem, scores: ScoreMatrix | None = None
) -> MatchResult:
    """Baseline: take pairs best-first while mentee and mentor are both free."""
    scores = scores if scores is not None else score(problem)
    n, m = scores.score.shape
    room = np.asarray(problem.capacity, dtype=np.int64).clip(min=0).copy()
    taken = np.zeros(n, dtype=bool)
    mentees: list[int] = []
    mentors: list[int] = []
    flat = scores.score.ravel()
    candidates = np.flatnonzero(np.isfinite(flat))
    # Ties go to the lower mentee, then the lower mentor: the stable sort keeps
    # flat (row-major) order among equal scores.
    order = candidates[np.argsort(-flat[candidates], kind="stable")]
    chunk = max(4 * n, 1024)
    for start in range(0, len(order), chunk):
        if taken.all() or not room.any():
            break
        block_e, block_r = np.divmod(order[start : start + chunk], m)
        # Cheap vectorised pre-filter; the exact check happens in the loop.
        live = ~taken[block_e] & (room[block_r] > 0)
        for i, j in zip(block_e[live].tolist(), block_r[live].tolist(), strict=True):
            if not taken[i] and room[j] > 0:
                taken[i] = True
                room[j] -= 1
                mentees.append(i)
                mentors.append(j)
    return _result(
        "greedy",
        problem,
        scores,
        np.asarray(mentees, dtype=np.intp),
        np.asarray(mentors, dtype=np.intp),
    )


@dataclass(frozen=True)
class Suggestion:
    mentee: int
    mentor: int
    rank: int  # 1 = the mentee's best feasible mentor
    score: float
    breakdown: dict[Criterion, float]  # points per criterion, adding up to score


@dataclass(frozen=True)
class SuggestionResult:
    suggestions: list[Suggestion]  # by mentee, then rank
    unmatched: list[Unmatched]  # mentees with no feasible mentor at all


def suggest(
    problem: MatchingProblem,
    scores: ScoreMatrix | None = None,
    *,
    per_mentee: int,
) -> SuggestionResult:
    """Each mentee's ``per_mentee`` best feasible mentors, best first, for the
    mentee to pick from (a "mentees choose" run): no assignment, so a mentor may
    be suggested to any number of mentees.

    Ties go to the lower mentor index (stable sort). A mentee with no feasible
    mentor is unmatched, with the first hard rule that emptied their list. A
    suggestion's breakdown is recomputed in float64 and its score is the exact
    (``math.fsum``) sum of it.
    """
    scores = scores if scores is not None else score(problem)
    matrix = scores.score
    k = min(per_mentee, matrix.shape[1])
    rows: list[int] = []
    columns: list[int] = []
    ranks: list[int] = []
    unmatched: list[Unmatched] = []
    best = (
        np.argsort(-matrix, axis=1, kind="stable")[:, :k]
        if k > 0
        else np.empty((matrix.shape[0], 0), dtype=np.intp)
    )
    for i in range(matrix.shape[0]):
        chosen = [int(j) for j in best[i] if np.isfinite(matrix[i, j])]
        if not chosen:
            unmatched.append(Unmatched(i, _unmatched_reason(problem, scores, i)))
        for rank, j in enumerate(chosen, start=1):
            rows.append(i)
            columns.append(j)
            ranks.append(rank)
    points = explain(problem, rows, columns)
    suggestions = []
    for i, j, rank, row in zip(rows, columns, ranks, points.tolist(), strict=True):
        breakdown: dict[Criterion, float] = dict(zip(CRITERIA, row, strict=True))
        suggestions.append(
            Suggestion(i, j, rank, math.fsum(breakdown.values()), breakdown)
        )
    return SuggestionResult(suggestions, unmatched)


@dataclass(frozen=True)
class StablePreferences:
    """Strict preference lists derived from the side utilities.

    Ties go to the lower index, so the lists are deterministic.
    """

    mentee_order: NDArray[np.int32]  # (n, m) mentors, best first; row i valid to length
    mentee_list_length: IntArray  # (n,) acceptable mentors per mentee
    # (n, m) mentor j's key for mentee i: lower is preferred, unique within a column.
    mentor_key: NDArray[np.int64]

    def mentee_lists(self) -> list[list[int]]:
        return [
            row[:k].tolist()
            for row, k in zip(self.mentee_order, self.mentee_list_length, strict=True)
        ]

    def mentor_lists(self, feasible: BoolArray) -> list[list[int]]:
        lists = []
        for j in range(self.mentor_key.shape[1]):
            who = np.flatnonzero(feasible[:, j])
            lists.append(who[np.argsort(self.mentor_key[who, j])].tolist())
        return lists


def _preference_keys(utility: ScoreArray, axis: int) -> NDArray[np.int64]:
    """Unique int64 keys, ascending = preferred: the utility, then the lower index.

    The utility's float32 bits, made monotone, fill the high half and the index
    along ``axis`` the low half. Sorting such keys is about three times faster
    than a stable argsort of the floats, and comparing them needs no rank table.
    """
    bits = (np.negative(utility) + np.float32(0.0)).view(np.int32)  # + 0 drops -0.0
    bits ^= (bits >> 31) & np.int32(0x7FFFFFFF)
    index = np.arange(utility.shape[axis], dtype=np.int64)
    return (bits.astype(np.int64) << 32) | (
        index[None, :] if axis == 1 else index[:, None]
    )


def stable_preferences(scores: ScoreMatrix) -> StablePreferences:
    if scores.mentee_utility is None or scores.mentor_utility is None:
        raise ValueError("score the problem with side_utilities=True first")
    keys = _preference_keys(scores.mentee_utility, axis=1)
    keys.sort(axis=1)
    order = (keys & 0xFFFFFFFF).astype(np.int32)
    del keys
    return StablePreferences(
        mentee_order=order,
        mentee_list_length=scores.feasible.sum(axis=1),
        mentor_key=_preference_keys(scores.mentor_utility, axis=0),
    )


def solve_stable(
    problem: MatchingProblem, scores: ScoreMatrix | None = None
) -> MatchResult:
    """Mentee-proposing deferred acceptance (hospital–residents), mentee-optimal.

    Preferences come from the side utilities described in `score`. The result is
    stable: no mentee and mentor both prefer each other to what they got, where a
    mentor with a free slot prefers any acceptable mentee to the empty slot.
    """
    if scores is None or scores.mentee_utility is None:
        scores = score(problem, side_utilities=True)
    prefs = stable_preferences(scores)
    mentor_of = _deferred_acceptance(prefs, np.asarray(problem.capacity, np.int64))
    mentees = np.flatnonzero(mentor_of >= 0).astype(np.intp)
    return _result(
        "stable", problem, scores, mentees, mentor_of[mentees].astype(np.intp)
    )


_NEVER = np.iinfo(np.int64).min
_ANYONE = np.iinfo(np.int64).max


def _deferred_acceptance(
    prefs: StablePreferences, capacity: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Array-based Gale–Shapley; returns each mentee's mentor or -1.

    All free mentees propose at once each round. A mentee skips mentors that
    would reject it right now (full of mentees they prefer): a mentor's bar only
    rises, so those proposals would fail forever, and since the mentee-optimal
    outcome is the same for every proposal order, skipping them changes nothing.
    That turns thousands of rounds into a few dozen.
    """
    order = prefs.mentee_order
    n, m = order.shape
    key_of_choice = np.take_along_axis(prefs.mentor_key, order, axis=1)
    length = np.asarray(prefs.mentee_list_length)
    # A mentor accepts a key below its bar: anyone while it has room, better
    # than its worst held mentee once full, no one without capacity.
    bar = np.where(capacity > 0, _ANYONE, _NEVER)
    next_choice = np.zeros(n, dtype=np.int64)
    held_e = held_r = held_key = np.empty(0, dtype=np.int64)
    free = np.flatnonzero(length > 0)
    position = np.arange(m)
    while free.size:
        choices = order[free]
        acceptable = key_of_choice[free] < bar[choices]
        acceptable &= position >= next_choice[free, None]
        acceptable &= position < length[free, None]
        proposing = acceptable.any(axis=1)
        first = acceptable.argmax(axis=1)[proposing]
        proposers = free[proposing]
        next_choice[proposers] = first + 1
        all_e = np.concatenate([held_e, proposers])
        all_r = np.concatenate([held_r, choices[proposing, first]])
        all_key = np.concatenate([held_key, key_of_choice[proposers, first]])
        by_mentor = np.lexsort((all_key, all_r))
        all_e, all_r, all_key = all_e[by_mentor], all_r[by_mentor], all_key[by_mentor]
        seat = np.arange(len(all_r)) - np.searchsorted(all_r, all_r, side="left")
        keep = seat < capacity[all_r]
        free = all_e[~keep]
        held_e, held_r, held_key = all_e[keep], all_r[keep], all_key[keep]
        worst = np.full(m, _NEVER)
        np.maximum.at(worst, held_r, held_key)
        full = np.bincount(held_r, minlength=m) >= capacity
        bar = np.where(full, worst, _ANYONE)
    mentor_of = np.full(n, -1, dtype=np.int64)
    mentor_of[held_e] = held_r
    return mentor_of


def blocking_pairs(
    prefs: StablePreferences, capacity: IntArray, mentor_of: IntArray
) -> list[tuple[int, int]]:
    """Every (mentee, mentor) pair that would rather be together; [] if stable."""
    n, m = prefs.mentor_key.shape
    capacity = np.asarray(capacity)
    mentor_of = np.asarray(mentor_of)
    # Position of each mentor in each mentee's list; past the length = unacceptable.
    position = np.empty((n, m), dtype=np.int64)
    np.put_along_axis(
        position, prefs.mentee_order.astype(np.int64), np.arange(m)[None, :], axis=1
    )
    acceptable = position < np.asarray(prefs.mentee_list_length)[:, None]
    matched = mentor_of >= 0
    current = np.where(matched, position[np.arange(n), mentor_of.clip(min=0)], m)
    mentee_wants = acceptable & (position < current[:, None])
    load = np.bincount(mentor_of[matched], minlength=m)
    worst = np.full(m, _NEVER)
    np.maximum.at(
        worst, mentor_of[matched], prefs.mentor_key[matched, mentor_of[matched]]
    )
    mentor_wants = (load < capacity)[None, :] | (prefs.mentor_key < worst[None, :])
    rows, cols = np.nonzero(mentee_wants & mentor_wants)
    return list(zip(rows.tolist(), cols.tolist(), strict=True))


# ------------------------------------------------------------------------ circles


@dataclass(frozen=True)
class CircleProblem:
    """Group or peer program: participants sit in circles around facilitators."""

    participant_skills: BoolArray  # (p, S) focus skills each participant wants
    participant_hours: BoolArray  # (p, 672) UTC quarter hours
    facilitator_skills: BoolArray  # (f, S)
    facilitator_hours: BoolArray  # (f, 672)
    size: int  # target participants per circle, facilitators not counted
    min_size: int
    max_size: int
    facilitators_per_circle: int = 1
    focus_skills: BoolArray | None = None  # (S,) program focus area, counts double
    skills_weight: int = 3
    overlap_weight: int = 2
    overlap_target_hours: float = 10.0

    def __post_init__(self) -> None:
        if not 1 <= self.min_size <= self.size <= self.max_size:
            raise ValueError("need 1 <= min_size <= size <= max_size")
        if self.facilitators_per_circle < 1:
            raise ValueError("a circle needs at least one facilitator")
        if self.skills_weight + self.overlap_weight <= 0:
            raise ValueError("at least one of the weights must be above 0")


@dataclass(frozen=True)
class Circle:
    facilitators: list[int]
    participants: list[int]
    score: float  # mean pairwise affinity of all members, 0–100
    common_hours: int  # whole hours a week when every member is available
    shared_skills: list[int]  # skills wanted by at least half the participants


@dataclass(frozen=True)
class Unplaced:
    participant: int
    reason: str


@dataclass(frozen=True)
class CircleResult:
    circles: list[Circle]
    unplaced: list[Unplaced]
    unused_facilitators: list[int]


def _affinity(
    skills_a: BoolArray,
    hours_a: BoolArray,
    skills_b: BoolArray,
    hours_b: BoolArray,
    problem: CircleProblem,
) -> FloatArray:
    """Pairwise 0–1 affinity: weighted Jaccard of skills and capped shared hours."""
    v = np.ones(skills_a.shape[1])
    if problem.focus_skills is not None:
        v[np.asarray(problem.focus_skills, dtype=bool)] = 2.0
    a = np.asarray(skills_a, np.float64) * v
    b = np.asarray(skills_b, np.float64)
    shared = a @ b.T
    union = a.sum(axis=1)[:, None] + (b * v).sum(axis=1)[None, :] - shared
    skill = _safe_divide(shared, union)
    hours = shared_hours(hours_a, hours_b, dtype=np.float64)
    target = problem.overlap_target_hours
    overlap = np.minimum(hours, target) / target
    ws, wo = problem.skills_weight, problem.overlap_weight
    return (ws * skill + wo * overlap) / (ws + wo)


def solve_circles(problem: CircleProblem, *, max_rounds: int = 2000) -> CircleResult:
    """Partition participants into circles, maximising affinity within circles.

    1. Circle count: as close to ``participants / size`` as the bounds and the
       facilitators allow. The first circles' leads are the facilitators with the
       most working hours; further facilitators join the lead they fit best.
    2. Start: linear_sum_assignment of participants to circle seats (sizes as
       even as possible), scoring a seat by affinity to the circle's
       facilitators.
    3. Improve: best-improvement swaps of two participants in different circles,
       or of a seated and an unseated participant, on the total pairwise affinity
       of every circle (facilitators included). Swaps keep every size in bounds.
    """
    p = len(problem.participant_skills)
    f = len(problem.facilitator_skills)
    groups = f // problem.facilitators_per_circle
    wanted = max(1, round(p / problem.size), math.ceil(p / problem.max_size))
    k = min(groups, wanted, p // problem.min_size)
    if k == 0:
        reason = (
            "not enough facilitators for a circle"
            if groups == 0
            else "too few participants for a circle of the minimum size"
        )
        return CircleResult([], [Unplaced(i, reason) for i in range(p)], list(range(f)))

    facilitators = _group_facilitators(problem, k)
    used = {x for group in facilitators for x in group}
    pp = _affinity(
        problem.participant_skills,
        problem.participant_hours,
        problem.participant_skills,
        problem.participant_hours,
        problem,
    )
    np.fill_diagonal(pp, 0.0)
    pf = _affinity(
        problem.participant_skills,
        problem.participant_hours,
        problem.facilitator_skills,
        problem.facilitator_hours,
        problem,
    )
    to_circle = np.stack([pf[:, group].sum(axis=1) for group in facilitators], axis=1)
    circle_of = _seat_participants(problem, to_circle, k)
    circle_of = _improve_circles(pp, to_circle, circle_of, k, max_rounds)

    ff = _affinity(
        problem.facilitator_skills,
        problem.facilitator_hours,
        problem.facilitator_skills,
        problem.facilitator_hours,
        problem,
    )
    circles = []
    for c in range(k):
        members = np.flatnonzero(circle_of == c)
        hosts = np.asarray(facilitators[c])
        pair_sum = (
            pp[np.ix_(members, members)].sum() / 2 + pf[np.ix_(members, hosts)].sum()
        )
        pair_sum += np.triu(ff[np.ix_(hosts, hosts)], 1).sum()
        size = len(members) + len(hosts)
        pairs = size * (size - 1) / 2
        hours = np.concatenate(
            [problem.participant_hours[members], problem.facilitator_hours[hosts]]
        ).all(axis=0)
        skill_share = np.asarray(problem.participant_skills[members], np.float64).mean(
            axis=0
        )
        circles.append(
            Circle(
                facilitators=hosts.tolist(),
                participants=members.tolist(),
                score=float(100.0 * pair_sum / pairs) if pairs else 0.0,
                common_hours=int(hours.sum()) // SLOTS_PER_HOUR,
                shared_skills=np.flatnonzero(skill_share >= 0.5).tolist(),
            )
        )
    reason = (
        "every circle is full and no facilitator is free for another"
        if k == groups
        else "every circle is full and too few remain for another circle"
    )
    unplaced = [Unplaced(int(i), reason) for i in np.flatnonzero(circle_of < 0)]
    return CircleResult(circles, unplaced, sorted(set(range(f)) - used))


def _group_facilitators(problem: CircleProblem, k: int) -> list[list[int]]:
    by_hours = np.argsort(
        -np.asarray(problem.facilitator_hours).sum(axis=1), kind="stable"
    )
    leads = by_hours[:k]
    groups = [[int(x)] for x in leads]
    extra_seats = problem.facilitators_per_circle - 1
    rest = by_hours[k:]
    if extra_seats and rest.size:
        fit = _affinity(
            problem.facilitator_skills[rest],
            problem.facilitator_hours[rest],
            problem.facilitator_skills[leads],
            problem.facilitator_hours[leads],
            problem,
        )
        seat_circle = np.repeat(np.arange(k), extra_seats)
        rows, cols = _linear_sum_assignment(fit[:, seat_circle], maximize=True)
        for row, col in zip(rows, cols, strict=True):
            groups[int(seat_circle[col])].append(int(rest[row]))
    return groups


def _seat_participants(
    problem: CircleProblem, to_circle: FloatArray, k: int
) -> NDArray[np.int64]:
    p = len(to_circle)
    seats = min(p, k * problem.max_size)
    per_circle = np.full(k, seats // k)
    per_circle[: seats % k] += 1
    seat_circle = np.repeat(np.arange(k), per_circle)
    # seats <= p, so every seat is filled and sizes stay within the bounds.
    rows, cols = _linear_sum_assignment(to_circle[:, seat_circle], maximize=True)
    circle_of = np.full(p, -1, dtype=np.int64)
    circle_of[rows] = seat_circle[cols]
    return circle_of


def _improve_circles(
    pp: FloatArray,
    to_circle: FloatArray,
    circle_of: NDArray[np.int64],
    k: int,
    max_rounds: int,
) -> NDArray[np.int64]:
    p = len(pp)
    circle_of = circle_of.copy()
    # gain[x, c]: affinity x would have in circle c (others there + its hosts);
    # column k is "unseated", worth nothing.
    member = np.zeros((p, k + 1))
    member[np.arange(p), np.where(circle_of >= 0, circle_of, k)] = 1.0
    gain = pp @ member + np.concatenate([to_circle, np.zeros((p, 1))], axis=1)
    gain[:, k] = 0.0
    for _ in range(max_rounds):
        c = np.where(circle_of >= 0, circle_of, k)
        move = gain[:, c] - gain[np.arange(p), c][:, None]  # x takes y's place
        seated = c < k
        # Leaving the unseated pool costs no affinity with the one who replaces you.
        both_seated = seated[:, None] & seated[None, :]
        delta = move + move.T - pp * np.where(both_seated, 2.0, 1.0)
        delta[c[:, None] == c[None, :]] = -np.inf
        best = int(np.argmax(delta))
        x, y = divmod(best, p)
        if not delta[x, y] > 1e-12:
            break
        cx, cy = c[x], c[y]
        gain[:, cx] += pp[:, y] - pp[:, x]
        gain[:, cy] += pp[:, x] - pp[:, y]
        gain[:, k] = 0.0
        circle_of[x], circle_of[y] = (cy if cy < k else -1), (cx if cx < k else -1)
    return circle_of
