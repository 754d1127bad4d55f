"""A person downloads a copy of their data from the portal (phone and desktop); an
HR admin erases them from the admin after a confirmation page, and they can no
longer sign in.

The server is another process, so the people are COMMITTED to the test database
(throwaway names) and removed afterwards."""

from __future__ import annotations

import io
import json
import uuid
import zipfile

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from mentorship.accounts.models import User
from privacy.models import DataExport
from privacy.services import exports
from programs.models import Participant
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        made = people_create(
            tag,
            (
                ("person", "Olena Kovalenko", User.Role.MEMBER, "Europe/Warsaw"),
                ("hr", "Hiroshi Tanaka", User.Role.HR_ADMIN, "Asia/Tokyo"),
            ),
        )
        Participant.objects.create(user=made["person"], title="Analyst", city="Kraków")
    yield made
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        for export in DataExport.objects.filter(user__in=made.values()):
            export.file.delete(save=False)
        people_remove(tag, made)


def test_download_my_data_then_erased_by_hr(
    page, site, shoot, people, django_db_blocker
):
    person, hr = people["person"], people["hr"]
    # given: the person on their data page
    sign_in(page, site, person)
    page.goto(site("alpha", "/privacy/"))
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    shoot("privacy-my-data-empty")
    # when: they ask for a copy (the worker's build is run here)
    page.get_by_role("button", name="Prepare my data").click()
    expect(page.get_by_text("We're preparing your data")).to_be_visible()
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        export = DataExport.objects.get(user=person)
        exports.data_export_build(export_id=export.pk, now=export.created_at)
    page.reload()
    shoot("privacy-my-data-ready")
    # The link is fetched by the page itself (its session and its resolver of
    # *.localhost) rather than through a browser download event, which timed out
    # once under a loaded full suite.
    link = page.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    response = page.evaluate(
        """async (url) => {
            const r = await fetch(url);
            const body = new Uint8Array(await r.arrayBuffer());
            return {status: r.status, type: r.headers.get("content-type"),
                    body: Array.from(body)};
        }""",
        link.get_attribute("href"),
    )
    assert response["status"] == 200, response["status"]
    assert "zip" in response["type"]
    archive = zipfile.ZipFile(io.BytesIO(bytes(response["body"])))
    data = json.loads(archive.read("data.json"))["records"]
    assert data["profile"][1]["city"] == "Kraków"
    # the readable page, opened in the browser
    html = archive.read("index.html").decode()
    page.goto("about:blank")  # as opened from the file: no site's CSP
    page.set_content(html)
    expect(page.get_by_role("heading", name="Your account and profile")).to_be_visible()
    shoot("privacy-export-index")
    # when: an HR admin erases them
    sign_in(page, site, hr)
    page.goto(site("alpha", "/admin/privacy/person/?q=" + person.email))
    page.locator(f"input[name='_selected_action'][value='{person.pk}']").check()
    page.locator("select[name='action']").select_option("erase_personal_data")
    page.get_by_role("button", name="Go").click()
    expect(
        page.get_by_role("heading", name="Erase the personal data of 1 person?")
    ).to_be_visible()
    shoot("privacy-erase-confirm")
    page.get_by_role("button", name="Yes, erase 1 person").click()
    expect(page.get_by_text("Erased the personal data of 1 person(s)")).to_be_visible()
    # then: the audit log says so, filtered by what happened
    page.goto(site("alpha", "/admin/auditlog/logentry/?what=person.erased"))
    expect(page.get_by_text("Personal data erased").first).to_be_visible()
    shoot("privacy-audit-log")
    page.goto(site("alpha", "/admin/privacy/retentionpolicy/"))
    shoot("privacy-retention")
    # and they can't sign in any more
    sign_in(page, site, person)
    expect(page.get_by_role("button", name="Sign In")).to_be_visible()
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        assert not User.objects.get(pk=person.pk).is_active
