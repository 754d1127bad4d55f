"""Pausing a pair in a browser: the coordinator pauses an at-risk pair from the
health view (a too-long pause is refused on the form), the row then reads "Paused
until …" and is no longer at risk; the mentor sees the pause on the pair's page and
ends it early through the confirm dialog. Screenshots under /tmp/pause-shots/ at
1280 and 390 px."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import persona_email
from tests.e2e.people import OTHER_PAIRS
from tests.e2e.test_acting_on_risk_flow import sign_in

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/pause-shots")  # noqa: S108 (where the session looks at them)
RISKY = ("Bartholomew Christophersen-Montgomery", "Nguyễn Thị Minh Khai")


@pytest.fixture
def world(django_db_blocker, server):
    """Committed: an active program of the coordinator persona with four bulk pairs
    (the first at risk) and the mentor and mentee personas as a fifth pair."""
    from checkins.models import Meeting
    from programs.models import Participant, Program
    from tests.checkins.bulk import bulk_pairs
    from tests.checkins.conftest import make_pair

    tag = secrets.token_hex(3)
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        from mentorship.accounts.models import User

        coordinator = User.objects.get(email=persona_email("coordinator", "alpha"))
        program = Program.objects.create(
            name=f"Cross-border mentoring {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
        )
        program.coordinators.add(coordinator)
        pairs = bulk_pairs(
            program=program,
            count=4,
            prefix=f"e2e-{tag}",
            names=[RISKY, *OTHER_PAIRS[:3]],
        )
        personas = [
            User.objects.get(email=persona_email(role, "alpha"))
            for role in ("mentor", "mentee")
        ]
        # Their profiles are made here, committed: removed afterwards, so that
        # the other test modules find the personas as they left them.
        new_profiles = [
            user.pk
            for user in personas
            if not Participant.objects.filter(user=user).exists()
        ]
        own = make_pair(program=program, mentor=personas[0], mentee=personas[1])
        now = timezone.now()
        for days, status, sequence in ((20, "missed", 0), (9, "confirmed", 2)):
            Meeting.objects.create(
                match=own.match,
                starts_at=now - datetime.timedelta(days=days),
                status=status,
                sequence=sequence,
                proposed_by=own.mentor.user,
                proposed_at=now - datetime.timedelta(days=days + 3),
            )
    yield {"program": program, "risky": pairs[0], "own": own.match}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        User.objects.filter(email__startswith=f"e2e-{tag}-").delete()
        Participant.objects.filter(user_id__in=new_profiles).delete()


def snap(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == 390:
            # the top of the page as a phone shows it, readable at full size
            page.screenshot(path=str(SHOTS / f"{name}-{width}-top.png"))
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} is {scroll} px wide at 390"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_pause_from_the_health_view_and_end_it_early(page, site, world):
    program, risky, own = world["program"], world["risky"], world["own"]
    today = timezone.now().date()
    sign_in(page, site, persona_email("coordinator", "alpha"))

    # the at-risk pair's row offers a pause
    page.goto(site("alpha", f"/manage/programs/{program.pk}/health/"))
    row = page.locator("tr", has_text=RISKY[1])
    expect(row.get_by_text("At risk")).to_be_visible()
    row.get_by_role("link", name="Pause…").click()
    expect(page.get_by_role("heading", name="Pause for a while")).to_be_visible()

    # too long: refused on the form
    page.get_by_label("Back on").fill(
        (today + datetime.timedelta(days=120)).isoformat()
    )
    page.get_by_label("Elections").check()
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text("A pause lasts at most 90 days")).to_be_visible()
    snap(page, "pause-form-error")

    back_on = today + datetime.timedelta(days=30)
    page.get_by_label("Back on").fill(back_on.isoformat())
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page).to_have_url(site("alpha", f"/pairs/{risky.pk}/"))
    expect(page.get_by_role("heading", name="Paused", exact=True)).to_be_visible()
    snap(page, "pair-page-coordinator")

    # the health view: paused, not at risk
    page.goto(site("alpha", f"/manage/programs/{program.pk}/health/"))
    row = page.locator("tr", has_text=RISKY[1])
    expect(row).to_contain_text(f"Paused until {back_on:%-d %b %Y} — Elections")
    expect(row.get_by_text("At risk")).to_have_count(0)
    snap(page, "health-view")

    # the mentor pauses their own pair for travel, sees it, and ends it early
    sign_in(page, site, persona_email("mentor", "alpha"))
    page.goto(site("alpha", f"/pairs/{own.pk}/"))
    expect(page.get_by_text("2 moved · 2 missed")).to_be_visible()
    page.get_by_role("link", name="Pause for a while").click()
    page.get_by_label("Travel").check()
    page.get_by_label("A word more").fill("Field visits in the provinces")
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.locator("#pause")).to_contain_text("Paused until")
    expect(page.locator("#pause")).to_contain_text(
        "Travel: Field visits in the provinces"
    )
    snap(page, "pair-page-member")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="End the pause now").click()
    expect(page.get_by_text("Pause ended: welcome back.", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="Pause for a while")).to_be_visible()
