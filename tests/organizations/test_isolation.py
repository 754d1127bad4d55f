"""A user of one organization gets a login page or a 404 — never data — on every URL
of another. Ids restart in every schema, so the check looks for the other tenant's
marker text as well as status codes."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import sentinel

SAFE_STATUSES = {301, 302, 400, 403, 404, 405}
# allauth's entrance pages: forms and notices that hold no one's data.
PUBLIC_PAGES = re.compile(
    r"^/(accounts/(login|password/reset|signup|confirm-email|inactive|"
    r"email/verification/sent|logout|reauthenticate)|healthz)"
)


def _paths(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + _fill(route)


def _fill(route: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    route = re.sub(r"\(\?P<\w+>.*?\)(?=/|$)", "1", route)
    route = re.sub(r"<(int:)?[a-z_]*id>|<int:[a-z_]+>", "1", route)
    route = re.sub(r"<uuid:[a-z_]+>", "00000000-0000-0000-0000-000000000001", route)
    route = re.sub(r"<(str:|slug:|path:)?[a-z_]+>", "1", route)
    route = re.sub(r"\(\?P<[a-z_]+>[^)]*\)", "1", route)
    return route.replace("\\", "")


def _assert_no_foreign_data(response, path):
    body = response.content.decode(errors="replace")
    for slug in ("alpha", "gamma"):
        assert sentinel(slug) not in body, f"{path} leaked {slug} data"


def test_every_url_refuses_a_foreign_session(alpha, beta):
    # given: alpha's HR admin signed in on alpha, session cookie replayed on beta
    alpha_client = alpha.client("hradmin")
    replay = beta.client()
    replay.cookies["sessionid"] = alpha_client.cookies["sessionid"].value
    paths = sorted(set(_paths(get_resolver("mentorship.urls").url_patterns)))
    assert len(paths) > 40
    for path in paths:
        for method in ("get", "post"):
            response = getattr(replay, method)(path)
            _assert_no_foreign_data(response, path)
            if PUBLIC_PAGES.match(path):
                continue
            assert response.status_code in SAFE_STATUSES, (
                method,
                path,
                response.status_code,
            )
            if response.status_code in (301, 302):
                location = response["Location"]
                assert (
                    "/accounts/" in location
                    or "login" in location
                    or location == "/admin/"
                ), (
                    path,
                    location,
                )


def test_anonymous_gets_nothing_private(beta):
    client = beta.client()
    for path in sorted(set(_paths(get_resolver("mentorship.urls").url_patterns))):
        response = client.get(path)
        _assert_no_foreign_data(response, path)
        if not PUBLIC_PAGES.match(path):
            assert response.status_code in SAFE_STATUSES, (path, response.status_code)


def test_unknown_host_is_404_not_another_tenant(db):
    from django.test import Client

    response = Client(HTTP_HOST="nobody.localhost").get("/accounts/login/")
    assert response.status_code == 404


def test_landing_page_lists_no_organization(db):
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/")
    assert response.status_code == 200
    for slug in ("alpha", "beta", "gamma"):
        assert slug not in response.content.decode().lower()
