"""T-ISO-8: a signed value minted in one organization is refused in another, also when
the ids collide (ids restart in every schema); the same value works where it was minted.

Kinds covered: allauth email-confirmation keys, password-reset keys (which the
programs' invitation links are), and the product's own ``sign``/``unsign``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core import signing
from django.urls import reverse

from mentorship.organizations.signing import sign, unsign

COLLIDING_PK = 987_654


def _unverified_address(world, persona: str, email: str) -> EmailAddress:
    world.activate()
    return EmailAddress.objects.create(
        pk=COLLIDING_PK, user=world.user(persona), email=email, verified=False
    )


def test_email_confirmation_key_from_alpha_is_refused_on_beta(alpha, beta):
    # given: an address added on alpha, and beta's address with the same row id
    beta_address = _unverified_address(beta, "mentee", "new-beta@beta.example")
    alpha_address = _unverified_address(alpha, "mentee", "new-alpha@alpha.example")
    alpha.activate()
    key = EmailConfirmationHMAC(alpha_address).key
    path = reverse("account_confirm_email", args=[key])
    # when: the alpha link is opened and confirmed on beta's host
    beta.client().get(path)
    beta.client().post(path)
    # then: beta's address stays unverified
    beta.activate()
    beta_address.refresh_from_db()
    assert not beta_address.verified
    # and: on alpha (control) the same link confirms alpha's address
    response = alpha.client().post(path)
    assert response.status_code == 302
    alpha.activate()
    alpha_address.refresh_from_db()
    assert alpha_address.verified


def _reset_path(user) -> str:
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def test_password_reset_key_from_alpha_is_refused_on_beta(alpha, beta):
    # given: the same person copied to both organizations — same id, email and
    # password hash (what a schema copy or a shared directory sync produces)
    alpha_user = alpha.user("mentee")
    beta.activate()
    beta_user = type(alpha_user).objects.get(pk=alpha_user.pk)
    type(beta_user).objects.filter(pk=beta_user.pk).update(
        email=alpha_user.email, password=alpha_user.password, last_login=None
    )
    EmailAddress.objects.filter(user=beta_user).update(email=alpha_user.email)
    alpha.activate()
    type(alpha_user).objects.filter(pk=alpha_user.pk).update(last_login=None)
    alpha_user.refresh_from_db()
    path = _reset_path(alpha_user)  # minted in alpha (an invitation link is one)
    # when: presented on beta's host
    beta.activate()
    assert not default_token_generator.check_token(
        type(beta_user).objects.get(pk=beta_user.pk), path.rstrip("/").split("-", 1)[1]
    )
    response = beta.client().get(path, follow=True)
    # then: beta shows the bad-token page, with no form to set a password
    assert b'name="password1"' not in response.content
    # and: on alpha (control) the link leads to the set-password form
    response = alpha.client().get(path, follow=True)
    assert b'name="password1"' in response.content


def test_own_signed_values_bind_the_organization(alpha, beta):
    alpha.activate()
    token = sign({"report": 7}, purpose="test")
    assert unsign(token, purpose="test", max_age_seconds=60) == {"report": 7}
    with pytest.raises(signing.BadSignature):
        unsign(token, purpose="other-purpose", max_age_seconds=60)
    beta.activate()
    with pytest.raises(signing.BadSignature):
        unsign(token, purpose="test", max_age_seconds=60)


PROJECT_PACKAGES = ("mentorship", "programs", "matching", "checkins", "reporting")
UNBOUND_SIGNING = re.compile(
    r"signing\.(dumps|loads)|\bSigner\(|TimestampSigner|salted_hmac|"
    r"get_signed_cookie|set_signed_cookie|PasswordResetTokenGenerator\(\)|"
    r"\bhmac\.(new|digest)\("
)


def test_nothing_signs_without_the_schema():
    """The kind, not the example: the project signs only through
    mentorship/organizations/signing.py, and the third-party signers it uses are bound
    or switched off."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for package in PROJECT_PACKAGES
        for path in (root / package).rglob("*.py")
        if path != root / "mentorship/organizations/signing.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if UNBOUND_SIGNING.search(line)
    ]
    assert offenders == []
    assert settings.ALLAUTH_SETTING_GETTER.endswith("signing.allauth_setting")
    assert settings.ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR.endswith(
        "SchemaBoundPasswordResetTokenGenerator"
    )
    # allauth's "trust this browser" cookie and Django's cookie messages are signed
    # without the schema: both stay off.
    assert not getattr(settings, "MFA_TRUST_ENABLED", False)
    assert settings.MESSAGE_STORAGE.endswith("SessionStorage")
