"""Arrival and staying in touch (issue 15), in Chromium: an invited person sets their
first password, lands on the welcome, sets a preferred name, zone and quiet hours,
finds their partner's meeting request on the home page and accepts it; the partner
posts an update, and it is on the notifications page. Screenshots of the welcome,
home, notifications, preferences and error pages at 1280 and 390 px.

The server is another process, so the pair is COMMITTED to the test database
(throwaway names) and removed afterwards."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from checkins.selectors import pair_of, pair_queryset
from checkins.services import meeting_propose
from checkins.services.meetings import MeetingDetails
from matching.models import Match
from mentorship.accounts.models import User
from mentorship.accounts.services import NewUser, password_reset_path, user_create_many
from programs.models import Enrollment, Participant, Program
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a-long-new-passphrase-9"
# The page's cumulative layout shift so far (buffered layout-shift entries not caused
# by input), as Chromium reports it.
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""
# Set SHOTS_DIR to also copy this test's screenshots there for review.
SHOTS_DIR = os.environ.get("SHOTS_DIR", "")


@pytest.fixture
def invited_pair(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag, (("mentor", "Rafael Costa", User.Role.MEMBER, "America/Sao_Paulo"),)
        )
        (invited,) = user_create_many(
            people=[
                NewUser(
                    email=f"e2e-invited-{tag}@alpha.example",
                    full_name="Ana Lúcia Ferreira",
                    time_zone="UTC",
                )
            ]
        )
        people["invited"] = invited
        program = Program.objects.create(
            name=f"Women in tech {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            meeting_length_minutes=45,
        )
        enrollments = [
            Enrollment.objects.create(
                participant=Participant.objects.create(user=people[key], title=title),
                program=program,
                role=role,
                status=Enrollment.Status.APPROVED,
            )
            for key, role, title in (
                ("mentor", "mentor", "Engineering manager"),
                ("invited", "mentee", "Developer"),
            )
        ]
        match = Match.objects.create(
            program=program,
            mentor=enrollments[0],
            mentee=enrollments[1],
            status=Match.Status.ACTIVE,
            started_at=timezone.now() - datetime.timedelta(days=3),
        )
        # The mentor already asked to meet, at noon UTC in four days.
        start = (timezone.now() + datetime.timedelta(days=4)).replace(
            hour=12, minute=0, second=0, microsecond=0
        )
        meeting_propose(
            pair=pair_of(pair_queryset().get(pk=match.pk)),
            by=people["mentor"],
            starts_at=start,
            details=MeetingDetails(duration_minutes=45, agenda="Getting to know you"),
        )
        link = password_reset_path(invited)
    yield {"people": people, "match": match, "link": link}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        people_remove(tag, people)


def _keep(names: list[str]) -> None:
    if not SHOTS_DIR:
        return
    shots = Path(SHOTS_DIR)
    shots.mkdir(parents=True, exist_ok=True)
    for name in names:
        for label in ("desktop", "phone"):
            source = SCREENSHOTS / f"{name}-{label}.png"
            if source.exists():
                shutil.copy(source, shots / source.name)


def test_invited_person_arrives_answers_and_hears_from_their_partner(
    page, browser, site, shoot, invited_pair
):
    people, match = invited_pair["people"], invited_pair["match"]

    # The invitation link: choose a first password …
    page.goto(site("alpha", invited_pair["link"]))
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    # … signed in, on the welcome, pre-filled, with the local time shown.
    expect(page).to_have_url(site("alpha", "/welcome/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator(".local-time")).to_contain_text("UTC")
    expect(page.get_by_label("Working hours start")).to_have_value("09:00")
    shoot("welcome")
    page.get_by_label("What should we call you?").fill("Lia")
    # 180 languages: the filter box finds one, ticked ones stay in sight
    page.get_by_placeholder("Type to find a language").fill("portug")
    page.get_by_label("Portuguese").check()
    expect(page.get_by_label("Spanish")).to_be_hidden()
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Quiet hours from").fill("21:30")
    page.get_by_label("Quiet hours until").fill("07:30")
    page.get_by_role("button", name="Save and continue").click()

    # Home: greeted by the name she chose; the mentor's request waits for her.
    expect(page).to_have_url(site("alpha", "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lia")
    card = page.locator("#portal-waiting")
    expect(card).to_contain_text("Rafael Costa asks to meet")
    expect(card).to_contain_text("for you")  # both zones: hers and Rafael's
    expect(card).to_contain_text("for Rafael Costa")
    # Nothing jumps while the cards load (CLS was 0.15: the cards pushed the page down).
    page.wait_for_load_state("networkidle")
    shift = page.evaluate(LAYOUT_SHIFT)
    assert shift < 0.05, f"cumulative layout shift {shift:.3f}"
    shoot("home")
    card.get_by_role("button", name="Accept").click()
    expect(page).to_have_url(re.compile(rf"/pairs/{match.pk}/"))
    expect(page.get_by_text("Confirmed.")).to_be_visible()

    # The partner posts an update (in a browser of his own).
    partner = browser.new_context(viewport={"width": 1280, "height": 900})
    partner_page = partner.new_page()
    sign_in(partner_page, site, people["mentor"])
    partner_page.goto(site("alpha", f"/pairs/{match.pk}/"))
    partner_page.get_by_label("Post an update").fill(
        "Read the **chapter on feedback** before we meet?"
    )
    partner_page.get_by_role("button", name="Post update").click()
    partner.close()

    # It is on her notifications page, with the bell counting it.
    page.goto(site("alpha", "/"))
    expect(page.locator("#bell-count")).not_to_be_empty()
    page.get_by_role("link", name=re.compile("Notifications")).click()
    item = page.locator(".notification", has_text="Rafael Costa posted an update")
    expect(item).to_be_visible()
    expect(item).to_contain_text("in your daily digest email")
    shoot("notifications")

    # Her preferences, and the error pages a member can meet.
    page.goto(site("alpha", "/preferences/"))
    expect(page.get_by_label("Quiet hours from")).to_have_value("21:30")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Lisbon")
    shoot("preferences")
    response = page.goto(site("alpha", "/manage/"))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This page isn't open to you"
    )
    shoot("error-403")
    response = page.goto(site("alpha", "/no-such-page/"))
    assert response.status == 404
    shoot("error-404")
    _keep(["welcome", "home", "notifications", "preferences", "error-403", "error-404"])
