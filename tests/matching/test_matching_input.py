"""matching_input_build: the engine's arrays from the database, in a constant
number of queries."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from matching import selectors
from matching.models import Match, MatchingCriteria, MentorPreference
from tests.matching.factories import enroll, matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


def _build(program):
    return selectors.matching_input_build(
        program=program, criteria=MatchingCriteria(program=program)
    )


def test_arrays_follow_the_profiles(coordinator):
    # given
    program = matching_program(
        coordinators=[coordinator], focus_areas=["Public speaking"]
    )
    teacher = mentor(
        program,
        skills_offered=["Python", "public speaking"],
        languages=["en", "pl"],
        country="PL",
        mentoring_capacity=3,
        zone="Asia/Kolkata",
    )
    learner = mentee(program, skills_wanted=["python "], languages=["pl"], country="DE")
    # when
    built = _build(program)
    # then
    problem = built.problem
    assert built.mentees == [learner]
    assert built.mentors == [teacher]
    assert built.skills == ["public speaking", "python"]
    assert problem.mentees.skills.tolist() == [[False, True]]
    assert problem.mentors.skills.tolist() == [[True, True]]
    assert problem.rules.focus_skills.tolist() == [True, False]
    assert problem.mentees.languages.sum() == 1
    assert problem.mentors.languages.sum() == 2
    assert problem.mentees.country[0] != problem.mentors.country[0]
    assert problem.capacity.tolist() == [3]
    # 9–17 in Kolkata is 03:30–11:30 UTC: 32 quarter hours a day, exactly
    hours = problem.mentors.hours[0]
    assert hours.sum() == 5 * 32
    assert hours[14]
    assert not hours[13]
    assert hours[45]
    assert not hours[46]


def test_unknown_countries_are_never_the_same(coordinator):
    program = matching_program(coordinators=[coordinator])
    mentor(program, country="")
    mentee(program, country="")
    built = _build(program)
    assert built.problem.mentees.country[0] != built.problem.mentors.country[0]


def test_preferences_and_exclusions(coordinator):
    program = matching_program(coordinators=[coordinator])
    asked, other = mentor(program), mentor(program)
    learner = mentee(program)
    MentorPreference.objects.create(mentee=learner, mentor=asked)
    Match.objects.create(program=program, mentor=other, mentee=learner, status="ended")
    built = _build(program)
    assert list(built.problem.preferred) == [(0, 0)]
    assert list(built.problem.excluded) == [(0, 1)]


def test_one_person_in_both_roles_is_never_their_own_mentor(coordinator):
    program = matching_program(coordinators=[coordinator])
    teacher = mentor(program)
    enroll(program, teacher.participant, "mentee")
    built = _build(program)
    assert list(built.problem.excluded) == [(0, 0)]


def test_reverse_program_flips_seniority(coordinator):
    program = matching_program(coordinators=[coordinator], kind="reverse")
    mentor(program)
    mentee(program)
    assert _build(program).problem.rules.reverse is True
    program.kind = "one_to_one"
    assert _build(program).problem.rules.reverse is False


def _crowd(program, size: int) -> None:
    for n in range(size):
        boss = mentor(program, zone=("Europe/Warsaw", "Asia/Kolkata")[n % 2])
        learner = mentee(program, languages=["en", "pl"][: 1 + n % 2])
        learner.participant.manager = boss.participant
        learner.participant.save()
        MentorPreference.objects.create(mentee=learner, mentor=boss)


@pytest.mark.parametrize("size", [2, 30])
def test_constant_queries(coordinator, django_assert_max_num_queries, size):
    # given
    program = matching_program(coordinators=[coordinator])
    _crowd(program, size)
    # when / then: enrolments (with profiles, users and "holds a place"), mentor
    # load, preferences, reporting lines, earlier pairs
    with django_assert_max_num_queries(5):
        built = selectors.matching_input_build(
            program=program,
            criteria=MatchingCriteria(program=program),
            week_of=datetime.date(2026, 3, 2),
        )
    assert len(built.mentees) == size
    assert len(built.problem.excluded) == size  # each mentee's own manager
    assert np.all(built.problem.capacity == 1)
