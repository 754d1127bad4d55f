"""A pair across time zones plans, holds, logs and rates a meeting; the coordinator
sees it healthy. The server is another process, so the pair is COMMITTED to the
test database (throwaway names) and removed afterwards."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from checkins.models import Meeting
from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program
from tests.checkins.bulk import bulk_pairs
from tests.conftest import PASSWORD
from tests.e2e.people import OTHER_PAIRS, people_create, people_remove

pytestmark = pytest.mark.e2e


@pytest.fixture
def committed_pair(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag,
            (
                ("mentor", "Minh Tran", User.Role.MEMBER, "Asia/Ho_Chi_Minh"),
                ("mentee", "Priya Nair", User.Role.MEMBER, "Asia/Kolkata"),
                (
                    "coordinator",
                    "Carla Coordinator",
                    User.Role.COORDINATOR,
                    "America/Chicago",
                ),
            ),
        )
        # They go by their preferred names (greetings use greeting_name, issue 13).
        for role, preferred in (("mentor", "Minh"), ("mentee", "Priya")):
            people[role].preferred_name = preferred
            people[role].save(update_fields=["preferred_name"])
        program = Program.objects.create(
            name=f"Cross-border mentoring {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            meeting_length_minutes=45,
        )
        program.coordinators.add(people["coordinator"])
        enrollments = [
            Enrollment.objects.create(
                participant=Participant.objects.create(
                    user=people[role], title=title, department="Engineering"
                ),
                program=program,
                role=role,
                status=Enrollment.Status.APPROVED,
            )
            for role, title in (("mentor", "Staff engineer"), ("mentee", "Engineer"))
        ]
        match = Match.objects.create(
            program=program,
            mentor=enrollments[0],
            mentee=enrollments[1],
            status=Match.Status.ACTIVE,
            started_at=timezone.now() - datetime.timedelta(days=5),
        )
        # A few more pairs, so the health view looks like a running program.
        bulk_pairs(
            program=program,
            count=len(OTHER_PAIRS),
            prefix=f"e2e-{tag}",
            names=OTHER_PAIRS,
        )
    yield {"people": people, "program": program, "match": match}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        people_remove(tag, people)


def sign_in(page, site, user):
    page.context.clear_cookies()
    page.goto(site("alpha", "/accounts/login/"))
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def log_and_rate(page, site, match_id, *, usefulness, private, shoot=None):
    page.goto(site("alpha", f"/pairs/{match_id}/"))
    page.get_by_role("link", name="Log it").click()
    page.get_by_label("Yes, we met").check()
    page.get_by_label("Topics").fill("career plan, feedback")
    page.get_by_label("Shared notes").fill("We agreed on a first step.")
    page.get_by_label("Private note").fill(private)
    page.get_by_role("button", name="Save log").click()
    expect(page.get_by_text("Logged. Thank you!")).to_be_visible()
    expect(page.locator(".private-note")).to_contain_text(
        private
    )  # the author reads it
    if shoot:
        shoot("checkins-meeting")
    page.locator(".scale-option", has_text=str(usefulness)).click()
    page.get_by_label("Anything the coordinator should know?").fill("Going well")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thanks — that helps your coordinator.")).to_be_visible()


def test_pair_plans_holds_logs_and_rates_a_meeting(
    page, site, shoot, committed_pair, django_db_blocker
):
    people, match = committed_pair["people"], committed_pair["match"]
    pair_url = site("alpha", f"/pairs/{match.pk}/")

    # The mentor (Ho Chi Minh City) sees slots on both clocks and proposes the first.
    sign_in(page, site, people["mentor"])
    page.goto(pair_url)
    first_slot = page.locator("label.slot").first
    slot_text = first_slot.locator(".times").inner_text()
    assert re.fullmatch(
        r"\w{3} \d\d:\d\d for you · (\w{3} )?\d\d:\d\d for Priya", slot_text
    )
    shoot("checkins-pair-propose")
    first_slot.click()
    page.get_by_label("Agenda").fill("Your first 90 days")
    page.get_by_role("button", name="Propose to Priya").click()
    expect(page.get_by_text("Waiting for Priya")).to_be_visible()

    # The mentee (Kolkata) sees it on her clock first, and accepts.
    sign_in(page, site, people["mentee"])
    page.goto(pair_url)
    waiting = page.locator("section", has_text="Waiting for your answer")
    expect(waiting).to_contain_text("for you · ")
    expect(waiting).to_contain_text("for Minh")
    waiting.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Add to calendar")).to_be_visible()

    # The meeting takes place (moved into the past: the clock can't wait).
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Meeting.objects.filter(match_id=match.pk).update(
            starts_at=timezone.now() - datetime.timedelta(hours=2)
        )

    log_and_rate(page, site, match.pk, usefulness=5, private="PRIV-e2e-mentee")
    sign_in(page, site, people["mentor"])
    log_and_rate(
        page, site, match.pk, usefulness=4, private="PRIV-e2e-mentor", shoot=shoot
    )
    page.goto(pair_url)
    expect(page.get_by_text("PRIV-e2e-mentee")).to_have_count(0)
    shoot("checkins-pair")

    # The coordinator sees the pair healthy, with both ratings.
    sign_in(page, site, people["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{committed_pair['program'].pk}/health/"))
    row = page.locator("tr", has_text="Minh Tran → Priya Nair")
    expect(row).to_contain_text("Healthy")
    expect(row).to_contain_text("4.5")
    expect(row).to_contain_text("1 / 0")
    shoot("checkins-health")
    row.get_by_role("link", name="Minh Tran → Priya Nair").click()
    expect(page.get_by_text("PRIV-e2e")).to_have_count(0)
    expect(page.get_by_role("heading", name="Healthy")).to_be_visible()
    shoot("checkins-pair-coordinator")
