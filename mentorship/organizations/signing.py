"""Signed values that bind the organization.

Ids restart in every schema, so a token that names only a row id — an email address,
a user — would be just as valid on every other organization's host. Every salt for a
signature the product issues or accepts therefore goes through ``schema_salt``: the
same value signed in ``org_alpha`` does not verify in ``org_beta``, whatever the ids.

Users of it:

- ``sign`` / ``unsign`` for the product's own signed values (share links, unsubscribe
  links and the like);
- ``allauth_setting`` (``ALLAUTH_SETTING_GETTER``): allauth's email-confirmation keys
  are ``signing.dumps(email_address.pk, salt=ACCOUNT_SALT)``; the getter returns that
  salt bound to the current schema;
- ``mentorship.accounts.tokens.SchemaBoundPasswordResetTokenGenerator``: password reset
  and invitation links (``ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection

#: allauth settings whose value is a salt: bound to the schema when read.
_ALLAUTH_SALT_SETTINGS = frozenset({"ACCOUNT_SALT"})


def schema_salt(purpose: str) -> str:
    """``purpose`` bound to the current schema (``"<purpose>@<schema>"``).

    Read at the moment of signing or checking, inside the request's (or task's)
    tenant, so a value minted in one organization never checks out in another.
    """
    return f"{purpose}@{connection.schema_name}"  # type: ignore[attr-defined]


def sign(value: Any, *, purpose: str) -> str:
    """A URL-safe, timestamped signature of a JSON-serialisable ``value``, bound to
    ``purpose`` and the current organization."""
    return signing.dumps(value, salt=schema_salt(purpose), compress=True)


def unsign(token: str, *, purpose: str, max_age_seconds: int) -> Any:
    """The value ``sign`` put in ``token``, if it was signed for ``purpose`` in the
    current organization at most ``max_age_seconds`` ago.

    Raises ``django.core.signing.BadSignature`` (``SignatureExpired`` when too old)
    otherwise — including for a token minted in another organization.
    """
    return signing.loads(token, salt=schema_salt(purpose), max_age=max_age_seconds)


def allauth_setting(name: str, default: Any) -> Any:
    """``ALLAUTH_SETTING_GETTER``: allauth reads every setting through this.

    Settings are returned as configured, except salts, which are bound to the current
    schema: email-confirmation keys minted on one organization's host are refused on
    another's, even when the ``EmailAddress`` ids collide.
    """
    value = getattr(settings, name, default)
    if name in _ALLAUTH_SALT_SETTINGS:
        return schema_salt(value)
    return value
