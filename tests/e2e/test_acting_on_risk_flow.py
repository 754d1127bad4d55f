"""Acting on risk in a browser: the coordinator sees an at-risk pair on the home
page, opens it, records a check-in, messages the pair (the outbox holds the
message for both) and nudges them; then opens the mentee's page (answers,
training, match, meetings, pulses). Screenshots under /tmp/shots/c2/ at 1280 and
390 px: the pair page with the check-in form, the participant page, the training
page and the resource library."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email
from tests.e2e.people import OTHER_PAIRS

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/c2")  # noqa: S108 (where the session looks at them)
RISKY = ("Bartholomew Christophersen-Montgomery", "Nguyễn Thị Minh Khai")


@pytest.fixture
def world(django_db_blocker, server):
    """Committed: an active reverse-mentoring program of the coordinator persona,
    four pairs (the first at risk), an application question answered by the
    at-risk mentee, a training module, a resource."""
    from programs.models import (
        ApplicationQuestion,
        AudienceRole,
        Enrollment,
        Program,
        Resource,
        TrainingModule,
    )
    from tests.checkins.bulk import bulk_pairs

    tag = secrets.token_hex(3)
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        from mentorship.accounts.models import User

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
            program=program,
            count=4,
            prefix=f"e2e-{tag}",
            names=[RISKY, *OTHER_PAIRS[:3]],
        )
        question = ApplicationQuestion.objects.create(
            program=program,
            text="What would you like your senior partner to understand?",
            kind="long_text",
        )
        TrainingModule.objects.create(
            program=program,
            title="Openness to learning from juniors",
            required_for_role=AudienceRole.MENTEE,
        )
        Resource.objects.create(
            program=program,
            title="Reverse mentoring guide",
            url="https://intranet.example/reverse-guide",
        )
        mentee = Enrollment.objects.get(pk=pairs[0].mentee_id)
        mentee.answers = {str(question.pk): "How my generation uses chat at work."}
        mentee.save(update_fields=["answers"])
    yield {"program": program, "risky": pairs[0], "mentee": mentee, "tag": tag}
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
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        if width == 390:
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= 390, f"{name} is {scroll} px wide at 390"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_coordinator_acts_on_an_at_risk_pair(page, site, world, django_db_blocker):
    from checkins.models import CoordinatorCheckIn
    from mentorship.notifications.models import Notification

    risky = world["risky"]
    sign_in(page, site, persona_email("coordinator", "alpha"))

    # the home shows the at-risk pair; it opens the pair's page
    page.goto(site("alpha", "/manage/"))
    card = page.locator(".home-card").filter(has_text=world["program"].name)
    card.locator(".home-risk a", has_text=RISKY[1]).click()
    expect(page).to_have_url(site("alpha", f"/pairs/{risky.pk}/"))
    expect(page.get_by_role("heading", name="At risk")).to_be_visible()
    expect(page.get_by_text("Record a check-in")).to_be_visible()
    snap(page, "pair-page")

    # a check-in: date (today, prefilled), how it went, notes, follow-up
    panel = page.locator("#act")
    panel.get_by_label("Some concerns").check()
    panel.get_by_label("Notes").fill("Called both. They lost the thread after a reorg.")
    panel.get_by_label("Follow-up", exact=True).fill("Check they met by Friday.")
    panel.get_by_role("button", name="Save check-in").click()
    expect(
        page.get_by_text("Check-in recorded. Only coordinators see it.")
    ).to_be_visible()
    expect(page.locator(".checkin-list")).to_contain_text("They lost the thread")

    # a message to both, through the outbox
    page.locator("#act summary", has_text="Message the pair").click()
    panel.get_by_label("To").select_option("both")
    panel.get_by_label("Subject").fill("Shall we find a time?")
    panel.get_by_label("Message").fill(
        "I can help you pick a slot that suits you both."
    )
    panel.get_by_role("button", name="Send message").click()
    expect(page.get_by_text("Message sent to both of them.")).to_be_visible()
    expect(page.locator(".sent-list")).to_contain_text("Shall we find a time?")

    # a nudge
    panel.get_by_role("button", name="Nudge both to meet").click()
    expect(page.get_by_text("Nudged both to plan their next meeting.")).to_be_visible()

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        sent = Notification.objects.filter(
            kind="coordinator-message",
            dedupe_key__startswith=f"coordinator-message:{risky.pk}:",
        )
        assert sorted(n.recipient.full_name for n in sent) == sorted(RISKY)
        assert all(n.subject == "Shall we find a time?" for n in sent)
        assert (
            Notification.objects.filter(
                kind="coordinator-nudge",
                dedupe_key__startswith=f"coordinator-nudge:{risky.pk}:",
            ).count()
            == 2
        )
        assert (
            CoordinatorCheckIn.objects.get(match_id=risky.pk).outcome == "some_concerns"
        )

    # the pair never sees the check-in (the mentee signs in with no password here:
    # checked in tests/checkins/test_coordinator_actions.py)

    # the mentee's page: answers with their question, training, match, pulses
    page.goto(site("alpha", f"/manage/people/{world['mentee'].participant_id}/"))
    expect(
        page.get_by_text("What would you like your senior partner to understand?")
    ).to_be_visible()
    expect(page.get_by_text("How my generation uses chat at work.")).to_be_visible()
    expect(page.get_by_text("Openness to learning from juniors")).to_be_visible()
    expect(page.get_by_role("link", name=RISKY[0])).to_be_visible()
    snap(page, "participant-page")

    # the training page and the resource library, for looking at
    page.goto(site("alpha", f"/manage/programs/{world['program'].pk}/training/"))
    expect(page.get_by_role("heading", name="Training", exact=True)).to_be_visible()
    snap(page, "training-page")
    page.goto(site("alpha", f"/manage/programs/{world['program'].pk}/resources/"))
    expect(page.get_by_text("Reverse mentoring guide")).to_be_visible()
    snap(page, "resource-library")
