"""T-AUTH-8 (issue 9, item 5): behind the TLS proxy every visitor connects from the
proxy's address. The per-IP login limit must count the client address the configured
proxy hop reports, so one attacker cannot lock a whole organization out; the
per-account limit stays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.conftest import PASSWORD, persona_email

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.5"  # what the app sees connecting: the proxy
ATTACKER = "203.0.113.66"
VISITOR = "198.51.100.7"


def _setting_from_env(**env: str) -> subprocess.CompletedProcess:
    """Import the production settings module with ``env`` and print the two values."""
    code = (
        "import mentorship.settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_proxy_hops_are_configured_from_the_environment():
    assert _setting_from_env().stdout.split() == ["0", "None"]
    done = _setting_from_env(
        TRUSTED_PROXY_COUNT="1", TRUSTED_CLIENT_IP_HEADER="X-Real-IP"
    )
    assert done.stdout.split() == ["1", "X-Real-IP"]
    refused = _setting_from_env(TRUSTED_PROXY_COUNT="-1")
    assert refused.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in refused.stderr


def _login(world, email: str, password: str, client_ip: str, client=None):
    client = client or world.client()
    response = client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )
    return client, response


@pytest.fixture
def one_proxy_hop():
    hops = int(_setting_from_env(TRUSTED_PROXY_COUNT="1").stdout.split()[0])
    cache.clear()
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=hops):
        yield
    cache.clear()


def test_an_attacker_behind_the_proxy_does_not_lock_out_everyone(alpha, one_proxy_hop):
    # given: 30 failed logins for made-up accounts, all through the proxy
    for n in range(30):
        _login(alpha, f"nobody{n}@alpha.example", "guess", ATTACKER)
    # then: the attacker's own address is limited ...
    _client, response = _login(
        alpha, persona_email("mentor", "alpha"), PASSWORD, ATTACKER
    )
    assert response.status_code != 302
    # ... and a real person from another address signs in
    client, response = _login(
        alpha, persona_email("mentee", "alpha"), PASSWORD, VISITOR
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_per_account_limit_holds_whatever_the_address(alpha, one_proxy_hop):
    email = persona_email("mentor", "alpha")
    for n in range(6):
        _login(alpha, email, "wrong", f"192.0.2.{n + 1}")
    client, response = _login(alpha, email, PASSWORD, "192.0.2.200")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_forged_forwarded_for_cannot_dodge_the_limit(alpha, one_proxy_hop):
    # The client prepends its own fake entries; only the proxy's (last) one counts.
    for n in range(25):
        _login(alpha, f"nobody{n}@alpha.example", "guess", f"1.2.3.{n}, {ATTACKER}")
    _client, response = _login(
        alpha, persona_email("mentor", "alpha"), PASSWORD, f"9.9.9.9, {ATTACKER}"
    )
    assert response.status_code != 302


def test_a_request_that_skipped_the_proxies_counts_its_own_address(alpha):
    # Two hops configured, one X-Forwarded-For entry: it reached the app directly.
    cache.clear()
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=2):
        client, response = _login(
            alpha, persona_email("mentee", "alpha"), PASSWORD, VISITOR
        )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
