"""Branded error pages in the layout, and a favicon (issue 15: a mentee opening
/manage/ got a bare, unstyled "403 Forbidden"; every page asked for a favicon that
was not there)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory


def test_a_mentee_opening_the_dashboard_gets_the_branded_403(alpha):
    response = alpha.client("mentee").get("/manage/")

    assert response.status_code == 403
    body = response.content.decode()
    assert "This page isn't open to you" in body
    assert 'class="topbar"' in body  # in the layout, with the navigation
    assert "Go to your home page" in body


def test_a_missing_page_is_the_branded_404(alpha):
    response = alpha.client("mentee").get("/no-such-page/")

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_the_500_page_renders_without_a_request_context():
    # Django's server_error renders it with an empty context: nothing may need one.
    body = render_to_string("500.html")
    assert "Something went wrong on our side" in body


def test_the_429_page_is_in_the_layout():
    body = render_to_string("429.html", request=RequestFactory().get("/"))
    assert "Too many attempts" in body
    assert 'class="topbar"' in body


def test_every_page_names_a_favicon_that_exists(alpha):
    from django.contrib.staticfiles import finders

    body = alpha.client("mentee").get("/").content.decode()

    assert 'rel="icon"' in body
    assert finders.find("favicon.svg")
