"""An imported person who already has an account finds the invitation in their portal,
reads the program's agreement and accepts it — in Chromium (issue 9 item 4).

Set-up is committed in the gamma organization and removed afterwards (the server is
another process)."""

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


@pytest.fixture
def invited_program(django_db_blocker):
    from mentorship.accounts.models import User
    from programs.models import Enrollment, ImportBatch, Program, ProgramObjective
    from programs.services import participant_import_commit, participant_import_preview
    from tests.programs.importfiles import csv_bytes, people_rows

    tag = secrets.token_hex(3)
    today = timezone.localdate()
    with django_db_blocker.unblock(), schema_context("org_gamma"):
        coordinator = User.objects.get(email=persona_email("coordinator", "gamma"))
        mentee = User.objects.get(email=persona_email("mentee", "gamma"))
        program = Program.objects.create(
            name=f"Leadership circle {tag}",
            status=Program.Status.ENROLLING,
            enrollment_opens_on=today - datetime.timedelta(days=1),
            enrollment_closes_on=today + datetime.timedelta(days=30),
            description="Six months of monthly conversations with a senior leader.",
            confidentiality_agreement=(
                "What is said in a session stays in it, unless someone is at risk."
            ),
        )
        program.coordinators.add(coordinator)
        ProgramObjective.objects.create(program=program, text="Grow confident leads")
        row = people_rows(1, role="mentee")[0] | {
            "email": mentee.email.upper(),
            "full_name": "Not The Real Name",
        }
        batch = participant_import_preview(
            program=program, by=coordinator, filename="p.csv", content=csv_bytes([row])
        )
        participant_import_commit(batch=batch, by=coordinator)
        enrollment = Enrollment.objects.get(program=program)
        assert enrollment.status == Enrollment.Status.INVITED
    yield program, enrollment, mentee
    with django_db_blocker.unblock(), schema_context("org_gamma"):
        ImportBatch.objects.filter(program=program).delete()
        program.delete()


def test_an_existing_account_accepts_an_imported_invitation(
    page, site, shoot, invited_program
):
    program, enrollment, mentee = invited_program
    page.goto(site("gamma", "/accounts/login/"))
    page.get_by_label("Email").fill(mentee.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(site("gamma", "/"))
    # the import changed nothing on the account: the greeting uses their own name
    expect(page.get_by_role("heading", level=1)).to_contain_text(mentee.greeting_name)
    row = page.locator("tr", has_text=program.name)
    expect(row.locator(".badge")).to_have_text("Invited")
    shoot("invitation-portal")
    expect(
        page.get_by_role("heading", name=f"You're invited to {program.name}")
    ).to_be_visible()
    row.get_by_role("link", name="Read and accept").click()
    expect(page).to_have_url(re.compile(rf"/invitations/{enrollment.pk}/$"))
    expect(page.get_by_text("What is said in a session stays in it")).to_be_visible()
    shoot("invitation-page")
    # not without the agreement
    page.get_by_role("button", name="Accept and join").click()
    expect(
        page.get_by_text("Accept the confidentiality agreement to join.").first
    ).to_be_visible()
    page.get_by_label("I accept the confidentiality agreement").check()
    page.get_by_role("button", name="Accept and join").click()
    expect(page).to_have_url(site("gamma", "/"))
    expect(page.locator("tr", has_text=program.name).locator(".badge")).to_have_text(
        "Approved"
    )
