"""Organization mentoring: a member organization's team is one mentee. The engine
scores its focus areas, the team's languages and the best member's working hours;
runs propose one mentor per team; the review page names the organization and
explains the hours with the best member and with the whole team."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from matching import engine, selectors, services
from matching.models import Match, MatchingCriteria, MatchRun
from programs.models import Program
from tests.matching.factories import enroll, matching_program, mentee, mentor, person
from tests.members.factories import MemberOrganizationFactory, MembershipFactory

pytestmark = pytest.mark.django_db

ZONES = ("Asia/Dhaka", "Africa/Tunis", "America/Lima")


@pytest.fixture
def program(coordinator):
    return matching_program(
        coordinators=[coordinator],
        kind=Program.Kind.ORGANIZATION,
        name="Bridges 2026",
    )


def team(
    program, *, name="Dhaka Chamber", zones=ZONES, enrolled=None, speaks=None, **org
):
    """A member organization with one member per zone (the first is the lead);
    ``enrolled`` (default: all) of them are approved mentees of ``program``;
    ``speaks`` maps a member's index to their languages (default: none)."""
    org.setdefault("languages", ["bn"])
    org.setdefault("focus_areas", ["advocacy"])
    organization = MemberOrganizationFactory(name=name, **org)
    enrolments = []
    for k, zone in enumerate(zones):
        someone = person(
            name=f"{name} member {k}", zone=zone, languages=(speaks or {}).get(k, [])
        )
        MembershipFactory(
            member_organization=organization, user=someone.user, is_lead=k == 0
        )
        if enrolled is None or k in enrolled:
            enrolments.append(enroll(program, someone, "mentee"))
    return organization, enrolments


def test_team_of_three_zones_gets_the_mentor_with_the_best_overlap_and_language(
    program, coordinator
):
    # given: a team in Dhaka, Tunis and Lima; the organization speaks Bengali, its
    # Tunis member French too. Mentors: in Dhaka without a shared language, in
    # Paris from 9 to 11 (Tunis shares all of it), in Tokyo from 9 to 10 (no one
    # on the team works then)
    organization, (lead, *_) = team(program, speaks={1: ["fr"]})

    def advocate(zone, languages, until=17):
        return mentor(
            program,
            zone=zone,
            languages=languages,
            skills_offered=["advocacy"],
            working_hours_start=datetime.time(9),
            working_hours_end=datetime.time(until),
        )

    advocate("Asia/Dhaka", ["de"])
    in_paris = advocate("Europe/Paris", ["fr"], until=11)
    in_tokyo = advocate("Asia/Tokyo", ["fr"], until=10)
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then: one engagement, with the Paris mentor, standing on the lead's enrolment
    match = Match.objects.get(run=run)
    assert match.mentor == in_paris
    assert match.mentee == lead
    assert match.member_organization == organization
    assert run.unmatched == []
    # and the overlap criterion explains why: Paris scores in full, Tokyo nothing
    built = selectors.matching_input_build(
        program=program, criteria=MatchingCriteria.objects.get(program=program)
    )
    columns = [e.pk for e in built.mentors]
    hours = engine.overlap_hours(built.problem, dtype=np.float64)[0]
    assert hours[columns.index(in_paris.pk)] == 10.0
    assert hours[columns.index(in_tokyo.pk)] == 0.0
    assert match.explanation["overlap"] > 0
    assert match.explanation["language"] > 0


def test_best_member_hours_count_for_the_score_and_the_minimum_overlap_rule(program):
    # given: only Lima's member shares hours with a mentor in New York
    team(program, zones=("Asia/Dhaka", "America/Lima"))
    mentor(program, zone="America/New_York", languages=["bn"])
    criteria = MatchingCriteria.objects.create(program=program, min_overlap_hours=20)
    # when
    built = selectors.matching_input_build(
        program=program, criteria=criteria, week_of=datetime.date(2026, 3, 2)
    )
    # then: one row for the team, two members, Lima's 40 h a week count
    assert len(built.mentees) == 1
    assert [len(t.members) for t in built.teams] == [2]
    hours = engine.overlap_hours(built.problem, dtype=np.float64)
    assert hours.tolist() == [[40.0]]
    assert np.isfinite(engine.score(built.problem).score).all()
    pairs = engine.overlap_hours(
        built.problem, np.asarray([0]), np.asarray([0]), dtype=np.float64
    )
    assert pairs.tolist() == [40.0]


def test_capacity_is_respected_across_teams(program, coordinator):
    # given: three teams, two mentors with one place each
    for k in range(3):
        team(program, name=f"Team {k}", zones=("Asia/Dhaka",))
    for _ in range(2):
        mentor(program, zone="Asia/Dhaka", languages=["bn"], mentoring_capacity=1)
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    matches = list(Match.objects.filter(run=run))
    assert len(matches) == 2
    assert len({m.mentor_id for m in matches}) == 2
    assert len({m.member_organization_id for m in matches}) == 2
    assert [item["reason"] for item in run.unmatched] == [
        "all compatible mentors are at capacity"
    ]


def test_a_mentee_without_a_member_organization_is_unmatched_with_the_reason(
    program, coordinator
):
    team(program, zones=("Asia/Dhaka",))
    loner = mentee(program, languages=["bn"])
    mentor(program, zone="Asia/Dhaka", languages=["bn"], mentoring_capacity=3)
    run = services.match_run_start(program=program, by=coordinator)
    assert Match.objects.filter(run=run).count() == 1
    assert run.unmatched == [
        {"enrollment": loner.pk, "reason": selectors.NO_MEMBER_ORGANIZATION}
    ]


def test_the_lead_stands_for_the_team_else_the_first_enrolled_member(
    program, coordinator
):
    # given: the lead (member 0) did not enrol; members 1 and 2 did
    organization, enrolments = team(program, enrolled={1, 2}, zones=("Asia/Dhaka",) * 3)
    mentor(program, zone="Asia/Dhaka", languages=["bn"])
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then: one engagement for the team of three
    match = Match.objects.get(run=run)
    assert match.mentee == enrolments[0]
    assert match.member_organization == organization
    # and publishing proposes it; the team is not matched again
    services.match_run_publish(run=run, by=coordinator)
    assert Match.objects.get(pk=match.pk).status == Match.Status.PROPOSED
    again = services.match_run_start(program=program, by=coordinator)
    assert Match.objects.filter(run=again).count() == 0
    assert again.unmatched == []


def test_mentee_choice_is_refused_for_organization_mentoring(program, coordinator):
    from django.core.exceptions import ValidationError

    team(program, zones=("Asia/Dhaka",))
    mentor(program, languages=["bn"])
    with pytest.raises(ValidationError):
        services.match_run_start(program=program, by=coordinator, mode="mentee_choice")


def test_the_run_form_does_not_offer_mentee_choice_for_teams(program):
    from matching.forms import RunStartForm

    modes = [value for value, _ in RunStartForm(program=program).fields["mode"].choices]
    assert modes == ["optimal", "stable"]


def test_review_page_names_the_team_and_explains_best_and_whole_team_hours(
    alpha, program
):
    # given: Dhaka and Warsaw members; a mentor in Warsaw
    team(program, zones=("Asia/Dhaka", "Europe/Warsaw"))
    mentor(program, zone="Europe/Warsaw", languages=["bn"])
    client = alpha.client("coordinator")
    client.post(f"/manage/programs/{program.pk}/matching/runs/", {"mode": "optimal"})
    # when
    page = client.get(f"/manage/programs/{program.pk}/matching/").content.decode()
    # then: 9–17 in Dhaka (UTC+6) and in Warsaw (UTC+1) share 8–11 UTC each day
    assert "Dhaka Chamber" in page
    assert "Lead: Dhaka Chamber member 0" in page
    assert "15 h/week with the whole team" in page
    assert "40 h/week with Dhaka Chamber member 1" in page


@pytest.mark.parametrize("teams", [1, 10])
def test_review_page_queries_do_not_grow_with_teams(
    alpha, program, teams, django_assert_max_num_queries
):
    for k in range(teams):
        team(program, name=f"Team {k:02d}", zones=ZONES[: 1 + k % 3])
    for _ in range(teams):
        mentor(program, zone="Asia/Dhaka", languages=["bn"])
    client = alpha.client("coordinator")
    # the run in the request: 39 queries whether 1 or 10 teams (measured)
    with django_assert_max_num_queries(39):
        client.post(
            f"/manage/programs/{program.pk}/matching/runs/", {"mode": "optimal"}
        )
    run = MatchRun.objects.get(program=program)
    assert run.matched_count == teams
    # the one-to-one review page's budget (12): the page's teams take the query
    # the unmatched list does not need here
    with django_assert_max_num_queries(12):
        response = client.get(f"/manage/programs/{program.pk}/matching/")
    assert response.status_code == 200
    assert response.content.count(b'<tr id="proposal-') == teams


def test_match_list_names_the_team_and_its_lead(alpha, program, coordinator):
    team(program, name="Tunis Chamber", zones=("Africa/Tunis",))
    mentor(program, zone="Africa/Tunis", languages=["bn"])
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    client = alpha.client("coordinator")
    page = client.get(f"/manage/programs/{program.pk}/matches/").content.decode()
    assert "Tunis Chamber" in page
    assert "Lead: Tunis Chamber member 0" in page
    found = client.get(f"/manage/programs/{program.pk}/matches/?q=tunis+cham")
    assert "Tunis Chamber" in found.content.decode()


def test_reassign_offers_the_other_mentors_for_the_team(alpha, program, coordinator):
    team(program, zones=("Asia/Dhaka",))
    mentors = [mentor(program, zone="Asia/Dhaka", languages=["bn"]) for _ in range(2)]
    run = services.match_run_start(program=program, by=coordinator)
    match = Match.objects.get(run=run)
    page = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/matching/proposals/{match.pk}/reassign/"
    )
    assert page.status_code == 200
    (spare,) = [m for m in mentors if m != match.mentor]
    assert str(spare.participant.user) in page.content.decode()


def test_engine_team_overlap_is_the_best_members_for_pairs_and_the_matrix():
    rng = np.random.default_rng(7)
    n, m, members = 4, 3, 9

    def side(k):
        return engine.Participants(
            skills=np.zeros((k, 1), bool),
            hours=rng.random((k, engine.SLOTS_PER_WEEK)) < 0.3,
            languages=np.ones((k, 1), bool),
            seniority=np.zeros(k, np.int64),
            country=np.zeros(k, np.int64),
            style=np.full(k, -1, np.int64),
            learning=np.zeros((k, 1), bool),
        )

    row = np.asarray([3, 0, 1, 2, 0, 3, 3, 1, 2])
    teams = engine.Teams(hours=rng.random((members, 672)) < 0.3, row=row)
    problem = engine.MatchingProblem(
        side(n), side(m), np.ones(m, np.int64), teams=teams
    )
    matrix = engine.overlap_hours(problem, dtype=np.float64)
    expected = engine.shared_hours(teams.hours, problem.mentors.hours, dtype=np.float64)
    for i in range(n):
        assert matrix[i].tolist() == expected[row == i].max(axis=0).tolist()
    rows, cols = np.divmod(np.arange(n * m), m)
    pairs = engine.overlap_hours(problem, rows, cols, dtype=np.float64)
    assert pairs.tolist() == matrix.ravel().tolist()
    with pytest.raises(ValueError, match="at least one member"):
        engine.MatchingProblem(
            side(n),
            side(m),
            np.ones(m, np.int64),
            teams=engine.Teams(teams.hours, row % 3),
        )


def test_pairing_by_hand_makes_an_engagement_with_the_mentees_team(
    program, coordinator
):
    # given: a team whose lead is an approved mentee, and a mentor
    organization, (lead, *_rest) = team(program, zones=("Asia/Dhaka",))
    someone = mentor(program, zone="Asia/Dhaka", languages=["bn"])
    # when: the coordinator pairs them by hand
    match = services.match_create_manual(
        program=program, mentee=lead, mentor=someone, by=coordinator
    )
    # then: it is the team's engagement, and the team can't get a second one
    assert match.member_organization == organization
    other = mentor(program, zone="Asia/Dhaka", languages=["bn"])
    match.status = Match.Status.DECLINED
    match.save()
    services.match_create_manual(
        program=program, mentee=lead, mentor=other, by=coordinator
    )
    _org2, (second,) = team(program, name="Sfax Chamber", zones=("Africa/Tunis",))
    MembershipFactory(member_organization=organization, user=second.participant.user)
    with pytest.raises(ValidationError, match="already has a mentor"):
        services.match_create_manual(
            program=program, mentee=second, mentor=someone, by=coordinator
        )


def test_pairing_by_hand_refuses_a_mentee_on_no_team(program, coordinator):
    loner = enroll(program, person(name="No Team", zone="Asia/Dhaka"), "mentee")
    someone = mentor(program, zone="Asia/Dhaka")
    with pytest.raises(ValidationError, match="on no member organization"):
        services.match_create_manual(
            program=program, mentee=loner, mentor=someone, by=coordinator
        )


def test_the_mentors_portal_card_names_the_team(alpha, program, coordinator):
    # given: a proposed engagement whose mentor is someone with a portal login
    team(program, name="Sfax Chamber", zones=("Africa/Tunis",))
    someone = mentor(program, zone="Africa/Tunis", languages=["bn"])
    run = services.match_run_start(program=program, by=coordinator)
    services.match_run_publish(run=run, by=coordinator)
    client = alpha.client()
    client.force_login(someone.participant.user)
    # when / then: the card names the organization and its lead contact
    page = client.get("/matches/").content.decode()
    assert "<h3>Sfax Chamber</h3>" in page
    assert "A team · lead contact Sfax Chamber member 0" in page
