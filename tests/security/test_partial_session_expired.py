"""Issue 9, item 10: a partial (htmx) request whose session has ended gets 401 with
``HX-Redirect`` to the sign-in page, never the sign-in page's HTML in a fragment."""

from __future__ import annotations

import pytest
from django.urls import reverse

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_bell_refresh_after_the_session_ended_redirects_the_whole_page(alpha):
    # given: the dashboard open in a tab, then the session ends (signed out elsewhere)
    client = alpha.client("coordinator")
    client.logout()
    # when: the bell refreshes itself
    response = client.get(
        reverse("notifications:bell"),
        HTTP_HX_CURRENT_URL="http://alpha.localhost/manage/",
        **HTMX,
    )
    # then: htmx is told to load the sign-in page, which comes back to the dashboard
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/manage/"
    assert b"<form" not in response.content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "current_url",
    [None, "https://evil.example/phish", "http://beta.localhost/manage/"],
)
def test_the_way_back_is_a_page_of_this_site_only(alpha, current_url):
    headers = dict(HTMX)
    if current_url:
        headers["HTTP_HX_CURRENT_URL"] = current_url
    response = alpha.client().get(reverse("notifications:bell"), **headers)
    assert response.status_code == 401
    assert response["HX-Redirect"] == "/accounts/login/?next=/"


def test_every_partial_of_a_login_required_view_answers_401(alpha):
    # A POST partial too (the coordinator's bulk decisions, for one).
    response = alpha.client().post(
        "/manage/programs/1/enrollments/decide/", {"decision": "approve"}, **HTMX
    )
    assert response.status_code == 401
    assert response["HX-Redirect"].startswith("/accounts/login/?next=")


def test_whole_pages_still_redirect_to_sign_in(alpha):
    response = alpha.client().get(reverse("notifications:bell"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_signed_in_partials_are_untouched(alpha):
    response = alpha.client("mentee").get(reverse("notifications:bell"), **HTMX)
    assert response.status_code == 200
