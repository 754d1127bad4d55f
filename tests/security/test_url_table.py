"""Every URL pattern is declared in the role table (tests/security/url_roles.py)."""

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
    from fnmatch import fnmatchcase

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
        path = route.path(lambda name: "programs" if name == "app_label" else "7")
        try:
            match = resolve(path, urlconf=route.urlconf)
        except Resolver404:
            raise AssertionError(f"{route.key}: {path} does not resolve") from None
        if match.url_name is None and "(?P<url>" in route.route:
            continue
        assert match.route == route.route.replace("^", ""), (route.key, path)
