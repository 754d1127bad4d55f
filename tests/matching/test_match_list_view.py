"""The coordinator's match list: filters, end early, pair by hand."""

from __future__ import annotations

import pytest

from matching.models import Match
from tests.matching.factories import matching_program, mentee, mentor, proposals_bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator], name="Leaders Lab")


def test_lists_and_filters(alpha, program):
    active = Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program, name="Ada Active"),
        status="active",
        started_at="2026-01-05T10:00Z",
    )
    Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program, name="Dora Declined"),
        status="declined",
        decline_reason="Busy",
    )
    client = alpha.client("coordinator")
    page = client.get(f"/manage/programs/{program.pk}/matches/").content.decode()
    assert "Ada Active" in page
    assert "Dora Declined" in page
    assert "“Busy”" in page
    page = client.get(
        f"/manage/programs/{program.pk}/matches/?status=active", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Ada Active" in page
    assert "Dora Declined" not in page
    response = client.get(
        f"/manage/programs/{program.pk}/matches/?q=dora", HTTP_HX_REQUEST="true"
    )
    assert b'id="match-table"' in response.content
    assert b"Ada Active" not in response.content
    assert (
        f"/matches/{active.pk}/end/".encode()
        in client.get(f"/manage/programs/{program.pk}/matches/").content
    )


def test_end_early_then_rematch_by_hand(alpha, program):
    learner = mentee(program)
    first, second = mentor(program), mentor(program)
    match = Match.objects.create(
        program=program,
        mentor=first,
        mentee=learner,
        status="active",
        started_at="2026-01-05T10:00Z",
    )
    client = alpha.client("coordinator")
    end = f"/manage/programs/{program.pk}/matches/{match.pk}/end/"
    assert client.post(end, {"reason": ""}).status_code == 422
    assert client.post(end, {"reason": "Mentor changed teams."}).status_code == 302
    match.refresh_from_db()
    assert match.status == "ended"
    create = f"/manage/programs/{program.pk}/matches/new/"
    page = client.get(f"{create}?mentee={learner.pk}").content.decode()
    assert f'value="{learner.pk}" selected' in page
    response = client.post(create, {"mentee": learner.pk, "mentor": first.pk})
    assert response.status_code == 422
    assert b"paired" in response.content
    response = client.post(create, {"mentee": learner.pk, "mentor": second.pk})
    assert response.status_code == 302
    assert Match.objects.get(mentee=learner, status="proposed").mentor == second


def test_roles(alpha, beta, program):
    match = Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status="active",
        started_at="2026-01-05T10:00Z",
    )
    base = f"/manage/programs/{program.pk}/matches/"
    assert alpha.client("mentee").get(base).status_code == 403
    assert alpha.client("coordinator2").get(base).status_code == 404
    assert (
        alpha.client("coordinator2")
        .post(f"{base}{match.pk}/end/", {"reason": "x"})
        .status_code
        == 404
    )
    assert beta.client("hradmin").get(base).status_code == 404
    alpha.activate()
    match.refresh_from_db()
    assert match.status == "active"


@pytest.mark.parametrize("size", [5, 300])
def test_constant_queries(alpha, program, size, django_assert_max_num_queries):
    from matching.models import MatchRun

    run = MatchRun.objects.create(program=program, mode="optimal", status="published")
    proposals_bulk(program, run, size)
    Match.objects.filter(run=run).update(status="proposed")
    client = alpha.client("coordinator")
    # tenant routing (3), session, user, program, counts by status, COUNT, the
    # page with both people joined, mentees without a match
    with django_assert_max_num_queries(10):
        response = client.get(f"/manage/programs/{program.pk}/matches/")
    assert response.status_code == 200
