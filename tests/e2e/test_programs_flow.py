"""A coordinator opens enrolment, imports 200 participants from a CSV in one go,
approves applications, and sees the counts change — in Chromium.

The server is another process, so the set-up is committed in the gamma organization
(which no count-sensitive test reads) and removed afterwards."""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email

pytestmark = pytest.mark.e2e

IMPORTED = 200
APPLICANTS = 3


@pytest.fixture
def draft_program(django_db_blocker):
    from mentorship.accounts.models import User
    from mentorship.accounts.services import user_create
    from programs.models import Enrollment, Program, ProgramObjective
    from programs.services import participant_ensure

    tag = secrets.token_hex(3)
    today = timezone.localdate()
    with django_db_blocker.unblock(), schema_context("org_gamma"):
        coordinator = User.objects.get(email=persona_email("coordinator", "gamma"))
        program = Program.objects.create(
            name=f"Cross-office mentoring {tag}",
            enrollment_opens_on=today - datetime.timedelta(days=1),
            enrollment_closes_on=today + datetime.timedelta(days=30),
        )
        program.coordinators.add(coordinator)
        ProgramObjective.objects.create(
            program=program, text="Every mentee meets monthly"
        )
        applicants = []
        for index in range(APPLICANTS):
            user = user_create(
                email=f"applicant{index}-{tag}@gamma.example",
                password=None,
                full_name=f"Applicant {index} {tag}",
                verified=True,
            )
            applicants.append(user.pk)
            Enrollment.objects.create(
                participant=participant_ensure(user=user),
                program=program,
                role="mentee",
            )
    yield program, tag
    with django_db_blocker.unblock(), schema_context("org_gamma"):
        program.delete()
        User.objects.filter(email__contains=f"-{tag}@").delete()


def _csv(tag: str) -> bytes:
    rows = [
        "email,full_name,role,time_zone,country,languages,skills_offered,skills_wanted"
    ]
    zones = ["Asia/Ho_Chi_Minh", "Asia/Kolkata", "Europe/Warsaw", "America/Chicago"]
    for index in range(IMPORTED):
        role = "mentor" if index % 4 == 0 else "mentee"
        rows.append(
            f"person{index}-{tag}@gamma.example,Person {index} {tag},{role},"
            f"{zones[index % 4]},VN,en;vi,leadership,public speaking"
        )
    return ("\r\n".join(rows) + "\r\n").encode()


def _count(page, label: str) -> int:
    tab = page.locator(".status-tab", has_text=label)
    return int(tab.locator(".value").inner_text())


def test_open_import_approve(page, site, shoot, draft_program, tmp_path):
    program, tag = draft_program
    page.goto(site("gamma", "/accounts/login/"))
    page.get_by_label("Email").fill(persona_email("coordinator", "gamma"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/manage/$"))

    # draft -> enrolling
    page.get_by_role("link", name=program.name).click()
    expect(page.locator("h1")).to_contain_text("Draft")
    page.get_by_role("button", name="Open enrolment").click()
    expect(page.locator("h1")).to_contain_text("Enrolling")
    assert _count(page, "Applied") == APPLICANTS

    # import 200 people in one go: check, preview, confirm
    page.get_by_role("link", name="Import participants").first.click()
    csv_path = tmp_path / "people.csv"
    csv_path.write_bytes(_csv(tag))
    page.locator("input[type=file]").set_input_files(str(csv_path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text(f"{IMPORTED}", exact=False).first).to_be_visible()
    shoot("import-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator("h1")).to_contain_text(program.name)
    # imported people are invited, not enrolled, until they accept the agreement
    expect(
        page.locator(".status-tab", has_text="Invited").locator(".value")
    ).to_have_text(str(IMPORTED))
    assert _count(page, "Approved") == 0

    # approve the applications in bulk, without a page reload
    page.locator(".status-tab", has_text="Applied").click()
    boxes = page.locator("input[name=enrollment]")
    expect(boxes).to_have_count(APPLICANTS)
    for index in range(APPLICANTS):
        boxes.nth(index).check()
    page.get_by_role("button", name="Approve selected").click()
    expect(
        page.locator(".status-tab", has_text="Approved").locator(".value")
    ).to_have_text(str(APPLICANTS))
    assert _count(page, "Applied") == 0
    shoot("program-detail")
