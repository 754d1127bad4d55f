"""Password-reset and invitation keys bound to the organization.

Configured as ``ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR``: allauth's reset-key pages
and the programs' invitation links (``allauth.account.forms.default_token_generator``)
both use it.
"""

from __future__ import annotations

from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from django.db import connection

from mentorship.organizations.signing import schema_salt


class SchemaBoundPasswordResetTokenGenerator(EmailAwarePasswordResetTokenGenerator):
    """allauth's generator (user id, password hash, last login, emails, timestamp) with
    the schema in both the HMAC salt and the hashed value.

    Without it a key names only a user id; ids restart in every schema, so the same
    person copied to two organizations (same email and password hash) could use a
    key minted in one on the other's host.
    """

    @property
    def key_salt(self) -> str:
        return schema_salt("accounts.password-reset")

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{connection.schema_name}|{super()._make_hash_value(user, timestamp)}"  # type: ignore[attr-defined]
