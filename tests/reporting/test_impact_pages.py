"""The other impact pages: objectives' measures (form), compare two cohorts, and the
organization's page for HR admins."""

from __future__ import annotations

import pytest

from programs.models import ProgramObjective
from reporting.models import ObjectiveMeasure
from tests.programs.factories import ProgramFactory
from tests.reporting.impact_bulk import bulk_impact_program


@pytest.fixture
def program(alpha, coordinator):
    program = ProgramFactory(coordinators=[coordinator])
    ProgramObjective.objects.create(program=program, text="Confident mentees", order=0)
    ProgramObjective.objects.create(program=program, text="Pairs meet", order=1)
    return program


def _measures_url(program) -> str:
    return f"/manage/programs/{program.pk}/impact/objectives/"


def _post(program, **fields) -> dict:
    first, second = ProgramObjective.objects.filter(program=program).order_by("order")
    data = {}
    for objective, values in (
        (first, fields.get("first", {})),
        (second, fields.get("second", {})),
    ):
        prefix = f"o{objective.pk}"
        data.update(
            {
                f"{prefix}-source": "",
                f"{prefix}-survey_kind": "closing",
                f"{prefix}-comparison": "gte",
            }
        )
        data.update({f"{prefix}-{name}": value for name, value in values.items()})
    return data


def test_coordinator_sets_a_question_and_a_metric_measure(alpha, program):
    client = alpha.client("coordinator")
    data = _post(
        program,
        first={
            "source": "question",
            "question_key": "confidence",
            "role": "mentee",
            "threshold": "4",
            "target": "70",
        },
        second={"source": "metric", "metric": "engagement.on_cadence", "target": "80"},
    )
    response = client.post(_measures_url(program), data)
    assert response.status_code == 302
    measures = {
        m.objective.text: m
        for m in ObjectiveMeasure.objects.select_related("objective")
    }
    assert measures["Confident mentees"].question_key == "confidence"
    assert float(measures["Confident mentees"].threshold) == 4
    assert measures["Pairs meet"].metric == "engagement.on_cadence"
    # the dashboard lists both with their targets
    body = client.get(f"/manage/programs/{program.pk}/impact/").content.decode()
    assert "70 % of mentees" in body
    assert "Active pairs meeting on cadence ≥ 80 %" in body


def test_incomplete_measure_is_422_and_saves_nothing(alpha, program):
    data = _post(program, first={"source": "question", "target": "70"})
    response = alpha.client("coordinator").post(_measures_url(program), data)
    assert response.status_code == 422
    assert "Name the question" in response.content.decode()
    assert not ObjectiveMeasure.objects.exists()


def test_not_measured_removes_a_measure(alpha, program):
    objective = ProgramObjective.objects.get(program=program, text="Pairs meet")
    ObjectiveMeasure.objects.create(
        objective=objective, source="metric", metric="outcomes.nps", target=30
    )
    response = alpha.client("coordinator").post(_measures_url(program), _post(program))
    assert response.status_code == 302
    assert not ObjectiveMeasure.objects.exists()


def test_other_coordinator_cannot_set_measures(alpha, program):
    client = alpha.client("coordinator2")
    assert client.get(_measures_url(program)).status_code == 404
    assert client.post(_measures_url(program), _post(program)).status_code == 404


def test_compare_needs_two_cohorts(alpha, coordinator):
    program = bulk_impact_program(size=20, prefix="cmp", coordinator=coordinator)
    url = f"/manage/programs/{program.pk}/impact/compare/"
    client = alpha.client("coordinator")
    assert "Choose two cohorts to compare." in client.get(url).content.decode()
    bad = client.get(url + "?a_start=2026-01-01&a_end=2026-01-31")
    assert bad.status_code == 422
    assert (
        "Second cohort: Choose a matching run or a date range" in bad.content.decode()
    )
    good = client.get(
        url + "?a_start=2000-01-01&a_end=2000-12-31&b_start=2000-01-01&b_end=2999-12-31"
    )
    body = good.content.decode()
    assert good.status_code == 200
    # nobody enrolled in 2000; all 20 since → Applied 0 vs 20, change +20
    assert "+20" in body


def test_organization_page_is_for_hr_admins(alpha, coordinator):
    bulk_impact_program(size=20, prefix="org", coordinator=coordinator)
    assert alpha.client("coordinator").get("/manage/impact/").status_code == 403
    assert alpha.client("mentee").get("/manage/impact/").status_code == 403
    response = alpha.client("hradmin").get("/manage/impact/?by=kind")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Growth mentoring org" in body
    assert "By program kind" in body


def test_manage_home_links_hr_admins_to_the_organization_page(alpha):
    link = b'href="/manage/impact/"'
    assert link in alpha.client("hradmin").get("/manage/").content
    assert link not in alpha.client("coordinator").get("/manage/").content
