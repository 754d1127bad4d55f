"""The sweep: request every URL pattern as one role, with each world's ids, GET and
POST, htmx and plain, and compare with the table; collect every miss and every leaked
sentinel. Each request runs in a savepoint that is rolled back, so no request changes
what the next one sees."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.test import Client

from tests.security.routes import Route
from tests.security.url_roles import (
    ALIEN,
    ANON,
    COORD,
    LOGIN,
    MENTEE,
    MENTOR,
    OK,
    OTHER_COORD,
    OTHER_MENTOR,
    R403,
    R404,
    R405,
    Rule,
)
from tests.security.world import FOREIGN_ID_FLOOR, KWARG_OBJECTS, Ids, Secrets

SENTINEL = re.compile(r"snt-([a-z]+)-(?:([a-z0-9.]+)-z|marker)", re.IGNORECASE)
# Roles as seen from the `other` world (program Q, pair B): see url_roles' docstring.
OTHER_SWAP = {
    COORD: OTHER_COORD,
    OTHER_COORD: COORD,
    MENTOR: OTHER_MENTOR,
    MENTEE: OTHER_MENTOR,
    OTHER_MENTOR: MENTOR,
}
FIXED_PARAMS = {
    "role": "mentee",
    "app_label": "programs",
    "url": "no-such-page/",
    "key": "bogus-key",
    "uidb36": "1a",
}
TIMES: dict[str, float] | None = {} if os.environ.get("SWEEP_TIMES") else None
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def classify(response, route: Route) -> str:
    """The outcome of a response in the table's terms (see url_roles)."""
    status = response.status_code
    if status == 401:
        return LOGIN
    if status in (301, 302, 303, 307):
        path = urlsplit(response["Location"]).path
        if path.startswith(LOGIN_PATHS):
            return LOGIN
        if path == "/admin/" and "object_id" in route.params:  # "ID “x” doesn't exist"
            return R404
        return OK
    return {403: R403, 404: R404, 405: R405}.get(status, OK if status < 500 else "5xx")


def expected(rule: Rule, role: str, world: str, method: str) -> tuple[str, ...]:
    """What ``role`` may get for ``method`` on this rule with ``world``'s ids."""
    seen_as = role
    if world == "other":
        seen_as = OTHER_SWAP.get(role, role)
    elif world == "sibling" and role in (MENTEE, MENTOR):
        seen_as = OTHER_MENTOR
    outcome = rule.per_method.get(method, {}).get(seen_as)
    if outcome is None and method not in rule.methods:
        # The method is refused; a login or role check may come first.
        door = rule.expect[seen_as]
        return (R405, door) if door in (LOGIN, R403) else (R405,)
    outcome = outcome or rule.expect[seen_as]
    if world in ("mixed", "foreign") and outcome == OK:
        return (R404,)
    return (outcome,)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + content.decode(errors="replace")


def leaks(
    text: str,
    *,
    slug: str | None,
    role: str,
    secrets: Secrets | None,
    seen: set | None = None,
) -> list[str]:
    """Sentinels in ``text`` that ``role`` of organization ``slug`` may not read.

    ``slug`` None (the platform site): any organization's sentinel is a leak."""
    found = []
    for match in SENTINEL.finditer(text):
        token = match[0].lower()
        if slug is None or match[1].lower() != slug:
            found.append(token)
        elif match[2] is not None:
            allowed = secrets.audience.get(token) if secrets else None
            if allowed is None or role not in allowed:
                found.append(token)
            elif seen is not None:
                seen.add(token)
    return sorted(set(found))


@dataclass
class Tally:
    requests: int = 0
    cells: set = field(default_factory=set)  # (route key, role)
    failures: list[str] = field(default_factory=list)
    xfailed: list[str] = field(default_factory=list)
    partial: set = field(default_factory=set)  # route keys without an object for an id
    seen: set = field(default_factory=set)  # sentinels shown to someone allowed
    cpu_started: float = field(default_factory=time.process_time)


@dataclass
class Target:
    """Where and as whom: a host, a session cookie, and the worlds of ids to use."""

    host: str
    role: str
    session_key: str | None
    worlds: dict[str, Ids]  # "home", "other", "sibling", "foreign"
    admin_fallback: dict[tuple[str, str], int] = field(default_factory=dict)
    content_type_id: int = 0


def _value(route: Route, ids: Ids, name: str, target: Target) -> str | None:
    if route.first_choice(name):
        return route.first_choice(name)
    if name in FIXED_PARAMS:
        return FIXED_PARAMS[name]
    if name == "content_type_id":
        return str(target.content_type_id)
    if name in ("object_id", "id"):
        model = route.admin_model
        if model is None:
            return None
        pk = ids.admin.get(model) or target.admin_fallback.get(model)
        return str(pk) if pk else None
    attribute = KWARG_OBJECTS.get(name)
    if attribute is None:
        return None
    pk = getattr(ids, attribute)
    return str(pk) if pk else None


def worlds_for(route: Route, rule: Rule, role: str) -> list[str]:
    """The worlds whose ids are tried; one when the door is shut before any lookup."""
    ids = [p for p in route.params if p not in FIXED_PARAMS]
    shut = all(
        set(expected(rule, role, "home", method)) <= {LOGIN, R403, R405}
        for method in ("GET", "POST")
    )
    if not ids or shut or role in (ANON, ALIEN) or not rule.lookup:
        return ["home"]
    if route.is_admin:
        return ["home", "foreign"]
    worlds = ["home", "other", "foreign"]
    if rule.scope == "pair":
        worlds.append("sibling")
    if len(ids) >= 2:
        worlds.append("mixed")
    return worlds


def _path(route: Route, rule: Rule, world: str, target: Target) -> tuple[str, bool]:
    """The URL with ``world``'s ids, and whether an id had no object."""
    id_params = [p for p in route.params if p not in FIXED_PARAMS]
    missing = []

    def value(name: str) -> str:
        source = world
        if world == "mixed":
            source = "home" if name == id_params[0] else "other"
        ids = target.worlds[source]
        if name in rule.ids:
            return str(getattr(ids, rule.ids[name]))
        found = _value(route, ids, name, target)
        if (
            found is None
        ):  # an id that names nothing (not 0: some views read 0 as "new")
            missing.append(name)
            return str(FOREIGN_ID_FLOOR - 1)
        return found

    return route.path(value), bool(missing)


def variants(
    route: Route, rule: Rule, role: str, world: str, methods: tuple[str, ...]
) -> Iterator[tuple[str, bool]]:
    """GET and POST; htmx too with the home ids, except in the admin (no partials).
    The admin is tried with foreign ids by GET only, and by GET only by the roles
    its own login check shuts out (that check is the same for every method)."""
    shut_out = all(
        set(expected(rule, role, "home", method)) <= {LOGIN, R403}
        for method in ("GET", "POST")
    )
    for method in methods:
        if route.is_admin and method == "POST" and (world == "foreign" or shut_out):
            continue
        yield method, False
        if world == "home" and not route.is_public_site and not route.is_admin:
            yield method, True


def sweep(
    routes: list[tuple[Route, Rule]],
    target: Target,
    tally: Tally,
    *,
    slug: str | None,
    secrets: Secrets | None,
    check_status: bool = True,
    audience_role: str | None = None,
    methods: tuple[str, ...] = ("GET", "POST"),
) -> None:
    """Request every route for ``target`` and record misses and leaks in ``tally``."""
    client = Client(HTTP_HOST=target.host, raise_request_exception=False)
    if target.session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = target.session_key
    for route, rule in routes:
        tally.cells.add((route.key, target.role))
        for world in worlds_for(route, rule, target.role):
            path, missing = _path(route, rule, world, target)
            effective = world
            if missing and rule.lookup:  # only the not-found case can be checked
                tally.partial.add(route.key)
                if world != "home":
                    continue
                effective = "foreign"
            for method, htmx in variants(route, rule, target.role, world, methods):
                headers = {"HX-Request": "true"} if htmx else {}
                began = time.monotonic()
                with transaction.atomic():
                    response = getattr(client, method.lower())(path, headers=headers)
                    text = _body(response)
                    transaction.set_rollback(True)
                # A logout or an error must not change the next request's session.
                if target.session_key:
                    client.cookies[settings.SESSION_COOKIE_NAME] = target.session_key
                tally.requests += 1
                if TIMES is not None:
                    TIMES[route.key] = (
                        TIMES.get(route.key, 0) + time.monotonic() - began
                    )
                got = classify(response, route)
                want = expected(rule, target.role, effective, method)
                where = (
                    f"{target.role:<17} {method:<4}{' htmx' if htmx else '     '} "
                    f"{world:<7} {path}"
                )
                problems = []
                if got == "5xx" or (check_status and got not in want):
                    problems.append(
                        f"expected {' or '.join(want)}, got {got} "
                        f"({response.status_code})"
                    )
                leaked = leaks(
                    text,
                    slug=slug,
                    role=audience_role or target.role,
                    secrets=secrets,
                    seen=tally.seen,
                )
                if leaked:
                    problems.append("leaked " + ", ".join(leaked))
                if not problems:
                    continue
                line = f"{where}: {'; '.join(problems)}  [{route.key}]"
                cell = rule.xfails.get(f"{target.role} {method}") or rule.xfails.get(
                    target.role
                )
                (tally.xfailed if cell else tally.failures).append(line)
