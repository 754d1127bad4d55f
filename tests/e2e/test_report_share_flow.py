"""The coordinator publishes a program's report for its sponsor; a browser with no
session opens the link and sees totals and an approved story; the coordinator
revokes it and the link answers 404. Also prints the report to PDF.

The server is another process, so the program is COMMITTED to the test database
(throwaway names) and removed afterwards."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program, ProgramObjective
from reporting.services import stories
from reporting.services.stories import StoryFields
from tests.checkins.bulk import bulk_pairs
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.people import OTHER_PAIRS, people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e

STORY = "Credit checks cost half as much"


@pytest.fixture
def committed_program(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag,
            (
                ("mentor", "Aziz Mammadov", User.Role.MEMBER, "Asia/Baku"),
                ("mentee", "Leyla Hasanova", User.Role.MEMBER, "Asia/Baku"),
                (
                    "coordinator",
                    "Carla Coordinator",
                    User.Role.COORDINATOR,
                    "Europe/Berlin",
                ),
            ),
        )
        program = Program.objects.create(
            name=f"Bridges to Leadership {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            sponsor_name="Caspian Development Fund",
            starts_on=timezone.localdate() - datetime.timedelta(days=60),
            ends_on=timezone.localdate() + datetime.timedelta(days=120),
        )
        program.coordinators.add(people["coordinator"])
        ProgramObjective.objects.create(
            program=program, text="Member associations run on sound finances"
        )
        enrollments = [
            Enrollment.objects.create(
                participant=Participant.objects.create(user=people[role]),
                program=program,
                role=role,
                status=Enrollment.Status.APPROVED,
            )
            for role in ("mentor", "mentee")
        ]
        match = Match.objects.create(
            program=program,
            mentor=enrollments[0],
            mentee=enrollments[1],
            status=Match.Status.ACTIVE,
            started_at=timezone.now() - datetime.timedelta(days=45),
        )
        bulk_pairs(
            program=program,
            count=len(OTHER_PAIRS),
            prefix=f"e2e-{tag}",
            names=OTHER_PAIRS,
        )
        story = stories.story_create(
            program=program,
            by=people["coordinator"],
            fields=StoryFields(
                title=STORY,
                what_happened="Leyla's association renegotiated its bureau contract "
                "with Aziz's help.",
                outcome="Credit-history fee reduced",
                outcome_before=2,
                outcome_after=1,
                outcome_unit="manat",
            ),
            match=match,
        )
        for role in ("mentor", "mentee"):
            stories.story_consent_set(story=story, by=people[role], agree=True)
        stories.story_approve(story=story, by=people["coordinator"])
        stories.story_create(
            program=program,
            by=people["coordinator"],
            fields=StoryFields(title="Unapproved draft", what_happened="Not yet."),
            match=match,
        )
    yield {"people": people, "program": program}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        people_remove(tag, people)


def _shots(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_coordinator_publishes_a_sponsor_opens_it_and_revocation_kills_it(
    page, browser, site, shoot, committed_program
):
    people, program = committed_program["people"], committed_program["program"]

    # The mentee, named in the draft, agrees to it in the portal.
    sign_in(page, site, people["mentee"])
    page.goto(site("alpha", "/stories/"))
    page.get_by_role("link", name="Unapproved draft").click()
    shoot("report-story-consent")
    page.get_by_role("button", name="I agree it may be shared").click()
    expect(page.get_by_text("You agreed on")).to_be_visible()

    # The coordinator sees the approved story and the draft waiting for consent.
    sign_in(page, site, people["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{program.pk}/impact/stories/new/"))
    shoot("report-story-form")
    page.goto(site("alpha", f"/manage/programs/{program.pk}/impact/stories/"))
    expect(page.locator(".story-card", has_text=STORY)).to_contain_text("In reports")
    draft = page.locator(".story-card", has_text="Unapproved draft")
    expect(draft).to_contain_text("Draft")
    expect(draft).to_contain_text("Consent (1 of 2)")
    shoot("report-stories")

    # The coordinator publishes a link from the program's share page.
    page.goto(site("alpha", f"/manage/programs/{program.pk}/impact/share/"))
    page.get_by_label("Who it is for").fill("Caspian Development Fund, Q3")
    page.get_by_role("button", name="Publish a new link").click()
    link = page.get_by_label("New report link")
    expect(link).to_be_visible()
    url = link.input_value()
    assert "/r/" in url
    shoot("report-share")

    # A fresh browser with no session opens it: totals and the approved story.
    sponsor = browser.new_context()
    try:
        visitor = sponsor.new_page()
        response = visitor.goto(url)
        assert response.status == 200
        assert response.headers["x-robots-tag"].startswith("noindex")
        expect(visitor.locator('meta[name="robots"]')).to_have_attribute(
            "content", "noindex, nofollow"
        )
        expect(visitor.get_by_role("heading", name=program.name)).to_be_visible()
        expect(visitor.get_by_role("heading", name=STORY)).to_be_visible()
        expect(visitor.get_by_text("from 2 to 1 manat")).to_be_visible()
        expect(visitor.get_by_text("Unapproved draft")).to_have_count(0)
        expect(visitor.get_by_role("row", name="Applied")).to_contain_text("14")
        for name in ("Leyla Hasanova", "Aziz Mammadov", "Amara Okafor"):
            expect(visitor.get_by_text(name)).to_have_count(0)
        expect(visitor.get_by_role("button", name="Sign out")).to_have_count(0)
        _shots(visitor, "report-shared")

        # The coordinator's printable report, saved as PDF by Chromium.
        page.goto(site("alpha", f"/manage/programs/{program.pk}/impact/report/"))
        expect(page.get_by_role("heading", name=STORY)).to_be_visible()
        shoot("report-printable")
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4", print_background=True)
        page.emulate_media(media="screen")
        (SCREENSHOTS / "report-printable.pdf").write_bytes(pdf)
        assert pdf.startswith(b"%PDF")
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 2

        # The coordinator revokes it, after confirming; the link is dead at once.
        page.goto(site("alpha", f"/manage/programs/{program.pk}/impact/share/"))
        page.get_by_role("link", name="Revoke…").click()
        expect(page.get_by_text("This can't be undone")).to_be_visible()
        page.get_by_role("button", name="Revoke the link").click()
        expect(page.get_by_text("Revoked")).to_be_visible()
        assert visitor.goto(url).status == 404
    finally:
        sponsor.close()
