"""Computing the outcomes section from the survey answers of a frame (formulas in
``shapes.Outcomes``; small-group rules in ``reporting.metrics``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reporting import metrics
from reporting.figures import Figure
from reporting.selectors.impact.frame import _Answer, _Frame
from reporting.selectors.impact.shapes import CompetencyRow, Outcomes


def _latest(answers: Iterable[_Answer], person: Callable[[_Answer], Any]):
    """{(item, person): number}, each person's latest answer (by day, then response)."""
    found: dict[tuple[str, Any], tuple[tuple, int]] = {}
    for answer in answers:
        key = (answer.item, person(answer))
        rank = (answer.submitted_on, answer.response_id)
        if key not in found or found[key][0] < rank:
            found[key] = (rank, answer.number)
    return {key: number for key, (_, number) in found.items()}


def _person_key(answer: _Answer) -> Any:
    return answer.participant_id if not answer.anonymous else f"r{answer.response_id}"


def _anonymous_too_few(answers: Sequence[_Answer]) -> bool:
    anonymous = {a.response_id for a in answers if a.anonymous}
    return 0 < len(anonymous) < metrics.MIN_GROUP_SIZE


def _usable(frame: _Frame, answers: Iterable[_Answer]) -> list[_Answer]:
    return [a for a in answers if frame.include_anonymous or not a.anonymous]


def _outcomes(frame: _Frame) -> Outcomes:
    section = "outcomes"
    assigned = answered = 0
    for person in frame.people:
        counts = frame.assignments.get(person.enrollment_id)
        if counts is None:
            counts = frame.assignments.get((person.participant_id, person.program_id))
        if counts:
            assigned += counts[0]
            answered += counts[1]
    answers = _usable(frame, frame.answers)
    nps_answers = [a for a in answers if a.kind == "nps"]
    score = metrics.nps(a.number for a in nps_answers)
    nps = Figure(
        f"{section}.nps",
        section,
        "Net Promoter Score",
        score.score,
        "points",
        score.n,
        _anonymous_too_few(nps_answers),
        f"{score.promoters} promoters, {score.passives} passive, "
        f"{score.detractors} detractors",
    )
    competencies = _competencies([a for a in answers if a.key == "competencies"], frame)
    return Outcomes(
        response_rate=Figure(
            f"{section}.response_rate",
            section,
            "Survey response rate",
            metrics.response_rate(answered=answered, assigned=assigned),
            "%",
            assigned,
        ),
        nps=nps,
        confidence_gain=_confidence_gain(
            [a for a in answers if a.key == "confidence"], frame
        ),
        competencies=competencies,
    )


def _before_after(answers: list[_Answer]) -> tuple[list[_Answer], list[_Answer]]:
    before = [a for a in answers if a.survey_kind == "baseline"]
    after = [a for a in answers if a.survey_kind == "closing"]
    return before, after


def _competencies(answers: list[_Answer], frame: _Frame) -> list[CompetencyRow]:
    before, after = _before_after(answers)
    if not before or not after:
        return []
    paired = not any(a.anonymous for a in (*before, *after))
    b = _latest(before, _person_key)
    a = _latest(after, _person_key)
    areas = list(dict.fromkeys([key[0] for key in b] + [key[0] for key in a]))
    rows = []
    for area in areas:
        area_b = {person: n for (item, person), n in b.items() if item == area}
        area_a = {person: n for (item, person), n in a.items() if item == area}
        if paired:
            paired_change = metrics.paired_change(before=area_b, after=area_a)
            rows.append(
                CompetencyRow(
                    area,
                    paired_change.mean_before,
                    paired_change.mean_after,
                    paired_change.mean_change,
                    paired_change.n,
                    True,
                    False,
                )
            )
        else:
            change = metrics.unpaired_change(
                before=area_b.values(), after=area_a.values()
            )
            too_few = not (
                metrics.is_reportable(change.n_before)
                and metrics.is_reportable(change.n_after)
            )
            rows.append(
                CompetencyRow(
                    area,
                    None if too_few else change.mean_before,
                    None if too_few else change.mean_after,
                    None if too_few else change.mean_change,
                    min(change.n_before, change.n_after),
                    False,
                    too_few,
                )
            )
    return rows


def _confidence_gain(answers: list[_Answer], frame: _Frame) -> Figure:
    key, section, label = (
        "outcomes.confidence_gain",
        "outcomes",
        "Mentees reporting a confidence gain",
    )
    mentees = [a for a in answers if (a.role or "mentee") == "mentee"]
    before, after = _before_after(mentees)
    if any(a.anonymous for a in (*before, *after)):
        unpaired = metrics.unpaired_change(
            before=[a.number for a in before], after=[a.number for a in after]
        )
        return Figure(
            key,
            section,
            label,
            None,
            "%",
            None,
            False,
            "Anonymous answers can't be paired per person"
            + (
                f"; mean confidence went from {unpaired.mean_before:.1f} to {unpaired.mean_after:.1f}"
                if unpaired.mean_change is not None
                and metrics.is_reportable(unpaired.n_before)
                and metrics.is_reportable(unpaired.n_after)
                else ""
            ),
        )
    change = metrics.paired_change(
        before={p: n for (_, p), n in _latest(before, _person_key).items()},
        after={p: n for (_, p), n in _latest(after, _person_key).items()},
    )
    return Figure(key, section, label, change.improved_share, "%", change.n)
