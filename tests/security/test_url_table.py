"""Every URL pattern is declared in the role table (tests/security/url_roles.py)."""

from fnmatch import fnmatchcase

from django.urls import Resolver404, resolve

from tests.security.routes import all_routes
from tests.security.url_roles import ROLES, URLS, rule_for


def test_every_url_pattern_is_declared():
    routes = all_routes()
    undeclared = [f"{r.key}  ({r.route})" for r in routes if rule_for(r.key) is None]
    assert not undeclared, (
        "declare these URLs in tests/security/url_roles.py (see its docstring):\n  "
        + "\n  ".join(undeclared)
    )
    print(  # noqa: T201  (the coverage figure, with -s)
        f"\nURL patterns × roles declared: {len(routes)} × {len(ROLES)} = "
        f"{len(routes) * len(ROLES)} (100 %)"
    )


def test_no_stale_entries():
    """An exact key names an existing pattern; a glob matches at least one."""
    keys = {route.key for route in all_routes()}

    stale = [
        key
        for key in URLS
        if (
            key not in keys
            if "*" not in key
            else not any(fnmatchcase(k, key) for k in keys)
        )
    ]
    assert not stale, f"these entries match no URL pattern: {stale}"


def test_every_filled_path_resolves_to_its_own_pattern():
    for route in all_routes():
        path = route.path(lambda name, route=route: route.first_choice(name) or "7")
        try:
            match = resolve(path, urlconf=route.urlconf)
        except Resolver404:
            raise AssertionError(f"{route.key}: {path} does not resolve") from None
        if match.url_name is None and "(?P<url>" in route.route:
            continue
        assert match.route == route.route.replace("^", ""), (route.key, path)


def test_expectations_for_other_worlds_follow_the_roles():
    """How the table's home expectation becomes the one for other ids (the sweep's
    derivation, see url_roles' docstring)."""
    from tests.security.sweep import expected
    from tests.security.url_roles import (
        LOGIN,
        OK,
        R403,
        R404,
        R405,
        pair_people,
        program_staff,
    )

    program = program_staff("GET")
    assert expected(program, "coordinator", "home", "GET") == (OK,)
    assert expected(program, "coordinator", "other", "GET") == (R404,)
    assert expected(program, "other_coordinator", "other", "GET") == (OK,)
    assert expected(program, "hr_admin", "foreign", "GET") == (R404,)
    assert expected(program, "mentee", "other", "GET") == (R403,)
    assert expected(program, "mentee", "home", "POST") == (R405, R403)
    assert expected(program, "anonymous", "home", "POST") == (R405, LOGIN)

    pair = pair_people("POST")
    assert expected(pair, "mentor", "home", "POST") == (OK,)
    assert expected(pair, "mentor", "sibling", "POST") == (R404,)
    assert expected(pair, "other_mentor", "other", "POST") == (OK,)
    assert expected(pair, "mentee", "other", "POST") == (R404,)
    assert expected(pair, "mentee", "mixed", "POST") == (R404,)
    assert expected(pair, "coordinator", "home", "GET") == (R405,)
