"""Benchmark the matching solvers on seeded synthetic organizations.

Run from the repository root: ``.venv/bin/python bench/matching.py``. Prints a
table per size, then, as the very last line, one JSON object with every number.

- small: 1,000 mentees × 200 mentors, capacity 5: optimal ("engine"), stable,
  greedy, and the PyPI ``matching`` library's hospital–resident solver ("peer",
  fed the same preference lists as our stable solver). The peer is slow (seconds
  here, where hard rules shorten its lists; minutes with complete lists); pass
  ``--no-peer`` to skip it.
- large: 5,000 mentees × 1,500 mentors, capacity 1–4: engine, stable, greedy.
- huge: 20,000 mentees × 5,000 mentors, capacity 1–4: engine and greedy (goal:
  engine under 20 s and 4 GB, scoring included, with the highest total).
  ``--sizes small,large`` (the default) or ``--sizes huge`` picks the sizes.

Working hours are ``mentorship.localtime.utc_week_mask``'s 15-minute UTC slots,
so half-hour and 45-minute zones (Kolkata, St John's, Kathmandu, Adelaide) count
exactly.

``wall_s`` includes scoring, measured once per size and added to every solver's
own time (stable's scoring also builds the side utilities). ``peak_mb`` is the
resident memory added at the peak of scoring + solving: the larger of scoring's
own peak and the kept score matrices plus the solver's peak (VmHWM, reset
through /proc/self/clear_refs before each step; the peer: its run alone).
``overlap2h_pct`` is the share of pairs sharing at least 10 working hours a
week, i.e. 2 h a day (``engine.pair_shared_hours``, the engine's own figure).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import re
import sys
import threading
import time as clock
from collections.abc import Callable
from datetime import date, time
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

# Run as a script, sys.path[0] is bench/, where this very file would shadow the
# `matching` app; put the repository root first instead.
REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [str(REPO)] + [
    p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"
]

# The engine imports scipy.optimize on first use; import it now to keep that
# one-time cost out of the timings.
import scipy.optimize  # noqa: E402, F401

from matching import engine  # noqa: E402
from mentorship import localtime  # noqa: E402

ZONES = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/St_Johns",
    "Europe/London",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Warsaw",
    "Europe/Istanbul",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Adelaide",
    "Australia/Sydney",
)
N_COUNTRIES = 30
N_LANGUAGES = 12
N_SKILLS = 200
N_LEARNING = 6
N_STYLES = 4
WEEK_OF = date(2025, 3, 12)
SUN_TO_THU = {6, 0, 1, 2, 3}
MON_TO_FRI = {0, 1, 2, 3, 4}


@cache
def _hours_mask(zone: str, start_hour: int, sunday_week: bool) -> np.ndarray:
    days = frozenset(SUN_TO_THU if sunday_week else MON_TO_FRI)
    pattern = localtime.WorkingPattern(
        zone, time(start_hour), time(start_hour + 8), days
    )
    return localtime.utc_week_mask(pattern, localtime.week_monday(WEEK_OF))


def _people(
    rng: np.random.Generator, k: int, *, skill_range: tuple[int, int], senior: bool
) -> engine.Participants:
    country = rng.integers(0, N_COUNTRIES, k)
    # 30 countries over 25 zones: the last five share a zone with another country.
    zone = country % len(ZONES)
    languages = np.zeros((k, N_LANGUAGES), dtype=bool)
    languages[np.arange(k), 1 + country % (N_LANGUAGES - 1)] = True
    languages[:, 0] |= rng.random(k) < 0.7  # English as a shared second language
    third = rng.random(k) < 0.2
    languages[np.flatnonzero(third), rng.integers(0, N_LANGUAGES, third.sum())] = True

    popularity = 1.0 / (np.arange(N_SKILLS) + 5.0)
    popularity /= popularity.sum()
    skills = np.zeros((k, N_SKILLS), dtype=bool)
    counts = rng.integers(skill_range[0], skill_range[1] + 1, k)
    for i, c in enumerate(counts):
        skills[i, rng.choice(N_SKILLS, c, replace=False, p=popularity)] = True

    start = rng.integers(7, 11, k)
    sunday_week = country % 10 == 7
    hours = np.stack(
        [
            _hours_mask(ZONES[z], int(s), bool(w))
            for z, s, w in zip(zone, start, sunday_week, strict=True)
        ]
    )
    learning = rng.random((k, N_LEARNING)) < 0.35
    style = rng.integers(0, N_STYLES, k)
    style[rng.random(k) < 0.1] = -1
    seniority = rng.integers(3, 9, k) if senior else rng.integers(1, 6, k)
    return engine.Participants(
        skills=skills,
        hours=hours,
        languages=languages,
        seniority=seniority,
        country=country,
        style=style,
        learning=learning,
    )


def build_problem(
    seed: int, n: int, m: int, capacity: Callable[[np.random.Generator], np.ndarray]
) -> engine.MatchingProblem:
    rng = np.random.default_rng(seed)
    mentees = _people(rng, n, skill_range=(2, 6), senior=False)
    mentors = _people(rng, m, skill_range=(4, 12), senior=True)
    preferred = [
        (int(i), int(j))
        for i in np.flatnonzero(rng.random(n) < 0.25)
        for j in rng.choice(m, rng.integers(1, 4), replace=False)
    ]
    # Same reporting line / earlier pairings: about two excluded mentors each.
    excluded = [(i, int(j)) for i in range(n) for j in rng.choice(m, 2, replace=False)]
    focus = np.zeros(N_SKILLS, dtype=bool)
    focus[:10] = True
    return engine.MatchingProblem(
        mentees=mentees,
        mentors=mentors,
        capacity=capacity(rng),
        rules=engine.Rules(culture="different", focus_skills=focus),
        preferred=preferred,
        excluded=excluded,
    )


# ---------------------------------------------------------------------- measuring


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> int:
    """Reset VmHWM to the current RSS; return that RSS in kB."""
    # Without it the peak covers the whole process so far: still an upper bound.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return _status_kb("VmRSS")


def _measure(run: Callable[[], Any]) -> tuple[Any, float, float]:
    base = _reset_peak()
    start = clock.perf_counter()
    out = run()
    wall = clock.perf_counter() - start
    peak_mb = max(0, _status_kb("VmHWM") - base) / 1024
    return out, wall, peak_mb


def _row(
    problem: engine.MatchingProblem,
    mentees: np.ndarray,
    mentors: np.ndarray,
    scores: np.ndarray,
    wall: float,
    peak_mb: float,
) -> dict[str, float]:
    n = len(problem.mentees)
    overlap = engine.pair_shared_hours(
        problem.mentees.hours, problem.mentors.hours, mentees, mentors
    )
    pairs = len(mentees)
    return {
        "wall_s": round(wall, 3),
        "peak_mb": round(peak_mb, 1),
        "total": round(float(math.fsum(scores)), 1),
        "mean": round(float(np.mean(scores)) if pairs else 0.0, 2),
        "matched_pct": round(100.0 * pairs / n, 2),
        "overlap2h_pct": round(
            100.0 * float(np.mean(overlap >= 10)) if pairs else 0, 2
        ),
    }


def _row_from_result(
    problem: engine.MatchingProblem,
    result: engine.MatchResult,
    wall: float,
    peak: float,
) -> dict[str, float]:
    mentees = np.array([p.mentee for p in result.pairs], dtype=np.intp)
    mentors = np.array([p.mentor for p in result.pairs], dtype=np.intp)
    scores = np.array([p.score for p in result.pairs])
    return _row(problem, mentees, mentors, scores, wall, peak)


def run_engine_solvers(
    problem: engine.MatchingProblem, *, stable: bool = True
) -> tuple[
    dict[str, dict[str, float]], dict[str, engine.MatchResult], engine.ScoreMatrix
]:
    scores, score_s, score_mb = _measure(lambda: engine.score(problem))
    sided, sided_s, sided_mb = scores, 0.0, 0.0
    if stable:
        sided, sided_s, sided_mb = _measure(
            lambda: engine.score(problem, side_utilities=True)
        )
    print(
        f"  scoring: {score_s:.3f} s ({score_mb:.0f} MB); "
        f"with side utilities: {sided_s:.3f} s ({sided_mb:.0f} MB)"
    )
    rows: dict[str, dict[str, float]] = {}
    results: dict[str, engine.MatchResult] = {}
    plan: list[tuple[str, Callable[[], engine.MatchResult], float, float]] = [
        ("engine", lambda: engine.solve_optimal(problem, scores), score_s, score_mb),
        ("stable", lambda: engine.solve_stable(problem, sided), sided_s, sided_mb),
        ("greedy", lambda: engine.solve_greedy(problem, scores), score_s, score_mb),
    ]
    if not stable:
        plan = [row for row in plan if row[0] != "stable"]
    for name, solve, pre_s, pre_mb in plan:
        result, wall, peak = _measure(solve)
        kept = _matrices_mb(sided if name == "stable" else scores)
        results[name] = result
        rows[name] = _row_from_result(
            problem, result, pre_s + wall, max(pre_mb, kept + peak)
        )
    return rows, results, sided


def _matrices_mb(scores: engine.ScoreMatrix) -> float:
    arrays = (scores.score, scores.mentee_utility, scores.mentor_utility)
    return sum(a.nbytes for a in arrays if a is not None) / 2**20


# --------------------------------------------------------------------------- peer


def _load_peer_library() -> ModuleType:
    """Import the PyPI `matching` package, whose name our app also uses.

    The library imports itself by absolute name, so it is loaded while our
    `matching` modules are set aside and the repository is off sys.path; its
    modules keep their bindings after ours are put back.
    """
    ours = {k: v for k, v in sys.modules.items() if k.split(".")[0] == "matching"}
    saved_path = sys.path[:]
    for key in ours:
        del sys.modules[key]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO]
    try:
        games = importlib.import_module("matching.games")
    finally:
        for key in [k for k in sys.modules if k.split(".")[0] == "matching"]:
            del sys.modules[key]
        sys.modules.update(ours)
        sys.path[:] = saved_path
    return games


def run_peer(
    problem: engine.MatchingProblem, sided: engine.ScoreMatrix
) -> tuple[dict[str, float], np.ndarray]:
    games = _load_peer_library()
    prefs = engine.stable_preferences(sided)
    feasible = sided.feasible
    mentee_lists = prefs.mentee_lists()
    mentor_lists = prefs.mentor_lists(feasible)
    resident_prefs = {i: lst for i, lst in enumerate(mentee_lists) if lst}
    hospital_prefs = {j: lst for j, lst in enumerate(mentor_lists) if lst}
    capacities = {j: int(problem.capacity[j]) for j in hospital_prefs}

    outcome: dict[str, Any] = {}

    def solve() -> None:
        game = games.HospitalResident.create_from_dictionaries(
            resident_prefs, hospital_prefs, capacities
        )
        outcome["matching"] = game.solve(optimal="resident")

    # The library deep-copies its player graph recursively (matching#139).
    sys.setrecursionlimit(2_000_000)
    threading.stack_size(1 << 30)
    worker = threading.Thread(target=solve)
    _, wall, peak = _measure(lambda: (worker.start(), worker.join()))
    threading.stack_size(0)
    mentor_of = np.full(len(problem.mentees), -1, dtype=np.int64)
    for hospital, residents in outcome["matching"].items():
        for resident in residents:
            mentor_of[resident.name] = hospital.name
    mentees = np.flatnonzero(mentor_of >= 0)
    mentors = mentor_of[mentees]
    # Same float64 pair scores as our solvers' results report.
    scores = engine.explain(problem, mentees, mentors).sum(axis=1)
    return _row(problem, mentees, mentors, scores, wall, peak), mentor_of


# ---------------------------------------------------------------------- reporting


def print_table(title: str, rows: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}")
    header = f"{'solver':<8} {'wall s':>8} {'peak MB':>8} {'total':>11} {'mean':>7} {'matched %':>10} {'≥2h/day %':>10}"
    print(header)
    print("-" * len(header))
    for name, r in rows.items():
        print(
            f"{name:<8} {r['wall_s']:>8.3f} {r['peak_mb']:>8.1f} {r['total']:>11.1f} "
            f"{r['mean']:>7.2f} {r['matched_pct']:>10.2f} {r['overlap2h_pct']:>10.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-peer", action="store_true", help="skip the slow peer")
    parser.add_argument(
        "--sizes", default="small,large", help="comma-separated: small, large, huge"
    )
    args = parser.parse_args()
    sizes = set(args.sizes.split(","))
    report: dict[str, dict[str, dict[str, float]]] = {}
    checks: list[str] = []
    if "small" in sizes:
        _small(report, checks, peer=not args.no_peer)
    if "large" in sizes:
        print("\nlarge: 5,000 mentees × 1,500 mentors, capacity 1–4")
        large = build_problem(2, 5000, 1500, lambda rng: rng.integers(1, 5, 1500))
        rows, _, _ = run_engine_solvers(large)
        report["large"] = rows
        print_table("large", rows)
        engine_s = rows["engine"]["wall_s"]
        checks.append(
            f"large: engine wall {engine_s:.3f} s, scoring included (target < 3 s)"
        )
    if "huge" in sizes:
        print("\nhuge: 20,000 mentees × 5,000 mentors, capacity 1–4")
        huge = build_problem(3, 20_000, 5_000, lambda rng: rng.integers(1, 5, 5_000))
        rows, _, _ = run_engine_solvers(huge, stable=False)
        report["huge"] = rows
        print_table("huge", rows)
        r = rows["engine"]
        checks.append(
            f"huge: engine wall {r['wall_s']:.3f} s (target < 20 s), "
            f"peak {r['peak_mb']:.0f} MB (target < 4096 MB)"
        )
    for size, size_rows in report.items():
        best = max(size_rows, key=lambda name: size_rows[name]["total"])
        checks.append(f"{size}: highest total: {best}")
    print("\n" + "\n".join(checks))
    print(json.dumps(report))


def _small(
    report: dict[str, dict[str, dict[str, float]]], checks: list[str], *, peer: bool
) -> None:
    print("small: 1,000 mentees × 200 mentors, capacity 5")
    small = build_problem(1, 1000, 200, lambda rng: np.full(200, 5))
    rows, results, sided = run_engine_solvers(small)
    if peer:
        rows["peer"], peer_mentor_of = run_peer(small, sided)
        ours = np.full(len(small.mentees), -1, dtype=np.int64)
        for pair in results["stable"].pairs:
            ours[pair.mentee] = pair.mentor
        same = bool(np.array_equal(ours, peer_mentor_of))
        ratio = rows["peer"]["wall_s"] / max(rows["stable"]["wall_s"], 1e-9)
        checks.append(f"small: stable == peer (same pairs): {same}")
        checks.append(f"small: stable is {ratio:.0f}× faster than peer (target ≥ 20×)")
    report["small"] = rows
    print_table("small", rows)


if __name__ == "__main__":
    main()
