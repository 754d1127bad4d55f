"""Survey formulas, pure (no Django): NPS, response rate, change from baseline to
closing, and the small-group rule for anonymous results.

Inputs are plain numbers and mappings; selectors build them with one aggregate
query each and pass them in, so every figure on a page, an export or a shared
report is computed by the same function. Shares are fractions in [0, 1] (pages
multiply by 100); ``None`` means "no data" (nothing to divide by), never 0.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from statistics import fmean
from typing import TypeVar

Key = TypeVar("Key", bound=Hashable)

# The smallest group whose anonymous answers may be shown (DESIGN.md, issue 10).
MIN_GROUP_SIZE = 5

PROMOTER_MIN = 9  # 9 and 10 promote
DETRACTOR_MAX = 6  # 0 to 6 detract; 7 and 8 are passive


@dataclass(frozen=True)
class Nps:
    """Net Promoter Score of ``n`` answers; ``score`` in points from -100 to 100."""

    n: int
    promoters: int
    passives: int
    detractors: int

    @property
    def score(self) -> float | None:
        if not self.n:
            return None
        return 100 * (self.promoters - self.detractors) / self.n


def nps(scores: Iterable[int]) -> Nps:
    """NPS = % promoters (9–10) − % detractors (0–6) over all answers 0–10.

    Source: F. F. Reichheld, "The One Number You Need to Grow", Harvard Business
    Review, Dec 2003; Bain & Company's definition of the Net Promoter Score.
    E.g. [10, 9, 8, 7, 6, 0] → (2 − 2) / 6 × 100 = 0; [10, 10, 9, 3] → 50.
    Raises ValueError for a score outside 0–10.
    """
    promoters = passives = detractors = 0
    for score in scores:
        if not 0 <= score <= 10:
            raise ValueError(f"An NPS answer is 0 to 10, not {score!r}.")
        if score >= PROMOTER_MIN:
            promoters += 1
        elif score <= DETRACTOR_MAX:
            detractors += 1
        else:
            passives += 1
    return Nps(
        n=promoters + passives + detractors,
        promoters=promoters,
        passives=passives,
        detractors=detractors,
    )


def response_rate(*, answered: int, assigned: int) -> float | None:
    """Share of assignments answered: answered / assigned, in [0, 1]; None if none.

    One assignment is one person asked on one occasion, so a person asked twice
    counts twice. (AAPOR Standard Definitions' RR1 with every assignment eligible.)
    """
    if assigned <= 0:
        return None
    return min(answered, assigned) / assigned


def mean(values: Iterable[float]) -> float | None:
    """Arithmetic mean, or None for no values."""
    values = list(values)
    return fmean(values) if values else None


@dataclass(frozen=True)
class PairedChange:
    """Change for the ``n`` people who answered both before and after."""

    n: int
    mean_before: float | None
    mean_after: float | None
    # Mean of each person's (after − before): equal to mean_after − mean_before.
    mean_change: float | None
    # Of those n, how many rated higher after than before.
    improved: int

    @property
    def improved_share(self) -> float | None:
        return self.improved / self.n if self.n else None


def paired_change(
    *, before: Mapping[Key, float], after: Mapping[Key, float]
) -> PairedChange:
    """Mean within-person change, over people present in both mappings only.

    ``before``/``after`` map a person (any key: participant id) to their rating.
    mean_change = Σ (after_i − before_i) / n for i in before ∩ after: the paired
    (dependent-samples) mean difference, e.g. Cohen, *Statistical Power Analysis*
    (1988) §2.3. People who answered only once are left out, so dropping out
    can't masquerade as change. E.g. before {a: 2, b: 3, c: 4}, after {a: 4,
    b: 3, d: 5} → n = 2, mean_before 2.5, mean_after 3.5, change +1, improved 1.
    """
    people = [key for key in before if key in after]
    if not people:
        return PairedChange(0, None, None, None, 0)
    deltas = [after[key] - before[key] for key in people]
    return PairedChange(
        n=len(people),
        mean_before=fmean(before[key] for key in people),
        mean_after=fmean(after[key] for key in people),
        mean_change=fmean(deltas),
        improved=sum(1 for delta in deltas if delta > 0),
    )


@dataclass(frozen=True)
class UnpairedChange:
    """Change between two independent groups of answers (anonymous surveys)."""

    n_before: int
    n_after: int
    mean_before: float | None
    mean_after: float | None

    @property
    def mean_change(self) -> float | None:
        if self.mean_before is None or self.mean_after is None:
            return None
        return self.mean_after - self.mean_before


def unpaired_change(
    *, before: Iterable[float], after: Iterable[float]
) -> UnpairedChange:
    """Difference of group means: mean(after) − mean(before), groups independent.

    For anonymous surveys, where answers can't be linked to a person: it compares
    the cohort, not individuals (people who answered only once are included).
    E.g. before [2, 3, 4], after [4, 5] → 3 → 4.5, change +1.5.
    """
    before, after = list(before), list(after)
    return UnpairedChange(
        n_before=len(before),
        n_after=len(after),
        mean_before=mean(before),
        mean_after=mean(after),
    )


def competency_change(
    *,
    before: Mapping[str, Mapping[Key, float]],
    after: Mapping[str, Mapping[Key, float]],
) -> dict[str, PairedChange]:
    """``paired_change`` per focus area: {area: {person: rating}} in, {area: change}
    out, for every area present before or after (n = 0 when nobody answered both)."""
    areas = list(dict.fromkeys([*before, *after]))
    return {
        area: paired_change(before=before.get(area, {}), after=after.get(area, {}))
        for area in areas
    }


def is_reportable(n: int, *, minimum: int = MIN_GROUP_SIZE) -> bool:
    """May an anonymous figure over ``n`` people be shown? Only if n ≥ minimum."""
    return n >= minimum


def filter_is_reportable(
    *, selected: int, total: int, minimum: int = MIN_GROUP_SIZE
) -> bool:
    """May a filtered anonymous result be shown? The filtered group must be ≥ minimum
    and so must what the filter leaves out (unless it leaves nobody out): otherwise
    the unfiltered result minus the filtered one gives away the small remainder.
    E.g. total 7, filter keeps 5 → hidden (the other 2 follow by subtraction)."""
    rest = total - selected
    return is_reportable(selected, minimum=minimum) and (
        rest == 0 or is_reportable(rest, minimum=minimum)
    )


def suppressed_groups(
    counts: Mapping[Key, int], *, minimum: int = MIN_GROUP_SIZE
) -> set[Key]:
    """Groups of a breakdown to hide so no group under ``minimum`` can be seen or derived.

    Primary suppression hides every group with 0 < n < minimum. If the hidden
    groups together still hold fewer than ``minimum`` people, the overall figure
    minus the shown groups would reveal them, so the smallest shown groups are
    hidden too (complementary suppression; Hundepool et al., *Statistical
    Disclosure Control*, Wiley 2012, §5.2) until the hidden total reaches
    ``minimum`` or everything is hidden. E.g. {A: 6, B: 5, C: 2} → {B, C};
    {A: 6, B: 5, C: 2, D: 3} → {C, D}; {A: 9} → {}.
    """
    hidden = {key for key, n in counts.items() if 0 < n < minimum}
    if not hidden:
        return hidden
    shown = sorted(
        (key for key, n in counts.items() if n >= minimum), key=lambda key: counts[key]
    )
    while sum(counts[key] for key in hidden) < minimum and shown:
        hidden.add(shown.pop(0))
    return hidden
