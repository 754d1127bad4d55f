"""Computing the funnel, engagement and responsiveness sections from a frame
(formulas in ``shapes.Funnel``, ``shapes.Engagement``, ``shapes.Responsiveness``)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict

from matching.models import Match
from programs.models import Enrollment
from reporting.figures import Figure
from reporting.selectors.impact.frame import (
    IN_PROGRAM,
    MATCHED,
    STARTED,
    _Frame,
    _Pair,
)
from reporting.selectors.impact.shapes import (
    Engagement,
    Funnel,
    FunnelStep,
    Responsiveness,
    TrendPoint,
    _share,
)

TOUCHPOINT_WINDOW = datetime.timedelta(days=30)
TREND_MONTHS = 6


def _days(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _funnel(frame: _Frame) -> Funnel:
    pairs = {p.match_id: p for p in frame.pairs}
    applied = approved = matched = active = completed = in_progress = 0
    waits: list[float] = []
    for person in frame.people:
        if person.status == Enrollment.Status.INVITED:
            continue
        applied += 1
        own = [pairs[i] for i in person.pair_ids if i in pairs]
        is_matched = any(p.status in MATCHED for p in own)
        if person.status in IN_PROGRAM or is_matched:
            approved += 1
        if is_matched:
            matched += 1
            if person.decided_at is not None:
                first = min((p.proposed_at or p.created_at) for p in own)
                waits.append(max(0.0, _days(first - person.decided_at)))
        if any(p.status in STARTED for p in own):
            active += 1
        if person.status == Enrollment.Status.COMPLETED or any(
            p.status == Match.Status.COMPLETED for p in own
        ):
            completed += 1
        elif any(p.status == Match.Status.ACTIVE for p in own):
            in_progress += 1
    counts = [
        ("Applied", applied),
        ("Approved", approved),
        ("Matched", matched),
        ("Active", active),
        ("Completed", completed),
    ]
    steps = []
    for index, (label, count) in enumerate(counts):
        if index == 0:
            steps.append(FunnelStep(label, count, None, 0))
            continue
        previous = counts[index - 1][1]
        waiting = in_progress if label == "Completed" else 0
        steps.append(
            FunnelStep(
                label,
                count,
                count / previous if previous else None,
                max(0, previous - count - waiting),
                waiting,
            )
        )
    return Funnel(
        steps,
        Figure(
            "funnel.days_to_match",
            "funnel",
            "Median days from approval to match",
            _median(waits),
            "days",
            len(waits),
        ),
    )


def _expected(pair: _Pair, now: datetime.datetime) -> int:
    if pair.started_at is None:
        return 0
    end = pair.ended_at if pair.status != Match.Status.ACTIVE and pair.ended_at else now
    cadence = datetime.timedelta(days=pair.cadence_days)
    return max(0, (end - pair.started_at) // cadence)


def _engagement(frame: _Frame) -> Engagement:
    section = "engagement"
    started = [p for p in frame.pairs if p.status in STARTED and p.started_at]
    active = [p for p in started if p.status == Match.Status.ACTIVE]
    held = sum(p.held for p in started)
    expected = sum(_expected(p, frame.now) for p in started)
    on_cadence = [p for p in active if p.held >= _expected(p, frame.now)]
    engaged = [
        p
        for p in active
        if p.held >= _expected(p, frame.now) or p.updates >= _expected(p, frame.now)
    ]
    goals = sum(p.goals for p in frame.pairs)
    milestones = sum(p.milestones for p in frame.pairs)
    months: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for pair in started:
        for month, (total, count) in pair.pulses.items():
            months[month][0] += total
            months[month][1] += count
    pulse_total = sum(v[0] for v in months.values())
    pulse_count = sum(v[1] for v in months.values())
    trend = [
        TrendPoint(month, total / count, count)
        for month, (total, count) in sorted(months.items())[-TREND_MONTHS:]
    ]
    return Engagement(
        held=Figure(f"{section}.held", section, "Meetings held", held, "meetings"),
        expected=Figure(
            f"{section}.expected",
            section,
            "Meetings expected by the cadence",
            expected,
            "meetings",
        ),
        held_share=Figure(
            f"{section}.held_share",
            section,
            "Meetings held of expected",
            held / expected if expected else None,
            "%",
            len(started),
        ),
        on_cadence=_share(
            f"{section}.on_cadence",
            section,
            "Active pairs meeting on cadence",
            len(on_cadence),
            len(active),
        ),
        engaged=_share(
            f"{section}.engaged",
            section,
            "Active pairs engaged (meetings or written updates)",
            len(engaged),
            len(active),
        ),
        at_risk=_share(
            f"{section}.at_risk",
            section,
            "Active pairs at risk",
            sum(p.at_risk for p in active),
            len(active),
        ),
        updates_per_pair=Figure(
            f"{section}.updates_per_pair",
            section,
            "Written updates",
            sum(p.updates for p in started) / len(started) if started else None,
            "per pair",
            len(started),
        ),
        goals_done=_share(
            f"{section}.goals_done",
            section,
            "Goals completed",
            sum(p.goals_done for p in frame.pairs),
            goals,
        ),
        milestones_done=_share(
            f"{section}.milestones_done",
            section,
            "Milestones reached",
            sum(p.milestones_done for p in frame.pairs),
            milestones,
        ),
        pulse_mean=Figure(
            f"{section}.pulse_mean",
            section,
            "Pulse (meeting usefulness)",
            pulse_total / pulse_count if pulse_count else None,
            "of 5",
            pulse_count,
        ),
        pulse_trend=trend,
    )


def _responsiveness(frame: _Frame) -> Responsiveness:
    section = "responsiveness"
    waits = [
        max(0.0, _days(p.first_held - p.started_at))
        for p in frame.pairs
        if p.started_at and p.first_held and p.status in STARTED
    ]
    cutoff = frame.now - TOUCHPOINT_WINDOW
    mentors: dict[int, bool] = {}
    for pair in frame.pairs:
        if pair.status != Match.Status.ACTIVE:
            continue
        touched = (pair.last_held is not None and pair.last_held >= cutoff) or (
            pair.last_update is not None and pair.last_update >= cutoff
        )
        mentors[pair.mentor_id] = mentors.get(pair.mentor_id, False) or touched
    return Responsiveness(
        days_to_first_meeting=Figure(
            f"{section}.days_to_first_meeting",
            section,
            "Median days from match to first meeting",
            _median(waits),
            "days",
            len(waits),
        ),
        mentor_utilisation=_share(
            f"{section}.mentor_utilisation",
            section,
            "Mentors with a touchpoint in the last 30 days",
            sum(mentors.values()),
            len(mentors),
        ),
    )
