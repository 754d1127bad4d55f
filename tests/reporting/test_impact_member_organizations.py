"""Organization mentoring in the impact (issue 18): breakdowns by member organization
and by its country, with groups under 5 anonymous answers hidden."""

from __future__ import annotations

import datetime

import pytest

from matching.models import Match
from programs.models import Program
from reporting.selectors.impact import program_impact
from tests.reporting.factories import (
    engagement,
    people,
    respond,
    survey,
    survey_program,
)

NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=datetime.UTC)
NPS = [{"key": "nps", "kind": "nps", "text": "Recommend?"}]


def _team(program: Program, name: str, country: str, size: int, mentor):
    organization, team, _ = engagement(
        program, name, country=country, size=size, mentor=mentor
    )
    return organization, team


@pytest.fixture
def engagements(alpha):
    program = survey_program(kind=Program.Kind.ORGANIZATION)
    mentor_a, mentor_b, mentor_c = people(program, 3, role="mentor")
    teams = {
        "Sfax Chamber": _team(program, "Sfax Chamber", "TN", 6, mentor_a),
        "Tunis Traders": _team(program, "Tunis Traders", "TN", 2, mentor_b),
        "Dhaka Chamber": _team(program, "Dhaka Chamber", "BD", 5, mentor_c),
    }
    return program, teams


def _answer_all(program, teams, *, anonymous: bool):
    closing = survey(program, kind="closing", is_anonymous=anonymous, questions=NPS)
    scores = {"Sfax Chamber": 10, "Tunis Traders": 0, "Dhaka Chamber": 9}
    for name, (_, team) in teams.items():
        for enrollment in team:
            respond(closing, enrollment, {"nps": scores[name]})


def test_breakdown_by_member_organization_splits_people_pairs_and_answers(
    engagements,
):
    program, teams = engagements
    _answer_all(program, teams, anonymous=False)
    impact = program_impact(program=program, breakdown="member_organization", now=NOW)
    groups = {g.label: g for g in impact.breakdown.groups}
    assert impact.breakdown.label == "Member organization"
    # The mentor counts with the organization mentored.
    assert {name: groups[name].size for name in teams} == {
        "Sfax Chamber": 7,
        "Tunis Traders": 3,
        "Dhaka Chamber": 6,
    }
    assert groups["Sfax Chamber"].figures["outcomes.nps"].value == 100
    assert groups["Tunis Traders"].figures["outcomes.nps"].value == -100
    # Attributed answers are not anonymous: nothing is hidden.
    assert not any(g.figures["outcomes.nps"].suppressed for g in groups.values())
    assert Match.objects.filter(member_organization__isnull=False).count() == 3


def test_anonymous_answers_by_member_organization_hide_small_teams(engagements):
    program, teams = engagements
    _answer_all(program, teams, anonymous=True)
    impact = program_impact(program=program, breakdown="member_organization", now=NOW)
    nps = {g.label: g.figures["outcomes.nps"] for g in impact.breakdown.groups}
    # Tunis Traders (2) is under 5; hiding it alone would let it be derived from
    # the total, so the smallest shown team (Dhaka, 5) goes too.
    assert nps["Tunis Traders"].suppressed
    assert nps["Tunis Traders"].value is None
    assert nps["Dhaka Chamber"].suppressed
    assert not nps["Sfax Chamber"].suppressed
    assert nps["Sfax Chamber"].value == 100


def test_breakdown_by_member_organization_country(engagements):
    program, teams = engagements
    _answer_all(program, teams, anonymous=True)
    impact = program_impact(
        program=program, breakdown="member_organization_country", now=NOW
    )
    groups = {g.label: g for g in impact.breakdown.groups}
    assert impact.breakdown.label == "Member organization's country"
    assert groups["Tunisia"].size == 10  # two teams of 6 and 2, their two mentors
    assert groups["Bangladesh"].size == 6
    nps = {label: g.figures["outcomes.nps"] for label, g in groups.items()}
    # Tunisia: 6 × 10 and 2 × 0 → 6 promoters, 2 detractors of 8 = 50.
    assert nps["Tunisia"].value == 50
    assert nps["Bangladesh"].value == 100
    assert not nps["Tunisia"].suppressed
    assert not nps["Bangladesh"].suppressed


def test_a_small_country_is_hidden(alpha):
    program = survey_program(kind=Program.Kind.ORGANIZATION)
    mentor_a, mentor_b = people(program, 2, role="mentor")
    teams = {
        "Sfax Chamber": _team(program, "Sfax Chamber", "TN", 6, mentor_a),
        "Dhaka Chamber": _team(program, "Dhaka Chamber", "BD", 3, mentor_b),
    }
    closing = survey(program, kind="closing", is_anonymous=True, questions=NPS)
    for _, team in teams.values():
        for enrollment in team:
            respond(closing, enrollment, {"nps": 10})
    impact = program_impact(
        program=program, breakdown="member_organization_country", now=NOW
    )
    nps = {g.label: g.figures["outcomes.nps"] for g in impact.breakdown.groups}
    assert nps["Bangladesh"].suppressed
    assert nps["Tunisia"].suppressed  # the complement would reveal Bangladesh
