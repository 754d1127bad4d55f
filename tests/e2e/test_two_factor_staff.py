"""An organization that requires two-factor for staff: a new HR admin signs in, is sent
to the authenticator set-up first, activates it with a code from the app, and only
then reaches the admin."""

from __future__ import annotations

import re
import time
import uuid

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from mentorship.organizations.models import Organization
from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_hr_admin(django_db_setup, django_db_blocker):
    """A fresh HR admin in alpha, with two-factor required for HR admins; undone after."""
    email = f"hr-{uuid.uuid4().hex[:8]}@alpha.example"
    with django_db_blocker.unblock():
        Organization.objects.filter(schema_name="org_alpha").update(
            staff_two_factor=Organization.StaffTwoFactor.HR_ADMINS
        )
        with schema_context("org_alpha"):
            user_create(
                email=email,
                password=PASSWORD,
                full_name="Hedda Newadmin",
                role=User.Role.HR_ADMIN,
                verified=True,
            )
    yield email
    with django_db_blocker.unblock():
        Organization.objects.filter(schema_name="org_alpha").update(
            staff_two_factor=Organization.StaffTwoFactor.OFF
        )
        with schema_context("org_alpha"):
            User.objects.filter(email=email).delete()


def test_staff_set_up_two_factor_before_anything_else(page, site, shoot, new_hr_admin):
    page.goto(site("alpha", "/accounts/login/"))
    page.get_by_label("Email").fill(new_hr_admin)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    # sent to the set-up, told why; allauth first asks for the password once more
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/\?next=.*activate"))
    expect(page.get_by_text("asks staff to use two-factor")).to_be_visible()
    shoot("two-factor-required")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    shoot("two-factor-activate")
    # the admin stays closed until it is done
    page.goto(site("alpha", "/admin/"))
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    # activate with a code from "the app"
    secret = page.locator("#authenticator_secret").input_value()
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Activate").click()
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    page.goto(site("alpha", "/admin/"))
    expect(page.get_by_text("Site administration")).to_be_visible()
