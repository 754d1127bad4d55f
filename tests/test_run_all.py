"""`make run` gives the web, worker and beat the scheme and port it serves on, so the
links the worker puts in emails work as sent (issue 15: in development they lacked
the port)."""

from __future__ import annotations

from django.test import override_settings
from django_tenants.utils import schema_context

from mentorship.organizations.services import current_primary_url
from scripts import run_all


def test_make_run_sets_scheme_and_port_for_email_links():
    environment = run_all.site_environment({})

    assert environment == {"SITE_SCHEME": "http", "SITE_PORT": run_all.PORT}


def test_given_values_win():
    environment = run_all.site_environment(
        {"SITE_SCHEME": "https", "SITE_PORT": "8443"}
    )

    assert environment == {"SITE_SCHEME": "https", "SITE_PORT": "8443"}


def test_links_carry_the_port(alpha):
    with (
        override_settings(SITE_SCHEME="http", SITE_PORT=run_all.PORT),
        schema_context("org_alpha"),
    ):
        url = current_primary_url("/welcome/")
    assert url == f"http://alpha.localhost:{run_all.PORT}/welcome/"
