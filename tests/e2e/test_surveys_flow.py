"""A coordinator copies the baseline template into a program and sends it; a mentee
finds it on the portal and answers it on a phone, partly with the keyboard; the
coordinator sees the response counted. The server is another process, so the people
are COMMITTED to the test database (throwaway names) and removed afterwards."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from programs.models import Enrollment, Participant, Program
from reporting.models import Response, SurveyAssignment, SurveySend
from reporting.services import assignments
from tests.conftest import PASSWORD
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e

FOCUS = ["Leading meetings", "Giving feedback", "Working across time zones"]
OTHERS = [
    ("Amara Okafor", "NG", "Africa/Lagos"),
    ("Jonas Weber", "DE", "Europe/Berlin"),
    ("Kenji Sato", "JP", "Asia/Tokyo"),
]


@pytest.fixture
def committed(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        coordinator = user_create(
            email=f"e2e-survey-coord-{tag}@alpha.example",
            password=PASSWORD,
            full_name="Carla Coordinator",
            role=User.Role.COORDINATOR,
            time_zone="America/Chicago",
            verified=True,
        )
        program = Program.objects.create(
            name=f"Bridges to Leadership {tag}",
            status=Program.Status.ACTIVE,
            focus_areas=FOCUS,
        )
        program.coordinators.add(coordinator)
        people = [("Priya Nair", "IN", "Asia/Kolkata"), *OTHERS]
        users = []
        for index, (name, country, zone) in enumerate(people):
            user = user_create(
                email=f"e2e-survey-{index}-{tag}@alpha.example",
                password=PASSWORD,
                full_name=name,
                time_zone=zone,
                verified=True,
            )
            Enrollment.objects.create(
                participant=Participant.objects.create(user=user, country=country),
                program=program,
                role="mentee",
                status=Enrollment.Status.APPROVED,
            )
            users.append(user)
    yield {"coordinator": coordinator, "mentee": users[0], "program": program}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk=program.pk).delete()
        User.objects.filter(email__endswith=f"-{tag}@alpha.example").delete()


def test_baseline_sent_answered_on_a_phone_and_counted(
    page, site, shoot, committed, django_db_blocker
):
    program = committed["program"]
    page.on("dialog", lambda dialog: dialog.accept())

    # The coordinator copies the baseline template from the program's page.
    sign_in(page, site, committed["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{program.pk}/"))
    page.get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", name="No surveys yet")).to_be_visible()
    shoot("surveys-list")
    page.get_by_role("button", name="Use the Baseline template").click()
    expect(page.get_by_text("Where are you starting from?").first).to_be_visible()
    expect(page.locator(".question-card")).to_have_count(3)
    expect(page.locator(".question-card").first).to_contain_text("Leading meetings")
    shoot("surveys-builder")
    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_text("Preview: this is what participants see.")).to_be_visible()
    shoot("surveys-preview")
    page.go_back()

    # ... and sends it now to the program's mentees.
    page.get_by_role("link", name="Send now…").click()
    expect(page.get_by_text("Without filters it reaches 4 people.")).to_be_visible()
    page.get_by_role("button", name="Send now…").click()
    # the confirmation says how many these filters reach before anything is sent
    page.get_by_role("button", name="Send to 4 people").click()
    expect(page.get_by_text("Sent.")).to_be_visible()

    # The worker's part (tested on a real worker in tests/reporting): assign the send.
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        send = SurveySend.objects.get(survey__program=program)
        assert assignments.survey_send_deliver(send=send, now=timezone.now()) == 4

    # The mentee, on a phone, finds it on her portal and answers it.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, site, committed["mentee"])
    panel = page.locator(".portal-surveys")
    expect(panel).to_contain_text("Where are you starting from?")
    panel.get_by_role("link", name="Answer").click()
    expect(page.get_by_text("Not anonymous.")).to_be_visible()
    rows = page.locator(".matrix-row")
    expect(rows).to_have_count(3)
    for index, value in enumerate(["2", "3", "1"]):
        rows.nth(index).locator(".scale-option", has_text=value).click()
    # the confidence scale with the keyboard: focus 1, arrow right twice → 3
    confidence = page.locator("fieldset.question").nth(1)
    confidence.locator("input[value='1']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(confidence.locator("input[value='3']")).to_be_checked()
    page.get_by_label("Your answer").fill("Run my team's meetings with confidence.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shoot("surveys-answer")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you! Your answers are saved.")).to_be_visible()
    expect(page.get_by_role("button", name="Save my changes")).to_be_visible()

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        response = Response.objects.get(survey__program=program)
        numbers = dict(
            response.answers.filter(question__key="competencies").values_list(
                "item", "number"
            )
        )
        assert numbers == dict(zip(FOCUS, [2, 3, 1], strict=True))
        assert response.answers.get(question__key="confidence").number == 3
        assert (
            SurveyAssignment.objects.filter(
                survey__program=program, is_answered=True
            ).count()
            == 1
        )

    # The coordinator sees it counted.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, site, committed["coordinator"])
    page.goto(site("alpha", f"/manage/programs/{program.pk}/surveys/"))
    page.get_by_role("link", name="Results").click()
    expect(page.locator(".stats-row")).to_contain_text("1 / 4")
    expect(page.locator(".stats-row")).to_contain_text("25 %")
    expect(page.get_by_text("Run my team's meetings with confidence.")).to_be_visible()
    shoot("surveys-results")
