"""Issue 9, item 6: two-factor secrets are on no admin page, and an organization can
require two-factor for staff — those without an authenticator are sent to set one up
before anything else."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.urls import reverse

from mentorship.notifications.models import Notification
from mentorship.organizations.models import Organization
from tests.conftest import PASSWORD, persona_email

TOTP_SECRET = "JBSWY3DPEHPK3PXPSNTALPHA"
RECOVERY_SEED = "5eed0fdeadbeefSNTalpha"
SETUP = "/accounts/2fa/totp/activate/"


def _authenticators(user) -> list[Authenticator]:
    return [
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
        ),
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": RECOVERY_SEED, "used_mask": 0},
        ),
    ]


def test_authenticator_secrets_are_on_no_admin_page(alpha, mentee):
    authenticators = _authenticators(mentee)
    client = alpha.client("hradmin")
    pages = [
        "/admin/mfa/authenticator/",
        f"/admin/mfa/authenticator/?q={mentee.email}",
        f"/admin/accounts/user/{mentee.pk}/change/",
        f"/admin/accounts/user/{mentee.pk}/delete/",
    ]
    for authenticator in authenticators:
        for view in ("change", "history", "delete"):
            pages.append(
                reverse(f"admin:mfa_authenticator_{view}", args=[authenticator.pk])
            )
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        body = response.content.decode()
        assert TOTP_SECRET not in body, page
        assert RECOVERY_SEED not in body, page
    # nor editable, nor searchable character by character
    change = reverse("admin:mfa_authenticator_change", args=[authenticators[0].pk])
    response = client.post(change, {"data": '{"secret": "ATTACKER"}'})
    assert response.status_code == 403
    assert (
        client.get("/admin/mfa/authenticator/", {"data__contains": "JBS"}).status_code
        == 400
    )
    authenticators[0].refresh_from_db()
    assert authenticators[0].data == {"secret": TOTP_SECRET}


def test_an_authenticator_can_be_removed_for_a_person_who_lost_it(alpha, mentee):
    totp, _codes = _authenticators(mentee)
    client = alpha.client("hradmin")
    response = client.post(
        reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk=totp.pk).exists()
    # the person is told, and it is in the history
    message = Notification.objects.get(
        kind="authenticator-removed-by-admin", recipient=mentee
    )
    assert persona_email("hradmin", "alpha") in message.body
    assert LogEntry.objects.filter(
        object_id=str(mentee.pk), change_message__contains="Two-factor"
    ).exists()


def test_bulk_removal_tells_each_person_once(alpha, mentee, mentor):
    ids = [a.pk for a in _authenticators(mentee) + _authenticators(mentor)]
    response = alpha.client("hradmin").post(
        "/admin/mfa/authenticator/",
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Authenticator.objects.filter(pk__in=ids).exists()
    sent = Notification.objects.filter(kind="authenticator-removed-by-admin")
    assert sorted(n.recipient_id for n in sent) == sorted([mentee.pk, mentor.pk])


@pytest.fixture
def require(alpha):
    def set_scope(scope: str) -> None:
        Organization.objects.filter(pk=alpha.organization.pk).update(
            staff_two_factor=scope
        )

    return set_scope


def test_required_two_factor_sends_staff_to_set_up_first(alpha, require):
    require(Organization.StaffTwoFactor.HR_ADMINS)
    client = alpha.client("hradmin")
    for page in ("/admin/", "/admin/accounts/user/", "/manage/", "/", "/profile/"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == SETUP, page
    # a partial is told to load the set-up page as a whole page
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"] == SETUP
    # ... except on the set-up pages themselves, which it would reload forever
    for page in (SETUP, "/accounts/reauthenticate/?next=/accounts/2fa/totp/activate/"):
        response = client.get(
            reverse("notifications:bell"),
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://alpha.localhost{page}",
        )
        assert response.status_code == 204, page
        assert "HX-Redirect" not in response
    # set-up (or the fresh sign-in it asks for), sign-out and static files stay open
    response = client.get(SETUP)
    if response.status_code == 302:  # allauth asks for a fresh sign-in first
        assert response["Location"].startswith("/accounts/reauthenticate/")
        assert client.get(response["Location"]).status_code == 200
    else:
        assert response.status_code == 200
    assert client.get("/accounts/2fa/").get("Location") != SETUP
    assert client.get("/static/css/app.css").get("Location") != SETUP
    assert client.get("/accounts/logout/").status_code == 200


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth remembers used TOTP codes (and login failures) in the cache."""
    cache.clear()
    yield
    cache.clear()


def _code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def _sign_in_with_code(world, persona: str):
    client = world.client()
    response = client.post(
        "/accounts/login/",
        {"login": persona_email(persona, world.slug), "password": PASSWORD},
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": _code()})
    assert response.status_code == 302, response.content
    return client


def test_with_an_authenticator_staff_sign_in_with_a_code_and_go_everywhere(
    alpha, require, hr_admin
):
    require(Organization.StaffTwoFactor.HR_ADMINS)
    _authenticators(hr_admin)
    client = _sign_in_with_code(alpha, "hradmin")
    for page in ("/admin/", "/admin/accounts/user/", "/manage/"):
        assert client.get(page).status_code == 200, page


def test_a_password_only_session_of_staff_is_signed_out(alpha, require, hr_admin):
    # given: a session that never passed the two-factor step (T-AUTH-3)
    require(Organization.StaffTwoFactor.HR_ADMINS)
    _authenticators(hr_admin)
    client = alpha.client("hradmin")
    # when / then: every staff page signs it out and asks to sign in with the code
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/accounts/user/"
    assert "_auth_user_id" not in client.session
    client = alpha.client("hradmin")
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/")


def test_the_scope_decides_who_must_set_up(alpha, require):
    require(Organization.StaffTwoFactor.HR_ADMINS)
    assert alpha.client("coordinator").get("/manage/").status_code == 200
    assert alpha.client("mentee").get("/").status_code == 200
    require(Organization.StaffTwoFactor.STAFF)
    assert alpha.client("coordinator").get("/manage/")["Location"] == SETUP
    assert alpha.client("mentee").get("/").status_code == 200
    require(Organization.StaffTwoFactor.OFF)
    assert alpha.client("hradmin").get("/admin/").status_code == 200


def test_other_organizations_are_not_affected(alpha, beta, require):
    require(Organization.StaffTwoFactor.STAFF)
    assert beta.client("hradmin").get("/admin/").status_code == 200


def test_a_totp_code_is_accepted_once(alpha, hr_admin):
    # T-AUTH-3: a code replayed within its window is refused (0 of 10 accepted)
    _authenticators(hr_admin)
    code = _code()
    client = alpha.client()
    client.post(
        "/accounts/login/",
        {"login": persona_email("hradmin", "alpha"), "password": PASSWORD},
    )
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    accepted = 0
    for _ in range(10):
        replay = alpha.client()
        replay.post(
            "/accounts/login/",
            {"login": persona_email("hradmin", "alpha"), "password": PASSWORD},
        )
        replay.post("/accounts/2fa/authenticate/", {"code": code})
        accepted += "_auth_user_id" in replay.session
    assert accepted == 0
