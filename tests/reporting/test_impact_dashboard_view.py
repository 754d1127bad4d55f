"""The impact dashboard (/manage/programs/<id>/impact/): who may see it, filters over
htmx, empty state, and a query count that does not grow with the program."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.models import Program
from tests.programs.factories import ProgramFactory
from tests.reporting.impact_bulk import bulk_impact_program


def _url(program: Program, query: str = "") -> str:
    return f"/manage/programs/{program.pk}/impact/{query}"


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(captured)


@pytest.mark.parametrize("query", ["", "?by=mentor"])
def test_query_count_does_not_grow_with_the_program(alpha, coordinator, query):
    # given: two programs of 50 and 150 participants (20 / 60 pairs, 200 / 600
    # meetings, 100 / 300 responses); bench/pages.py runs 500 and 5,000
    small = bulk_impact_program(size=50, prefix="qc-small", coordinator=coordinator)
    large = bulk_impact_program(size=150, prefix="qc-large", coordinator=coordinator)
    client = alpha.client("coordinator")
    client.get(_url(small, query))  # warm the session and caches
    # when
    small_count = _count(client, _url(small, query))
    large_count = _count(client, _url(large, query))
    # then: session, user, program; cohorts (runs); enrolments; pairs with meeting
    # and update aggregates; goals; pulses; at-risk pairs (4); assignments;
    # answers; the staff list; later mentor enrolments; objectives with measures
    assert small_count == large_count
    assert large_count < 20


def test_every_section_and_the_objectives_render(alpha, coordinator):
    program = bulk_impact_program(size=50, prefix="render", coordinator=coordinator)
    response = alpha.client("coordinator").get(_url(program))
    body = response.content.decode()
    for heading in (
        "Enrolment funnel",
        "Engagement",
        "Outcomes",
        "Retention",
        "Growth",
        "Responsiveness",
        "Objectives",
        "Mentees grow confident leading meetings",
    ):
        assert heading in body
    # each chart is an image with a title and a description, followed by a table
    assert body.count('role="img"') >= 5
    assert body.count("<table") >= body.count('role="img"')
    assert "style=" not in body.split("<main", 1)[1]  # the CSP allows no inline style


def test_htmx_filter_returns_only_the_body(alpha, coordinator):
    program = bulk_impact_program(size=20, prefix="htmx", coordinator=coordinator)
    response = alpha.client("coordinator").get(
        _url(program, "?by=country"), HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="impact-body"')
    assert "By country" in body
    assert "<html" not in body


def test_bad_period_is_422_and_shows_everyone(alpha, coordinator):
    program = bulk_impact_program(size=20, prefix="bad", coordinator=coordinator)
    response = alpha.client("coordinator").get(_url(program, "?start=2026-05-01"))
    assert response.status_code == 422
    assert "Give both the first and the last day." in response.content.decode()


def test_empty_program_says_what_to_do(alpha, coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    body = alpha.client("coordinator").get(_url(program)).content.decode()
    assert "Nothing to measure yet." in body
    assert "Import participants" in body


def test_other_coordinators_program_is_404(alpha, coordinator):
    program = ProgramFactory(coordinators=[alpha.user("coordinator2")])
    assert alpha.client("coordinator").get(_url(program)).status_code == 404


def test_members_get_403(alpha, mentee):
    program = ProgramFactory()
    assert alpha.client("mentee").get(_url(program)).status_code == 403


def test_outsider_sees_no_data(alpha, beta, coordinator):
    program = bulk_impact_program(size=20, prefix="iso", coordinator=coordinator)
    response = beta.client("hradmin").get(_url(program))
    assert response.status_code in (302, 404)
    assert b"Growth mentoring iso" not in response.content


def test_program_page_links_to_impact(alpha, coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    body = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/")
    assert _url(program).encode() in body.content
