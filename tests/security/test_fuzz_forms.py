"""Hostile input on every form and query parameter: never a server error, never a
partial write (issue 9, RELIABILITY T-FUZZ-1/2/3).

The forms are not listed by hand. Every URL pattern of the organization site that a
role of the sweep's world may open (tests/security/url_roles.py) is requested as that
role; the ``<form>`` elements of each page (method, action, fields, options) and the
query parameters its links use are collected, so a new page or form is fuzzed as soon
as it exists. Admin changelists are fuzzed through their search box, filters, sorting
and paging (arbitrary admin lookups are the admin-lookup tests' business).

Then hypothesis posts each form with some fields replaced by hostile values (NUL,
control and bidi characters, 1 MB strings, regex and SQL metacharacters, templates,
dates at year 1 and 9999, huge and non-finite numbers) and requests each page with
hostile query parameters, plain and htmx. Each request runs in a savepoint that is
rolled back. A response >= 500 fails; so does a refused request (>= 400) after which
any table of the organization's schema differs from before (row-level checksums).
The counts are printed (``-s``) and attached to the test report.
"""

from __future__ import annotations

import html.parser
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.routes import all_routes
from tests.security.sweep import FIXED_PARAMS
from tests.security.url_roles import COORD, HR, MENTEE, MENTOR, OK, rule_for
from tests.security.world import KWARG_OBJECTS

FORM_EXAMPLES = 4
QUERY_EXAMPLES = 1
MEGABYTE = "x" * (1024 * 1024)
HOSTILE = [
    "\x00",
    "abc\x00def",
    "Eve\r\nBcc: all@evil.example",
    "\n",
    "\t",
    "\x1b[31mred",
    "\x7f\x85\x9f",
    "\u202eevil\u202c",
    "\u2066isolate\u2069",
    "\u2028line",
    "(",
    "[a-",
    ".*",
    "\\",
    "%",
    "%00",
    "_",
    "'; DROP TABLE x; --",
    '"',
    "<script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
    "../../etc/passwd",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-02-30",
    "-1",
    "0",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "1e309",
    "NaN",
    "-inf",
    "",
    " ",
    "Mars/Olympus_Mons",
    "ｘ" * 300,
    "😀" * 100,
    MEGABYTE,
]
# Sent deterministically: every typed field of each form (and every query parameter
# of each page) at once, one request per value; hypothesis mixes the rest.
FORM_KILLERS = [
    "\x00",
    "Eve\r\nBcc: x@evil.example\u202e",
    MEGABYTE,
    "0001-01-01T00:00",
    "9999-12-31",
]
PAGE_KILLERS = ["\x00", "0001-01-01", "-9223372036854775809"]
QUERY_NAMES = ("q", "page", "sort", "status", "role")
# Whose session opens which pages: the first role the table lets in.
ROLE_ORDER = (COORD, MENTEE, MENTOR, HR)
# Areas fuzzed: the dashboard, the portal and the admin's lists.
SKIPPED_PREFIXES = ("account", "mfa", "socialaccount", "healthz", "public:")


@dataclass
class Form:
    page: str
    role: str
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name -> options
    files: list[str] = field(default_factory=list)
    multiple: set[str] = field(default_factory=set)
    typed: set[str] = field(default_factory=set)  # free-text inputs (not choices)

    @property
    def key(self) -> tuple:
        return (self.role, self.method, self.action, tuple(sorted(self.fields)))


class _FormParser(html.parser.HTMLParser):
    """The page's forms with their fields and choices, and the query keys of links."""

    def __init__(self, page: str, role: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page, self.role = page, role
        self.forms: list[Form] = []
        self.link_params: set[str] = set()
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs_list) -> None:
        attrs = {name: value or "" for name, value in attrs_list}
        if tag == "a" and "?" in attrs.get("href", ""):
            self.link_params |= {k for k, _ in parse_qsl(urlsplit(attrs["href"]).query)}
        for name in ("hx-get", "href"):
            if "?" in attrs.get(name, "") and name == "hx-get":
                query = urlsplit(attrs[name]).query
                self.link_params |= {k for k, _ in parse_qsl(query)}
        if tag == "form":
            action = attrs.get("hx-post") or attrs.get("action") or self.page
            method = "POST" if attrs.get("hx-post") else attrs.get("method", "get")
            self._form = Form(self.page, self.role, method.upper(), action)
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if not name or name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
            elif kind in ("submit", "button", "image", "reset"):
                if "value" in attrs:
                    form.fields.setdefault(name, []).append(attrs["value"])
            else:
                if kind == "checkbox":
                    form.multiple.add(name)
                elif kind != "radio":
                    form.typed.add(name)
                form.fields.setdefault(name, []).append(attrs.get("value", ""))
        elif tag in ("button",) and "value" in attrs:
            form.fields.setdefault(name, []).append(attrs["value"])
        elif tag == "select":
            self._select = name
            form.fields.setdefault(name, [])
            if "multiple" in attrs:
                form.multiple.add(name)
        elif tag == "option" and self._select:
            form.fields[self._select].append(attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            form.typed.add(name)
            form.fields.setdefault(name, [""])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form.fields[self._textarea] = [data]


@dataclass
class Page:
    path: str
    role: str
    params: set[str]


@dataclass
class Tally:
    requests: int = 0
    refused_checked: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, line: str) -> None:
        if len(self.failures) < 40:
            self.failures.append(line[:400])


def _role_for(rule) -> str | None:
    for role in ROLE_ORDER:
        outcome = rule.per_method.get("GET", {}).get(role, rule.expect[role])
        if outcome == OK:
            return role
    return None


def _value(name: str, rule, ids) -> str | None:
    if name in rule.ids:
        return str(getattr(ids, rule.ids[name]))
    if name in FIXED_PARAMS:
        return FIXED_PARAMS[name]
    attribute = KWARG_OBJECTS.get(name)
    pk = getattr(ids, attribute, 0) if attribute else 0
    return str(pk) if pk else None


def _pages(world) -> Iterator[tuple[str, str, bool]]:
    """(path, role, is_admin_list) of every page the fuzz opens."""
    ids = world.alpha.home
    for route in all_routes():
        if route.is_public_site or route.key.startswith(SKIPPED_PREFIXES):
            continue
        rule = rule_for(route.key)
        if rule is None or "GET" not in rule.methods:
            continue
        if route.is_admin:
            if not route.key.endswith("_changelist"):
                continue
            roles = [HR]
        else:
            roles = [role for role in (_role_for(rule),) if role]
            # A pair's pages show their forms (meetings, goals) to the pair only.
            if rule.scope == "pair" and rule.expect[MENTEE] == OK:
                roles = [*dict.fromkeys([*roles, MENTEE])]
        values = {name: _value(name, rule, ids) for name in route.params}
        if None in values.values():
            continue
        for role in roles:
            yield route.path(lambda name, v=values: v[name]), role, route.is_admin


def _client(world, role: str) -> Client:
    client = Client(HTTP_HOST="alpha.localhost", raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _checksum_sql() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "AND table_type = 'BASE TABLE' AND table_name <> 'django_session' "
            "ORDER BY table_name",
            [connection.schema_name],
        )
        tables = [row[0] for row in cursor.fetchall()]
    schema = connection.ops.quote_name(connection.schema_name)
    return " UNION ALL ".join(
        f"SELECT '{table}', count(*), md5(coalesce(string_agg(md5(t::text), '' "
        f"ORDER BY md5(t::text)), '')) FROM {schema}.{connection.ops.quote_name(table)} t"
        for table in tables
    )


def _checksums(sql: str) -> dict[str, tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def _show(value) -> str:
    text = repr(value)
    return text if len(text) < 120 else text[:100] + f"…({len(text)} chars)"


class Fuzz:
    def __init__(self, world) -> None:
        self.world = world
        self.tally = Tally()
        self.sql = _checksum_sql()
        self.baseline = _checksums(self.sql)
        self.clients = {role: _client(world, role) for role in ROLE_ORDER}

    def request(self, role: str, method: str, path: str, data, htmx: bool) -> None:
        client = self.clients[role]
        headers = {"HX-Request": "true"} if htmx else {}
        with transaction.atomic():
            if method == "POST":
                response = client.post(path, data, headers=headers)
            else:
                response = client.get(path, data, headers=headers)
            status = response.status_code
            changed = []
            if 400 <= status < 500:
                self.tally.refused_checked += 1
                after = _checksums(self.sql)
                changed = [t for t, v in after.items() if self.baseline.get(t) != v]
            transaction.set_rollback(True)
        client.cookies[settings.SESSION_COOKIE_NAME] = self.world.sessions[role]
        self.tally.requests += 1
        where = f"{role} {method}{' htmx' if htmx else ''} {path} {_show(data)}"
        if status >= 500:
            self.tally.fail(f"{status}: {where}")
        elif changed:
            self.tally.fail(f"{status} but wrote {changed}: {where}")


def _discover(fuzz: Fuzz) -> tuple[list[Page], list[Form]]:
    pages, forms = [], {}
    for path, role, is_admin in _pages(fuzz.world):
        client = fuzz.clients[role]
        with transaction.atomic():
            response = client.get(path)
            body = (
                "" if response.streaming else response.content.decode(errors="replace")
            )
            transaction.set_rollback(True)
        client.cookies[settings.SESSION_COOKIE_NAME] = fuzz.world.sessions[role]
        fuzz.tally.requests += 1
        if response.status_code >= 500:
            fuzz.tally.fail(f"{response.status_code}: {role} GET {path} (plain)")
            continue
        if response.status_code != 200 or "html" not in response.get(
            "Content-Type", ""
        ):
            continue
        parser = _FormParser(path, role)
        parser.feed(body)
        params = set(parser.link_params)
        for form in parser.forms:
            if form.method == "GET":
                params |= set(form.fields)
            elif not is_admin:  # admin change forms are the admin tests' business
                form.action = urlsplit(form.action).path or path
                if not form.action.startswith("/accounts/"):  # allauth's own
                    forms.setdefault(form.key, form)
        if is_admin:
            params = {p for p in params if "__" not in p or "__exact" in p}
            params |= {"q", "o", "p"}
        else:
            params = (params | set(QUERY_NAMES)) - {"o", "p"}
        params.discard("csrfmiddlewaretoken")
        pages.append(Page(path, role, params))
    return pages, list(forms.values())


_hostile = st.sampled_from(HOSTILE) | st.text(max_size=40)


def _form_data(draw, form: Form) -> dict:
    data: dict = {}
    for name, options in form.fields.items():
        choices = [o for o in options if o is not None] or [""]
        if draw(st.booleans()):
            value = draw(_hostile)
        else:
            value = draw(st.sampled_from(choices))
        if name in form.multiple and draw(st.booleans()):
            data[name] = [value, draw(st.sampled_from(choices))]
        else:
            data[name] = value
    for name in form.files:
        content = draw(
            st.sampled_from(
                [
                    b"",
                    b"\x00\x01\x02",
                    b"email,full_name,role\r\n\x00,\r\n",
                    b"PK\x03\x04",
                ]
            )
        )
        data[name] = SimpleUploadedFile(
            draw(st.sampled_from(["x.csv", "x.xlsx", "\x00.csv"])), content
        )
    return data


def _examples(count: int):
    return hypothesis_settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _valid_choice(options: list[str]) -> str:
    return next((option for option in options if option), "")


def _fuzz_form(fuzz: Fuzz, form: Form) -> None:
    typed = sorted(form.typed)
    for killer in FORM_KILLERS:
        # A megabyte goes in one field (several would only meet the upload limit).
        hit = typed[:1] if killer is MEGABYTE else typed
        payload = {
            name: killer if name in hit else _valid_choice(options)
            for name, options in form.fields.items()
        }
        fuzz.request(form.role, "POST", form.action, payload, htmx=False)

    @_examples(FORM_EXAMPLES)
    @given(st.data())
    def run(data):
        payload = _form_data(data.draw, form)
        fuzz.request(form.role, "POST", form.action, payload, data.draw(st.booleans()))

    run()


def _fuzz_page(fuzz: Fuzz, page: Page) -> None:
    names = sorted(page.params)
    for index, killer in enumerate(PAGE_KILLERS):
        query = dict.fromkeys(names[:1] if killer is MEGABYTE else names, killer)
        fuzz.request(page.role, "GET", page.path, query, htmx=bool(index % 2))

    @_examples(QUERY_EXAMPLES)
    @given(st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
        query = {name: data.draw(_hostile) for name in chosen}
        fuzz.request(page.role, "GET", page.path, query, data.draw(st.booleans()))

    run()


def test_hostile_input_never_breaks_a_page_or_half_writes(
    sweep_world, record_property, capsys
):
    started = time.monotonic()
    fuzz = Fuzz(sweep_world)
    pages, forms = _discover(fuzz)
    for form in forms:
        _fuzz_form(fuzz, form)
    for page in pages:
        _fuzz_page(fuzz, page)
    tally = fuzz.tally
    summary = (
        f"fuzz: {len(forms)} forms x ({len(FORM_KILLERS)} + {FORM_EXAMPLES} hypothesis) "
        f"and {len(pages)} pages x ({len(PAGE_KILLERS)} + {QUERY_EXAMPLES} hypothesis): "
        f"{tally.requests} requests, {tally.refused_checked} refusals checked for "
        f"writes, {len(tally.failures)} failures, {time.monotonic() - started:.0f} s"
    )
    with capsys.disabled():
        sys.stdout.write(f"\n{summary}\n")
    record_property("fuzz", summary)
    assert len(forms) >= 10, [form.action for form in forms]
    assert not tally.failures, summary + "\n" + "\n".join(tally.failures)
