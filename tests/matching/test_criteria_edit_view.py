"""The criteria form: weights in plain words, rules, mode."""

from __future__ import annotations

import pytest

from matching.models import MatchingCriteria
from tests.matching.factories import matching_program

pytestmark = pytest.mark.django_db


def _data(**overrides):
    data = {
        "weight_skills": 4,
        "weight_overlap": 5,
        "weight_language": 1,
        "weight_seniority": 0,
        "weight_culture": 2,
        "weight_style": 1,
        "weight_preference": 3,
        "language_rule": "weighted",
        "culture": "different",
        "exclude_same_reporting_line": "",
        "min_score": 20,
        "min_overlap_hours": 0,
        "mode": "stable",
    }
    data.update(overrides)
    return data


def test_shows_defaults_in_plain_words(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matching/criteria/")
        .content.decode()
    )
    assert "How much the mentor offers what the mentee wants" in page
    assert "Shared working hours per week" in page
    assert "5 · Essential" in page
    assert not MatchingCriteria.objects.filter(program=program).exists()


def test_saves_criteria(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/matching/criteria/", _data()
    )
    assert response.status_code == 302
    criteria = MatchingCriteria.objects.get(program=program)
    assert (criteria.weight_overlap, criteria.mode, criteria.min_score) == (
        5,
        "stable",
        20,
    )
    assert criteria.exclude_same_reporting_line is False


def test_rejects_all_zero_weights(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    zero = {
        f"weight_{c}": 0
        for c in ("skills", "overlap", "language", "seniority", "style", "preference")
    }
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/matching/criteria/",
        _data(**zero, culture="ignore"),
    )
    assert response.status_code == 422
    assert b"at least one criterion" in response.content


def test_reverse_program_says_seniority_is_reversed(alpha, coordinator):
    program = matching_program(coordinators=[coordinator], kind="reverse")
    page = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/matching/criteria/")
        .content
    )
    assert b"more junior" in page


def test_roles(alpha, beta, coordinator):
    program = matching_program(coordinators=[coordinator])
    path = f"/manage/programs/{program.pk}/matching/criteria/"
    assert alpha.client("mentee").get(path).status_code == 403
    assert alpha.client("coordinator2").post(path, _data()).status_code == 404
    assert beta.client("hradmin").get(path).status_code == 404
    alpha.activate()
    assert not MatchingCriteria.objects.filter(program=program).exists()


def test_saves_the_shared_working_time_rule(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    client = alpha.client("coordinator")
    path = f"/manage/programs/{program.pk}/matching/criteria/"
    page = client.get(path).content.decode()
    assert "Shared working time, at least (hours a week)" in page

    assert client.post(path, _data(min_overlap_hours=41)).status_code == 422
    assert client.post(path, _data(min_overlap_hours=4)).status_code == 302

    assert MatchingCriteria.objects.get(program=program).min_overlap_hours == 4
