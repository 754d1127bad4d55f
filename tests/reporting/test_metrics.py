"""Hand-computed values for the pure survey formulas (no database)."""

import pytest

from reporting import metrics


def test_nps_counts_promoters_minus_detractors_in_percent():
    # 10 answers: promoters 9,9,10,10 (4); passives 7,8 (2); detractors 0,3,6,6 (4)
    result = metrics.nps([9, 9, 10, 10, 7, 8, 0, 3, 6, 6])
    assert (result.n, result.promoters, result.passives, result.detractors) == (
        10,
        4,
        2,
        4,
    )
    assert result.score == 0  # (4 − 4) / 10 × 100


def test_nps_of_mostly_promoters():
    # promoters 3 (10, 10, 9), detractor 1 (3): (3 − 1) / 4 × 100 = 50
    assert metrics.nps([10, 10, 9, 3]).score == 50
    # 6 answers, 1 promoter, 3 detractors: (1 − 3) / 6 × 100 = −33.33…
    assert metrics.nps([9, 8, 7, 6, 5, 0]).score == pytest.approx(-33.333, abs=1e-3)


def test_nps_without_answers_is_none_not_zero():
    assert metrics.nps([]).score is None


def test_nps_refuses_out_of_scale_answers():
    with pytest.raises(ValueError, match="0 to 10"):
        metrics.nps([11])


def test_response_rate():
    assert metrics.response_rate(answered=3, assigned=8) == 0.375
    assert metrics.response_rate(answered=0, assigned=0) is None


def test_paired_change_only_counts_people_who_answered_both():
    # a: 2 → 4 (+2), b: 3 → 3 (0); c answered only before, d only after: left out
    change = metrics.paired_change(
        before={"a": 2, "b": 3, "c": 4}, after={"a": 4, "b": 3, "d": 5}
    )
    assert change.n == 2
    assert change.mean_before == 2.5
    assert change.mean_after == 3.5
    assert change.mean_change == 1.0
    assert change.improved == 1
    assert change.improved_share == 0.5


def test_unpaired_change_compares_group_means():
    change = metrics.unpaired_change(before=[2, 3, 4], after=[4, 5])
    assert (change.n_before, change.n_after) == (3, 2)
    assert change.mean_before == 3
    assert change.mean_after == 4.5
    assert change.mean_change == 1.5


def test_competency_change_per_focus_area():
    before = {"Speaking": {"a": 1, "b": 2}, "Negotiation": {"a": 3}}
    after = {"Speaking": {"a": 3, "b": 2}, "Negotiation": {"b": 4}}
    change = metrics.competency_change(before=before, after=after)
    assert change["Speaking"].n == 2
    assert change["Speaking"].mean_change == 1.0
    assert change["Negotiation"].n == 0
    assert change["Negotiation"].mean_change is None


@pytest.mark.parametrize(
    ("counts", "hidden"),
    [
        ({"A": 9}, set()),
        ({"A": 6, "B": 5, "C": 2}, {"B", "C"}),  # C alone could be subtracted out
        ({"A": 6, "B": 5, "C": 2, "D": 3}, {"C", "D"}),  # C + D = 5 together
        ({"A": 4}, {"A"}),
        ({"A": 5, "B": 5}, set()),
    ],
)
def test_suppressed_groups(counts, hidden):
    assert metrics.suppressed_groups(counts) == hidden


def test_suppressed_groups_never_leave_a_derivable_small_remainder():
    counts = {"A": 7, "B": 6, "C": 1}
    hidden = metrics.suppressed_groups(counts)
    assert sum(counts[key] for key in hidden) >= metrics.MIN_GROUP_SIZE


@pytest.mark.parametrize(
    ("selected", "total", "shown"),
    [(5, 5, True), (4, 4, False), (5, 7, False), (5, 10, True), (6, 9, False)],
)
def test_filter_is_reportable(selected, total, shown):
    assert metrics.filter_is_reportable(selected=selected, total=total) is shown
