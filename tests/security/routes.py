"""Every URL pattern of the organization site and the platform site, with a way to
fill in its parameters."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

TENANT_URLCONF = "mentorship.urls"
PUBLIC_URLCONF = "mentorship.urls_public"

# <int:program_id>, <path:object_id>, <id>
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# (?P<key>[-:\w]+)
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?:[^()]|\([^()]*\))*\)")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its table key, its full route and the parameters it takes."""

    key: str
    route: str
    urlconf: str
    params: tuple[str, ...]

    @property
    def is_public_site(self) -> bool:
        return self.urlconf == PUBLIC_URLCONF

    def first_choice(self, name: str) -> str | None:
        """For ``(?P<name>a|b|c)``: "a"."""
        match = re.search(rf"\(\?P<{name}>([\w|]+)\)", self.route)
        return match[1].split("|")[0] if match else None

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    @property
    def admin_model(self) -> tuple[str, str] | None:
        """("programs", "program") for a model's admin pages."""
        match = re.match(r"admin/(\w+)/(\w+)/", self.route)
        return (match[1], match[2]) if match else None

    def path(self, value: Callable[[str], str]) -> str:
        """The URL with each parameter replaced by ``value(name)``."""
        route = self.route.replace("^", "").replace("$", "").replace("\\Z", "")
        route = _GROUP.sub(lambda m: value(m["name"]), route)
        route = _CONVERTER.sub(lambda m: value(m["name"]), route)
        return "/" + route.replace("\\", "")


def _walk(
    patterns, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str | None]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (namespace + pattern.name) if pattern.name else None


def _params(route: str) -> tuple[str, ...]:
    names = [m["name"] for m in _GROUP.finditer(route)]
    names += [m["name"] for m in _CONVERTER.finditer(route)]
    return tuple(names)


def all_routes() -> list[Route]:
    """Every pattern of both URLconfs, in resolution order."""
    routes = []
    for urlconf, prefix in ((TENANT_URLCONF, ""), (PUBLIC_URLCONF, "public:")):
        seen = set()
        for route, name in _walk(get_resolver(urlconf).url_patterns):
            key = prefix + (name or route)
            if key in seen:  # an earlier pattern with the same name wins in reverse()
                key = prefix + route
            seen.add(key)
            routes.append(Route(key, route, urlconf, _params(route)))
    return routes


def coverage_line() -> str:
    """One line for the terminal summary: URL patterns × roles and how many declared."""
    from tests.security.url_roles import ROLES, rule_for

    routes = all_routes()
    declared = sum(rule_for(route.key) is not None for route in routes)
    public = sum(route.is_public_site for route in routes)
    return (
        f"URL × role sweep (tests/security): {len(routes)} URL patterns "
        f"({len(routes) - public} organization site + {public} platform site) × "
        f"{len(ROLES)} roles = {len(routes) * len(ROLES)} cells; "
        f"{declared * len(ROLES)} declared ({100 * declared // len(routes)} %)"
    )
