"""A coordinator opens a program's impact page from its dashboard, breaks the
metrics down by country over htmx, compares two periods; axe finds no serious
accessibility violation on either page; screenshots at 1280 and 390 px.

The server is another process, so the program is COMMITTED to the test database
(throwaway names) and removed afterwards."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from programs.models import Participant, Program
from tests.conftest import PASSWORD
from tests.e2e.test_checkins_flow import sign_in
from tests.reporting.impact_bulk import bulk_impact_program

pytestmark = pytest.mark.e2e

# axe-core 4.14.1 from npm (MPL-2.0, tests/e2e/vendor/axe-LICENSE.txt): run through
# Playwright's evaluate, which the page's CSP does not apply to.
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()


@pytest.fixture
def committed_program(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        coordinator = user_create(
            email=f"e2e-impact-{tag}@alpha.example",
            password=PASSWORD,
            full_name="Carla Coordinator",
            role=User.Role.COORDINATOR,
            time_zone="America/Chicago",
            verified=True,
        )
        program = bulk_impact_program(
            size=60, prefix=f"e2e-{tag}", coordinator=coordinator
        )
    yield {"coordinator": coordinator, "program": program}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        Participant.objects.filter(user__email__startswith=f"e2e-{tag}-").delete()
        User.objects.filter(email__startswith=f"e2e-{tag}-").delete()
        coordinator.delete()


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return result


def test_coordinator_reads_breaks_down_and_compares(
    page, site, shoot, committed_program
):
    program = committed_program["program"]
    sign_in(page, site, committed_program["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{program.pk}/"))
    page.get_by_role("link", name="Impact", exact=True).click()
    expect(page.get_by_role("heading", name="Impact", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Enrolment funnel")).to_be_visible()
    expect(page.get_by_text("Mentees grow confident leading meetings")).to_be_visible()
    assert serious_violations(page) == []

    # the breakdown arrives over htmx (no full reload) and lands in the URL
    page.get_by_label("Break down by").select_option("country")
    expect(page.get_by_role("heading", name="By country")).to_be_visible(timeout=20_000)
    assert "by=country" in page.url
    assert serious_violations(page) == []
    shoot("impact-dashboard")

    page.get_by_role("link", name="Compare cohorts").click()
    first = page.get_by_role("group", name="First cohort")
    second = page.get_by_role("group", name="Second cohort")
    first.get_by_label("From").fill("2020-01-01")
    first.get_by_label("To").fill("2024-12-31")
    second.get_by_label("From").fill("2025-01-01")
    second.get_by_label("To").fill("2030-12-31")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("columnheader", name="Change").first).to_be_visible(
        timeout=20_000  # two full computations; the shared test machine is slow
    )
    assert serious_violations(page) == []
    shoot("impact-compare")
