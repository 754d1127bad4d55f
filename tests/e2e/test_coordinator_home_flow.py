"""The coordinator's loop in a browser: the home says what to do next and its
at-risk pair opens the pair's page; closing asks first on the shared confirmation
page; the enrolment and match tables fit a 390 px phone with long names (the
score stays on screen). Screenshots under /tmp/shots/c1/ (1280 and 390 px).

(Publishing a run asks first: tests/e2e/test_matching_flow.py accepts the dialog
and checks it names how many people get an email.)
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/c1")  # noqa: S108 (where the session looks at them)
LONG_MENTEE = "Maximiliana Alexandrovna Konstantinopoulou-Vanderbilt"
LONG_MENTOR = "Bartholomew Christophersen-Montgomery III"


@pytest.fixture
def world(django_db_blocker, server):
    """Committed: an active program of the coordinator persona with pairs (every
    third at risk, one with very long names), a proposal unanswered for 41 days,
    and applications waiting."""
    from matching.models import Match
    from mentorship.accounts.models import User
    from programs.models import Enrollment, Participant, Program
    from tests.checkins.bulk import bulk_pairs

    tag = secrets.token_hex(3)
    names = [
        (LONG_MENTOR, LONG_MENTEE),
        ("Amara Okafor", "Jonas Weber"),
        ("Lucía Fernández", "Kenji Sato"),
        ("Fatima Zahra", "Tomasz Nowak"),
    ]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        coordinator = User.objects.get(email=persona_email("coordinator", "alpha"))
        today = timezone.now().date()
        program = Program.objects.create(
            name=f"Reverse Mentoring {tag}",
            kind=Program.Kind.REVERSE,
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            starts_on=today - datetime.timedelta(days=45),
            ends_on=today + datetime.timedelta(days=120),
        )
        program.coordinators.add(coordinator)
        pairs = bulk_pairs(
            program=program, count=len(names), prefix=f"e2e-{tag}", names=names
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"e2e-{tag}-{n}@bulk.example",
                    full_name=name,
                    password="!unusable",
                )
                for n, name in enumerate(
                    ["Priya Raman", "Oskar Lindqvist", "Wanjiru Kamau"]
                )
            ]
        )
        people = Participant.objects.bulk_create([Participant(user=u) for u in users])
        mentor_e, mentee_e, _applicant = Enrollment.objects.bulk_create(
            [
                Enrollment(
                    participant=person, program=program, role=role, status=status
                )
                for person, role, status in zip(
                    people,
                    ["mentor", "mentee", "mentee"],
                    ["approved", "approved", "applied"],
                    strict=True,
                )
            ]
        )
        Match.objects.create(
            program=program,
            mentor=mentor_e,
            mentee=mentee_e,
            status="proposed",
            proposed_at=timezone.now() - datetime.timedelta(days=41),
        )
    yield {"program": program, "risky": pairs[0], "tag": tag}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        User.objects.filter(email__startswith=f"e2e-{tag}-").delete()


def sign_in(page, site, email):
    page.context.clear_cookies()
    page.goto(site("alpha", "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def snap(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width, label in ((1280, "1280"), (390, "390")):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def fits_the_phone(page) -> None:
    """Nothing on the page is wider than the 390 px viewport."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width} px wide at 390"


def test_home_next_step_risk_confirmation_and_phone_tables(page, site, world):
    program = world["program"]
    sign_in(page, site, persona_email("coordinator", "alpha"))
    page.goto(site("alpha", "/manage/"))
    card = page.locator(".home-card").filter(has_text=program.name)
    # the next step is the pairs at risk, and the figures link to their lists
    expect(card.locator(".next-step")).to_have_text("Check on 2 pairs at risk")
    expect(
        card.get_by_role("link", name="1 proposal waiting over 7 days")
    ).to_be_visible()
    expect(card.get_by_role("link", name="1 application to decide")).to_be_visible()
    snap(page, "home")
    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    # an at-risk pair on the home opens the pair's page
    card.locator(".home-risk a", has_text=LONG_MENTEE).click()
    expect(page).to_have_url(site("alpha", f"/pairs/{world['risky'].pk}/"))

    # the stale proposal: flagged on the match list, with remind and reassign
    page.goto(site("alpha", "/manage/"))
    card.get_by_role("link", name="1 proposal waiting over 7 days").click()
    row = page.locator(".match-table tbody tr").filter(has_text="Wanjiru")
    expect(page.locator(".match-table tbody tr")).to_have_count(1)
    expect(page.get_by_text("No answer for 41 days")).to_be_visible()
    expect(page.get_by_role("button", name="Remind")).to_be_visible()
    expect(page.get_by_role("link", name="Reassign…")).to_be_visible()
    assert row.count() == 0  # the applicant is not in a match

    # on a phone the match table is one card per pair; long names wrap and the
    # score stays on screen
    page.goto(site("alpha", f"/manage/programs/{program.pk}/matches/"))
    page.set_viewport_size({"width": 390, "height": 844})
    fits_the_phone(page)
    long_row = page.locator(".match-table tbody tr").filter(has_text=LONG_MENTEE)
    score = long_row.locator("td.num")
    box = score.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= 390
    page.screenshot(path=str(SHOTS / "match-list-390.png"), full_page=True)

    # the enrolment table too
    page.goto(site("alpha", f"/manage/programs/{program.pk}/"))
    fits_the_phone(page)
    page.screenshot(path=str(SHOTS / "enrolment-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # closing asks first, on the shared confirmation page, with real counts
    page.get_by_role("link", name="Close program…").click()
    expect(page.get_by_role("heading", name=f"Close {program.name}")).to_be_visible()
    expect(page.get_by_text("5 matches that are running or proposed")).to_be_visible()
    snap(page, "confirm-close")
    page.get_by_role("link", name="Keep it as it is").click()
    expect(page.get_by_role("heading", name=program.name)).to_be_visible()
