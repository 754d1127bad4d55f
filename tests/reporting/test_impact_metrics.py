"""Every impact metric on a seeded program whose values are worked out by hand.

The program, its people (M1…, E1…) and pairs (A, B, C, F, D) are drawn in
tests/reporting/impact_world.py.

Each test names the values and how they were computed.
"""

from __future__ import annotations

import pytest

from reporting.selectors.impact import (
    Cohort,
    Period,
    impact_compare,
    organization_impact,
    program_impact,
)
from tests.reporting.impact_world import NOW, d, measured_program


@pytest.fixture
def world(alpha, coordinator):
    return measured_program(coordinator)


@pytest.fixture
def impact(world):
    return program_impact(program=world["program"], now=NOW, zone="UTC")


def value(impact, key):
    return impact.figure(key).value


def test_funnel(impact):
    # applied: every enrolment but the invitation (E6) = 10
    # approved: M1 M2 M3 E1 E2 E3(completed) E4 E8 = 8 (E5 applied, E7 withdrew)
    # matched: proposed or later, not only declined = M1 M2 M3 E1 E2 E3 E8 = 7
    # active: a match that started = the same 7; completed: E3 and M2 (pair C) = 2;
    # still in an active pair (A, B, F): M1 E1 E2 M3 E8 = 5, not dropped → 7 − 2 − 5 = 0
    steps = [(s.label, s.count, s.drop_off, s.in_progress) for s in impact.funnel.steps]
    assert steps == [
        ("Applied", 10, 0, 0),
        ("Approved", 8, 2, 0),
        ("Matched", 7, 1, 0),
        ("Active", 7, 0, 0),
        ("Completed", 2, 0, 5),
    ]
    assert [s.share for s in impact.funnel.steps] == [None, 0.8, 7 / 8, 1.0, 2 / 7]
    # approval → first proposal, days: M1 4, M2 10, M3 5, E1 3, E2 7, E3 5, E8 4
    # → sorted 3 4 4 5 5 7 10, median 5
    assert impact.funnel.median_days_to_match.value == 5
    assert impact.funnel.median_days_to_match.n == 7


def test_engagement(impact):
    # expected = whole cadences (14 d) from start to end or now:
    # A 75.5 d → 5, B 45.5 d → 3, C 59 d → 4, F 134.5 d → 9; Σ 21. Held 5+1+3+1 = 10
    assert value(impact, "engagement.held") == 10
    assert value(impact, "engagement.expected") == 21
    assert value(impact, "engagement.held_share") == pytest.approx(10 / 21)
    # active A B F: on cadence only A (5 ≥ 5) → 1/3; engaged A, and B by its 3
    # updates (≥ 3 expected) → 2/3; at risk only F (no meeting or update for 106
    # days) → 1/3: B met last on 8 May, but an update is a touchpoint
    # (checkins.rhythm) and its last one, 22 May, is within twice the 14-day cadence
    assert value(impact, "engagement.on_cadence") == pytest.approx(1 / 3)
    assert value(impact, "engagement.engaged") == pytest.approx(2 / 3)
    assert value(impact, "engagement.at_risk") == pytest.approx(1 / 3)
    # updates 1 + 3 + 0 + 0 over 4 started pairs
    assert value(impact, "engagement.updates_per_pair") == 1.0
    # goals: 2 of 3 at 100 %; milestones 3 of 4 done
    assert value(impact, "engagement.goals_done") == pytest.approx(2 / 3)
    assert value(impact, "engagement.milestones_done") == 0.75
    # pulses 4 4 5 3 2 → 18 / 5; months: Feb 2.0 (1), Apr 4.0 (2), May 4.0 (2)
    assert value(impact, "engagement.pulse_mean") == pytest.approx(3.6)
    assert impact.engagement.pulse_mean.n == 5
    trend = [(p.month, p.mean, p.n) for p in impact.engagement.pulse_trend]
    assert trend == [
        (d(2026, 2, 1), 2.0, 1),
        (d(2026, 4, 1), 4.0, 2),
        (d(2026, 5, 1), 4.0, 2),
    ]


def test_outcomes(impact):
    # assignments: baseline 4 answered of 4, closing 3 of 4 → 7 / 8
    assert value(impact, "outcomes.response_rate") == 7 / 8
    # NPS 10 9 6: 2 promoters, 1 detractor of 3 → (2 − 1) / 3 × 100
    nps = impact.figure("outcomes.nps")
    assert nps.value == pytest.approx(100 / 3)
    assert nps.n == 3
    assert not nps.suppressed
    # confidence, paired E1 2→4 (up), E2 4→4, E3 3→2 → 1 of 3 gained
    assert value(impact, "outcomes.confidence_gain") == pytest.approx(1 / 3)
    # competencies, paired over E1 E2 E3 (E8 has no closing answer):
    # speaking 2 3 1 → 4 3 3: 2.0 → 3.33, +1.33; negotiation 3 3 2 → 3 4 2: 2.67 → 3.0
    rows = {row.area: row for row in impact.outcomes.competencies}
    speaking, negotiation = rows["Public speaking"], rows["Negotiation"]
    assert (speaking.n, speaking.paired) == (3, True)
    assert speaking.before == pytest.approx(2.0)
    assert speaking.after == pytest.approx(10 / 3)
    assert speaking.change == pytest.approx(4 / 3)
    assert negotiation.change == pytest.approx(1 / 3)


def test_retention(impact):
    # participants who took part: M1 M2 M3 E1 E2 E3 E4 E8. Employed at the start
    # (2025-01-01): not E3 (hired after), not E4 (left, day unknown) → 6.
    # 6 months (2025-07-01): all but M2 (left 2025-05-01) → 5/6
    # 12 months (2026-01-01): also E1 gone (left 2025-10-01) → 4/6
    assert value(impact, "retention.participants_6m") == pytest.approx(5 / 6)
    assert impact.figure("retention.participants_6m").n == 6
    assert value(impact, "retention.participants_12m") == pytest.approx(4 / 6)
    # staff N1 N2 N3 N5 employed at the start (N4 hired later): 6 m N2 gone → 3/4,
    # 12 m N3 gone too → 2/4
    assert value(impact, "retention.others_6m") == 0.75
    assert value(impact, "retention.others_12m") == 0.5
    missing = " ".join(impact.retention.missing)
    assert "1 participant(s) marked as left have no leave date" in missing
    assert "1 participant(s) have no hire date" in missing  # E2


def test_growth(impact):
    # mentees who took part: E1 E2 E3 E4 E8; E1 mentors later (E8 only applied) → 1/5
    assert value(impact, "growth.mentees_became_mentors") == pytest.approx(1 / 5)
    # mentors M1 M2 M3; M1 mentors again → 1/3
    assert value(impact, "growth.mentors_again") == pytest.approx(1 / 3)
    # promoted in (2025-01-01, 2026-01-01] of the 6 employed at the start: M1
    # (2025-06-01) and E8 (2026-01-01); not M3 (before) nor E1 (after) → 2/6
    assert value(impact, "growth.promoted") == pytest.approx(2 / 6)
    # staff: N1 (2025-03-01) of N1 N2 N3 N5 → 1/4
    assert value(impact, "growth.others_promoted") == 0.25


def test_responsiveness(impact):
    # start → first held meeting: A 4, B 7, C 10, F 28 days → median 8.5
    assert value(impact, "responsiveness.days_to_first_meeting") == 8.5
    # mentors with an active pair: M1 (A met 2026-05-31, within 30 days) and M3
    # (F last met 2026-03-01, no updates) → 1/2
    assert value(impact, "responsiveness.mentor_utilisation") == 0.5


def test_objectives_measured_against_targets(impact):
    results = {r.objective.text: r for r in impact.objectives}
    # closing confidence of mentees: 4 4 2 → 2 of 3 at least 4 = 66.7 % < 70 %
    confident = results["Confident mentees"]
    assert confident.measured.value == pytest.approx(2 / 3)
    assert confident.is_met is False
    assert "70 % of mentees" in confident.target
    # on cadence 33.3 % ≥ 30 %
    assert results["Pairs meet"].is_met is True
    assert results["Unmeasured aim"].measured is None


def test_breakdown_by_mentor(world):
    impact = program_impact(program=world["program"], breakdown="mentor", now=NOW)
    groups = {g.label: g for g in impact.breakdown.groups}
    # people: M1 E1 E2 | M2 E3 | M3 E8 | not matched E4 E5 E6 E7
    assert {label: g.size for label, g in groups.items()} == {
        "M1": 3,
        "M2": 2,
        "M3": 2,
        "Not matched": 4,
    }
    # M1's pairs A (on cadence) and B (not) → 1/2
    assert groups["M1"].figures["engagement.on_cadence"].value == 0.5


def test_cohort_is_one_matching_run(world):
    impact = program_impact(
        program=world["program"], cohort=Cohort(world["run"].pk), now=NOW
    )
    # run R1 proposed A and B: M1 E1 E2, pairs A B
    assert (impact.people, impact.pairs) == (3, 2)
    assert impact.figure("funnel.applied").value == 3
    # meetings of A and B: 5 + 1 held of 5 + 3 expected
    assert value(impact, "engagement.held_share") == pytest.approx(6 / 8)


def test_compare_a_run_with_a_period(world):
    first = program_impact(
        program=world["program"], cohort=Cohort(world["run"].pk), now=NOW
    )
    # December 2025: M2 and E3 applied, pair C was created (proposed 2025-12-20)
    second = program_impact(
        program=world["program"],
        period=Period(d(2025, 12, 1), d(2025, 12, 31)),
        now=NOW,
    )
    assert (second.people, second.pairs) == (2, 1)
    rows = {row.first.key: row for row in impact_compare(first=first, second=second)}
    assert rows["funnel.applied"].change == "-1"
    # on cadence: R1 1 of 2 active; December has no active pair → no change to show
    assert rows["engagement.on_cadence"].change == "—"
    # goals done: R1 1/2 (A), December 1/1 (C) → +50 pts
    assert rows["engagement.goals_done"].change == "+50 pts"


def test_organization_sums_programs(world):
    impact = organization_impact(programs=[world["program"], world["other"]], now=NOW)
    # 11 enrolments in the measured program + 3 in the next one, applied all but E6
    assert impact.funnel.steps[0].count == 10 + 3
    assert [row.program.name for row in impact.programs] == [
        "Measured program",
        "Next year",
    ]
    assert impact.programs[1].figures["funnel.approved"].value == 2
