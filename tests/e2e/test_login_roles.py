"""Each role signs in through the real login page and sees its own home."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email

pytestmark = pytest.mark.e2e


def sign_in(page, site, persona, slug="alpha"):
    page.goto(site(slug, "/accounts/login/"))
    page.get_by_label("Email").fill(persona_email(persona, slug))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_coordinator_sees_the_dashboard(page, site, shoot):
    sign_in(page, site, "coordinator")
    expect(page).to_have_url(re.compile(r"/manage/$"))
    expect(page.get_by_role("link", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    shoot("dashboard")


def test_mentee_sees_the_portal_and_not_the_dashboard(page, site, shoot):
    sign_in(page, site, "mentee")
    expect(page).to_have_url(site("alpha", "/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Priya")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    shoot("portal")
    response = page.goto(site("alpha", "/manage/"))
    assert response.status == 403


def test_hr_admin_lands_in_the_admin(page, site):
    sign_in(page, site, "hradmin")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_text("Site administration")).to_be_visible()


def test_login_page_shows_the_organization(page, site, shoot):
    page.goto(site("alpha", "/accounts/login/"))
    expect(page.locator(".brand")).to_contain_text("Alpha Org")
    shoot("login")


def test_session_does_not_cross_to_another_organization(page, site):
    sign_in(page, site, "coordinator")
    expect(page).to_have_url(re.compile(r"/manage/$"))
    page.goto(site("beta", "/manage/"))
    expect(page).to_have_url(re.compile(r"beta\.localhost.*/accounts/login/"))
