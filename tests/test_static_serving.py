"""Serving like production (issue 16, item 5): hashed, compressed static files with a
long cache, and pages whose Cache-Control fits who is looking at them."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from mentorship import settings as production


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def test_signed_in_pages_are_not_stored_and_signed_out_ones_are_the_browsers_only(
    alpha,
):
    # given / when: a signed-out page with a form (and CSRF token) of its own, and
    # the portal home (allauth's sign-in page sends its own never-cache header)
    anonymous = Client(HTTP_HOST=alpha.host).get("/accounts/password/reset/")
    signed_in = alpha.client("mentee").get("/")

    # then
    assert anonymous.status_code == signed_in.status_code == 200
    assert _cache_control(anonymous) == {"private", "no-cache"}
    assert {"private", "no-store"} <= _cache_control(signed_in)


@pytest.fixture
def collected(settings, tmp_path):
    """The production storage, with collectstatic run into a scratch STATIC_ROOT."""
    settings.STORAGES = production.STORAGES
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_static_files_have_hashed_names_gzip_and_a_long_immutable_cache(
    alpha, collected
):
    # given: the production storage (tests otherwise keep plain names, see tests/settings)
    assert production.STORAGES["staticfiles"]["BACKEND"].startswith("whitenoise.")
    client = Client(HTTP_HOST=alpha.host)  # a new client: WhiteNoise reads STATIC_ROOT

    # when
    page = client.get("/accounts/login/").content.decode()
    css = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)

    # then: the page links the hashed name, served compressed and cached for years
    assert css is not None, page[:600]
    response = client.get(css.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    cache = _cache_control(response)
    assert "immutable" in cache
    assert "public" in cache
    max_age = next(int(p.split("=")[1]) for p in cache if p.startswith("max-age="))
    assert max_age >= 365 * 24 * 3600
    # ... while an unhashed name is cached briefly only (it may change on deploy)
    plain = client.get("/static/css/app.css")
    assert "immutable" not in plain["Cache-Control"]
