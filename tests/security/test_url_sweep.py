"""Isolation and permission sweep: every URL pattern of both sites, as every role, with
ids of this pair/program, another pair/program and another organization, GET and POST,
htmx and plain. Expectations: tests/security/url_roles.py; the world:
tests/security/world.py."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.security.routes import all_routes
from tests.security.sweep import Tally, Target, leaks, sweep
from tests.security.url_roles import ALIEN, ANON, HR, ROLES, admin_hidden, rule_for

SHOWN = 80


def _routes(public: bool):
    return [
        (route, rule_for(route.key))
        for route in all_routes()
        if route.is_public_site == public and rule_for(route.key) is not None
    ]


def _report(label: str, tally: Tally, started: float) -> None:
    print(  # noqa: T201  (the figures for the issue notes, with -s)
        f"\n{label}: {len({key for key, _ in tally.cells})} URL patterns, "
        f"{tally.requests} requests in {time.monotonic() - started:.1f} s "
        f"({time.process_time() - tally.cpu_started:.1f} s CPU), "
        f"{len(tally.failures)} failures, {len(tally.xfailed)} known (xfail), "
        f"{len(tally.seen)} sentinels seen where allowed"
        + (
            f", ids unknown to the world: {sorted(tally.partial)}"
            if tally.partial
            else ""
        )
    )
    if os.environ.get("SWEEP_DUMP"):  # every line, for working through a long list
        dump = Path(os.environ["SWEEP_DUMP"])
        with dump.open("a") as out:
            out.writelines(line + "\n" for line in tally.failures + tally.xfailed)
            out.writelines(f"SEEN {label}: {token}\n" for token in sorted(tally.seen))
    from tests.security import sweep as engine

    if engine.TIMES:
        slow = sorted(engine.TIMES.items(), key=lambda kv: -kv[1])[:25]
        print("\n".join(f"  {t:6.2f}s {k}" for k, t in slow))  # noqa: T201
        engine.TIMES.clear()
    for line in tally.xfailed[:SHOWN]:
        print("  xfail", line)  # noqa: T201
    assert not tally.failures, f"{len(tally.failures)} failures:\n" + "\n".join(
        tally.failures[:SHOWN]
    )


def _alpha_worlds(world):
    return {
        "home": world.alpha.home,
        "other": world.alpha.other,
        "sibling": world.alpha.sibling,
        "foreign": world.beta.home,
    }


@pytest.mark.parametrize("role", ROLES)
def test_organization_site(sweep_world, role):
    started = time.monotonic()
    target = Target(
        host="alpha.localhost",
        role=role,
        session_key=sweep_world.sessions.get(role),
        worlds=_alpha_worlds(sweep_world),
        admin_fallback=sweep_world.admin_fallback,
        content_type_id=sweep_world.content_type_id,
    )
    tally = Tally()
    sweep(
        _routes(public=False),
        target,
        tally,
        slug="alpha",
        secrets=sweep_world.alpha_secrets,
    )
    _report(f"alpha as {role}", tally, started)


def test_platform_site(sweep_world):
    """On the platform's host nobody of an organization has a session: every role's
    cookie is replayed there and must get what anonymous gets, with no org's data."""
    started = time.monotonic()
    tally = Tally()
    for role in ROLES:
        target = Target(
            host="localhost",
            role=role,
            session_key=sweep_world.sessions.get(role),
            worlds=_alpha_worlds(sweep_world),
            admin_fallback=sweep_world.admin_fallback,
            content_type_id=sweep_world.content_type_id,
        )
        sweep(_routes(public=True), target, tally, slug=None, secrets=None)
    _report("platform site, all roles", tally, started)


def test_other_organization_with_our_ids(sweep_world):
    """beta's HR admin, signed in on beta, GETs every URL with alpha's ids: never a
    sentinel of alpha (only ids of beta's own rows may answer)."""
    started = time.monotonic()
    tally = Tally()
    target = Target(
        host="beta.localhost",
        role=ALIEN,
        session_key=sweep_world.sessions[ALIEN],
        worlds={"home": sweep_world.alpha.home},
        admin_fallback=sweep_world.admin_fallback,
        content_type_id=sweep_world.content_type_id,
    )
    sweep(
        _routes(public=False),
        target,
        tally,
        slug="beta",
        secrets=sweep_world.beta_secrets,
        check_status=False,
        audience_role=HR,
        methods=("GET",),
    )
    _report("beta's HR admin with alpha's ids", tally, started)


def test_platform_admin_is_not_reachable_from_an_organization(sweep_world):
    """The platform admin's pages (organizations, domains), asked on alpha's host by
    alpha's HR admin: 404, and no organization's name (T-ISO-9)."""
    started = time.monotonic()
    tally = Tally()
    routes = [
        (route, admin_hidden())
        for route in all_routes()
        if route.is_public_site and route.route.startswith("admin/organizations/")
    ]
    assert routes
    target = Target(
        host="alpha.localhost",
        role=HR,
        session_key=sweep_world.sessions[HR],
        worlds=_alpha_worlds(sweep_world),
        admin_fallback=sweep_world.admin_fallback,
        content_type_id=sweep_world.content_type_id,
    )
    sweep(routes, target, tally, slug="alpha", secrets=sweep_world.alpha_secrets)
    _report("platform admin on alpha's host", tally, started)


def test_a_leaky_response_is_caught(sweep_world):
    """The detector itself: a mentor must not read the mentee's private note, nobody
    in alpha reads beta's text, and the platform site shows no organization's."""
    secrets = sweep_world.alpha_secrets
    private = next(t for t in secrets.audience if t.endswith("a.private.mentee-z"))
    assert leaks(f"<p>{private}</p>", slug="alpha", role="mentor", secrets=secrets)
    assert not leaks(f"<p>{private}</p>", slug="alpha", role="mentee", secrets=secrets)
    foreign = next(iter(sweep_world.beta_secrets.audience))
    assert leaks(foreign.upper(), slug="alpha", role=HR, secrets=secrets)
    assert leaks("Alpha Org SNT-alpha-marker", slug=None, role=ANON, secrets=None)
