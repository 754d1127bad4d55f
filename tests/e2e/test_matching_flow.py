"""Matching end to end: a coordinator runs matching, reviews and publishes; the
mentee accepts in the portal, then the mentor, and the match is active.

The server is another process, so the data is committed (outside the test
transaction) in a throwaway program with unique names, and removed afterwards.
"""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email

pytestmark = pytest.mark.e2e


MENTORS = [
    # name, zone, country, title, skills offered, languages, seniority
    (
        "Minh Tran",
        "Asia/Ho_Chi_Minh",
        "VN",
        "Staff engineer",
        ["system design", "python"],
        ["en", "vi"],
        5,
    ),
    (
        "Sofia Reyes",
        "America/Mexico_City",
        "MX",
        "Engineering manager",
        ["leadership", "hiring"],
        ["en", "es"],
        5,
    ),
    (
        "Lena Vogel",
        "Europe/Berlin",
        "DE",
        "Principal designer",
        ["ux research", "design systems"],
        ["en", "de"],
        4,
    ),
]
MENTEES = [
    (
        "Ana Costa",
        "Europe/Lisbon",
        "PT",
        "Backend developer",
        ["system design", "python"],
        ["en", "pt"],
        2,
    ),
    (
        "Kofi Mensah",
        "Africa/Accra",
        "GH",
        "Team lead",
        ["leadership", "hiring"],
        ["en"],
        3,
    ),
    (
        "Yuki Sato",
        "Asia/Tokyo",
        "JP",
        "Product designer",
        ["design systems"],
        ["en", "ja"],
        2,
    ),
    (
        "Omar Haddad",
        "Asia/Dubai",
        "AE",
        "Data analyst",
        ["python", "ux research"],
        ["en", "ar"],
        2,
    ),
]


@pytest.fixture
def world(django_db_blocker, server):
    """Committed: a matching-stage program coordinated by the coordinator persona,
    three mentors, four mentees (Ana signs in), all approved."""
    from mentorship.accounts.models import User
    from mentorship.accounts.services import user_create
    from mentorship.notifications.models import Notification
    from programs.models import Enrollment, Participant, Program

    tag = secrets.token_hex(3)
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        coordinator = User.objects.get(email=persona_email("coordinator", "alpha"))
        program = Program.objects.create(
            name=f"Engineering Mentoring {tag}",
            kind=Program.Kind.ONE_TO_ONE,
            status=Program.Status.MATCHING,
            focus_areas=["System design", "Leadership"],
        )
        program.coordinators.add(coordinator)
        users = {}
        for role, people in (("mentor", MENTORS), ("mentee", MENTEES)):
            for name, zone, country, title, skills, languages, seniority in people:
                first = name.split()[0].lower()
                user = user_create(
                    email=f"{first}.{tag}@e2e.example",
                    password=PASSWORD,
                    full_name=name,
                    preferred_name=name.split()[0],  # "Minh": greetings say it
                    time_zone=zone,
                    verified=True,
                )
                participant = Participant.objects.create(
                    user=user,
                    title=title,
                    country=country,
                    languages=languages,
                    seniority=seniority,
                    working_hours_start=datetime.time(9),
                    working_hours_end=datetime.time(18),
                    mentoring_capacity=2,
                    **{
                        "skills_offered"
                        if role == "mentor"
                        else "skills_wanted": skills
                    },
                    bio="Happy to share what I learned the hard way."
                    if role == "mentor"
                    else "",
                )
                Enrollment.objects.create(
                    participant=participant,
                    program=program,
                    role=role,
                    status=Enrollment.Status.APPROVED,
                )
                users[first] = user
        started = datetime.datetime.now(datetime.UTC)
    yield {"program": program, "users": users, "tag": tag}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        User.objects.filter(pk__in=[u.pk for u in users.values()]).delete()
        Notification.objects.filter(
            recipient=coordinator, created_at__gte=started, kind__startswith="match-"
        ).delete()


def sign_in(page, site, email):
    page.context.clear_cookies()
    page.goto(site("alpha", "/accounts/login/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_coordinator_matches_and_mentee_accepts(
    page, site, shoot, world, django_db_blocker
):
    program, users = world["program"], world["users"]
    review = site("alpha", f"/manage/programs/{program.pk}/matching/")

    # The coordinator runs matching (small program: it finishes in the request).
    sign_in(page, site, persona_email("coordinator", "alpha"))
    expect(page).to_have_url(re.compile(r"/manage/$"))
    page.goto(site("alpha", f"/manage/programs/{program.pk}/"))
    # after enrolment closed, running matching is the program's primary next step
    page.get_by_role("link", name="Run matching", exact=True).click()
    expect(page).to_have_url(review)
    expect(page.get_by_text("No run yet")).to_be_visible()
    page.get_by_role("link", name="Criteria").first.click()
    expect(page.get_by_label("Skills")).to_have_value("5")
    shoot("match-criteria")
    page.get_by_role("button", name="Save criteria").click()
    expect(page.get_by_text("Matching criteria saved")).to_be_visible()
    page.get_by_role("button", name="Run matching").click()
    expect(
        page.get_by_role("heading", name="Proposals ready for review")
    ).to_be_visible()
    rows = page.locator(".proposal-table tbody tr")
    expect(rows).to_have_count(4)
    ana_row = rows.filter(has_text="Ana Costa")
    expect(ana_row).to_contain_text("Minh Tran")
    expect(ana_row).to_contain_text("Europe/Lisbon")
    expect(ana_row.locator(".why-points")).to_contain_text("Skills")
    shoot("match-review")

    # Reassign opens the swap panel with the other mentors and their scores.
    ana_row.get_by_role("link", name="Reassign").click()
    panel = page.locator("#swap-panel")
    expect(panel.get_by_role("heading", name="Reassign Ana Costa")).to_be_visible()
    expect(panel.locator(".swap-option")).not_to_have_count(0)
    shoot("match-reassign")
    page.goto(review)

    # Publish: the browser asks first, with how many people get an email; then
    # everyone gets their proposal.
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Publish to participants").click()
    expect(page.get_by_text("Published. Everyone concerned")).to_be_visible()
    expect(page.get_by_role("heading", name="Published", exact=True)).to_be_visible()
    assert asked
    assert "Emails" in asked[0]
    assert "people" in asked[0]
    page.get_by_role("link", name="All matches").first.click()
    expect(page.locator(".match-table tbody tr")).to_have_count(4)
    shoot("match-list")

    # Ana sees her proposed mentor on the portal home and on "Your matches".
    sign_in(page, site, users["ana"].email)
    expect(page.locator("#portal-matches")).to_contain_text("1 waiting for your answer")
    page.get_by_role("link", name="See why and answer").click()
    card = page.locator(".match-card").filter(has_text="Minh Tran")
    expect(card).to_contain_text(
        "Minh offers system design, python — what you want to learn."
    )
    expect(card).to_contain_text(re.compile(r"Ho Chi Minh · \d+ h ahead of you"))
    shoot("match-portal")
    card.get_by_role("button", name="Accept Minh").click()
    expect(page.get_by_text("Accepted. We'll let you know")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Waiting for the other side")
    ).to_be_visible()

    # Minh accepts too: the match is active.
    sign_in(page, site, users["minh"].email)
    page.goto(site("alpha", "/matches/"))
    page.locator(".match-card").filter(has_text="Ana Costa").get_by_role(
        "button", name="Accept Ana"
    ).click()
    expect(page.get_by_text("You and Ana Costa are matched")).to_be_visible()
    expect(page.get_by_role("heading", name="Active", exact=True)).to_be_visible()
    shoot("match-portal-active")

    from matching.models import Match

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        match = Match.objects.get(
            program=program, mentee__participant__user=users["ana"]
        )
        assert match.status == "active"
        assert match.started_at is not None


@pytest.mark.django_db
def test_no_throwaway_program_is_left_behind(alpha):
    """Runs after the flow. Being a database test, it also makes pytest-django set
    up the test database when this file runs alone (it only does so when some
    collected test uses the database; otherwise the server would use DATABASE_URL)."""
    from programs.models import Program

    assert not Program.objects.filter(
        name__startswith="Engineering Mentoring "
    ).exists()
