"""When a session ends with a page open, the bell's next refresh takes the whole page
to the sign-in page (and back afterwards), not the sign-in page into the navigation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, persona_email
from tests.e2e.test_login_roles import sign_in

pytestmark = pytest.mark.e2e


def test_bell_refresh_after_the_session_ended_goes_to_sign_in(page, site):
    sign_in(page, site, "coordinator")
    expect(page).to_have_url(re.compile(r"/manage/$"))
    # the session ends (signed out in another tab, expired, ...)
    page.context.clear_cookies()
    page.evaluate("htmx.ajax('GET', '/notifications/bell/', '#bell-count')")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/manage/$"))
    expect(page.locator("#bell-count form")).to_have_count(0)
    # signing in again returns to the dashboard
    page.get_by_label("Email").fill(persona_email("coordinator", "alpha"))
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page).to_have_url(re.compile(r"/manage/$"))
