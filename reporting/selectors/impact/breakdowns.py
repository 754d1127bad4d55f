"""Breakdowns: the headline figures per group of people (country, mentor, cohort…),
with complementary suppression of small anonymous groups (``metrics.suppressed_groups``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from mentorship import reference
from programs.models import Participant, Program
from reporting import metrics
from reporting.figures import Figure
from reporting.selectors.impact.compute import _compute, _figures_of
from reporting.selectors.impact.frame import MATCHED, _Frame, _Pair, _Person
from reporting.selectors.impact.outcomes import _usable
from reporting.selectors.impact.shapes import (
    ANONYMOUS_DIMENSIONS,
    BREAKDOWNS,
    HEADLINE,
    Breakdown,
    BreakdownGroup,
)


def _label(dimension: str, value: Any) -> str:
    if value in ("", None):
        return "Not given"
    if dimension in ("country", "member_organization_country"):
        return reference.country_names().get(value, value)
    if dimension == "seniority":
        try:
            return Participant.Seniority(value).label
        except ValueError:
            return str(value)
    if dimension == "role":
        return {"mentor": "Mentors", "mentee": "Mentees"}.get(value, value)
    if dimension == "kind":
        return Program.Kind(value).label
    return str(value)


def _breakdown(frame: _Frame, dimension: str) -> Breakdown:
    # Keyed by int | None: anonymous answers look up enrollment_id None (no match).
    people: dict[int | None, _Person] = {p.enrollment_id: p for p in frame.people}
    pairs_of: dict[int, _Pair] = {p.match_id: p for p in frame.pairs}
    # Member organizations' names by id, for anonymous answers' snapshots.
    team_names: dict[int, str] = {}
    for person in frame.people:
        if person.member_organization_id:
            team_names[person.member_organization_id] = person.member_organization_name
    for pair in frame.pairs:
        if pair.member_organization_id:
            team_names[pair.member_organization_id] = pair.member_organization_name

    def team_key(value: Any) -> tuple[Any, str]:
        if dimension == "member_organization":
            if value is None:
                return None, "No member organization"
            return value, team_names.get(value) or "A member organization"
        if not value:
            return "", "No member organization"
        return value, _label(dimension, value)

    def mentor_of(person: _Person) -> tuple[Any, str]:
        if person.role == "mentor":
            return person.enrollment_id, person.name
        for match_id in person.pair_ids:
            pair = pairs_of.get(match_id)
            if pair and pair.status in MATCHED and pair.mentor_id in people:
                return pair.mentor_id, people[pair.mentor_id].name
        return None, "Not matched"

    def person_key(person: _Person) -> tuple[Any, str]:
        if dimension == "mentor":
            return mentor_of(person)
        if dimension == "cohort":
            for match_id in person.pair_ids:
                pair = pairs_of.get(match_id)
                if pair and pair.status in MATCHED:
                    return pair.run_id, pair.run_label
            return None, "Not matched"
        if dimension == "member_organization":
            return team_key(person.member_organization_id)
        if dimension == "member_organization_country":
            return team_key(person.member_organization_country)
        value = {
            "country": person.country,
            "time_zone": person.time_zone,
            "seniority": person.seniority,
            "role": person.role,
            "kind": person.kind,
        }[dimension]
        return value, _label(dimension, value)

    groups: dict[Any, dict[str, Any]] = {}

    def group(key: Any, label: str) -> dict[str, Any]:
        return groups.setdefault(
            key, {"label": label, "people": [], "pairs": [], "answers": []}
        )

    for person in frame.people:
        key, label = person_key(person)
        group(key, label)["people"].append(person)
    for pair in frame.pairs:
        keys: list[tuple[Any, str]]
        if dimension == "role":
            for role in ("mentor", "mentee"):
                group(role, _label("role", role))["pairs"].append(pair)
            continue
        if dimension == "mentor":
            mentor = people.get(pair.mentor_id)
            keys = [(pair.mentor_id, mentor.name if mentor else "Unknown")]
        elif dimension == "cohort":
            keys = [(pair.run_id, pair.run_label)]
        elif dimension == "member_organization" and pair.member_organization_id:
            keys = [team_key(pair.member_organization_id)]
        elif dimension == "member_organization_country" and pair.member_organization_id:
            keys = [team_key(pair.member_organization_country)]
        else:
            mentee = people.get(pair.mentee_id)
            keys = [person_key(mentee)] if mentee else []
        for key, label in keys:
            group(key, label)["pairs"].append(pair)
    anonymous_counts: dict[Any, set[int]] = defaultdict(set)
    for answer in _usable(frame, frame.answers):
        if answer.anonymous:
            if dimension not in ANONYMOUS_DIMENSIONS:
                continue
            if dimension == "member_organization":
                key, label = team_key(answer.member_organization_id)
            elif dimension == "member_organization_country":
                key, label = team_key(answer.member_organization_country)
            else:
                value = {
                    "country": answer.country,
                    "time_zone": answer.time_zone,
                    "seniority": answer.seniority,
                    "role": answer.role,
                    "kind": answer.program_kind,
                }[dimension]
                key, label = value, _label(dimension, value)
            anonymous_counts[key].add(answer.response_id)
        else:
            answerer = people.get(answer.enrollment_id)
            if answerer is None:
                continue
            key, label = person_key(answerer)
        group(key, label)["answers"].append(answer)
    hidden = metrics.suppressed_groups(
        {key: len(ids) for key, ids in anonymous_counts.items()}
    )
    columns: list[tuple[str, str]] = []
    result = []
    for key, members in groups.items():
        sub = frame.subset(
            members["people"],
            members["pairs"],
            members["answers"],
            include_anonymous=frame.include_anonymous,
        )
        figures = {f.key: f for f in _figures_of(_compute(sub))}
        if key in hidden:
            figures = {
                name: _hide(f)
                if f.section == "outcomes" and name != "outcomes.response_rate"
                else f
                for name, f in figures.items()
            }
        result.append(
            BreakdownGroup(key, members["label"], len(members["people"]), figures)
        )
        if not columns:
            columns = [(k, figures[k].label) for k in HEADLINE if k in figures]
    result.sort(key=lambda g: (-g.size, g.label.casefold()))
    note = ""
    if (
        any(a.anonymous for a in frame.answers)
        and dimension not in ANONYMOUS_DIMENSIONS
    ):
        note = (
            "Anonymous survey answers carry no mentor or cohort: survey figures in this "
            "breakdown count attributed answers only."
        )
    return Breakdown(dimension, BREAKDOWNS[dimension], columns, result, note)


def _hide(figure: Figure) -> Figure:
    return Figure(
        figure.key,
        figure.section,
        figure.label,
        None,
        figure.unit,
        None,
        True,
        figure.note,
    )
