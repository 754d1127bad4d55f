"""Lighthouse on three pages served like production (issue 16, item 5).

Run from the repository root with the database (DATABASE_URL) and Redis (REDIS_URL)
reachable, Node/npm and Chromium installed:

    .venv/bin/python bench/lighthouse.py [--lighthouse-dir DIR] [--preset mobile|desktop]

It migrates and seeds the demo if needed, runs collectstatic with the production
storage, starts gunicorn (2 workers × 4 threads) with production settings (DEBUG off; only
SECURE_SSL_REDIRECT, secure cookies and HSTS are off, since it serves plain HTTP on
127.0.0.1), signs the demo's mentee and coordinator in (sessions made server-side),
requests each page a few times (warm workers, as in production), and runs
Lighthouse (performance, best practices) on Meridian's sign-in page, the
mentee's portal home and the coordinator's home, in one headless Chromium whose
cookie jar gets the session through Puppeteer before each audit (Lighthouse's
--extra-headers reaches the page but not its htmx requests, which then answer 401).
Lighthouse comes from --lighthouse-dir (a directory where `npm install lighthouse`
ran), or is installed by npm into a temporary directory (never into the repository).

Prints a table, then, as its LAST line, one JSON object:
{"<page>": {"performance": 0-100, "best_practices": 0-100, "fcp_ms": …, "lcp_ms": …,
"tbt_ms": …, "cls": …}, ...}. Goal: performance and best practices >= 95.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [str(REPO)] + [
    p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"
]
PY = str(REPO / ".venv" / "bin" / "python")
ORG_HOST = "meridian.localhost"
MENTEE = "mentee@meridian.example"
COORDINATOR = "coordinator@meridian.example"
GOAL = 95
# LIGHTHOUSE_REPORTS=DIR keeps every run's full report there (to see what costs).
KEEP_REPORTS = os.environ.get("LIGHTHOUSE_REPORTS", "")

# Production settings, less what needs HTTPS (this serves plain HTTP on 127.0.0.1).
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "mentorship.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-lighthouse-" + "x" * 40,
    "EMAIL_HOST": "127.0.0.1",
    "BASE_DOMAIN": "localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_COOKIES": "false",
    "SECURE_HSTS_SECONDS": "0",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def manage(*args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=REPO, check=True)


def prepare_database() -> None:
    """Migrate, and seed the demo if Meridian is missing (as `make run` does)."""
    manage("migrate_schemas", "-v0")
    manage("setup_platform")
    from mentorship.organizations.models import Organization

    if not Organization.objects.filter(schema_name="org_meridian").exists():
        manage("seed_demo")


def session_cookie(email: str) -> str:
    """A signed-in session for `email` in Meridian, as `name=value`."""
    from django.conf import settings
    from django.test import Client
    from django_tenants.utils import schema_context

    from mentorship.accounts.models import User

    with schema_context("org_meridian"):
        client = Client(HTTP_HOST=ORG_HOST)
        client.force_login(User.objects.get(email=email))
        value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={value}"


def wait_for_port(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{what} did not start")
        time.sleep(0.2)


@contextlib.contextmanager
def gunicorn(port: int) -> Iterator[None]:
    proc = subprocess.Popen(
        [
            str(REPO / ".venv" / "bin" / "gunicorn"),
            "mentorship.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            # Threads, not sync workers: with no buffering proxy in front, Chromium's
            # preconnected idle sockets each hold a sync worker until its 30 s timeout.
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
    )
    try:
        wait_for_port(port, proc, "gunicorn")
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# Puts cookies into the jar of the Chromium listening on a debugging port.
SET_COOKIES_JS = """
import puppeteer from 'puppeteer-core';

const [port, cookiesJson] = process.argv.slice(2);
const browser = await puppeteer.connect({browserURL: `http://127.0.0.1:${port}`});
await browser.setCookie(...JSON.parse(cookiesJson));
await browser.disconnect();
"""


@contextlib.contextmanager
def chromium(port: int) -> Iterator[None]:
    """Headless Chromium with a debugging port, shared by every audit (one cookie jar)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
        proc = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                # What Lighthouse's own launcher passes, so the page paints (no NO_FCP).
                "--disable-background-timer-throttling",
                "--disable-backgrounding-occluded-windows",
                "--disable-renderer-backgrounding",
                "--no-first-run",
                "--no-default-browser-check",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, proc, "Chromium")
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@contextlib.contextmanager
def lighthouse_dir(given: str | None) -> Iterator[Path]:
    """A directory whose node_modules holds lighthouse (and its puppeteer-core)."""
    if given:
        yield Path(given)
        return
    if shutil.which("npm") is None:
        raise SystemExit("npm is not installed; pass --lighthouse-dir")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as prefix:
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                prefix,
                "--no-audit",
                "--no-fund",
                "lighthouse",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield Path(prefix)


def warm_up(url: str, cookie: str | None, times: int = 6) -> None:
    """Request `url` (and so its templates, URL conf, imports) in every worker first:
    a server in production is warm; a first request here took seconds."""
    parts = urllib.parse.urlsplit(url)
    direct = parts._replace(netloc=f"127.0.0.1:{parts.port}").geturl()
    headers = {"Host": parts.netloc, **({"Cookie": cookie} if cookie else {})}
    for _ in range(times):
        request = urllib.request.Request(direct, headers=headers)  # noqa: S310 (http only)
        with urllib.request.urlopen(request) as r:  # noqa: S310
            r.read()


def run_lighthouse(
    folder: Path, chrome_port: int, url: str, cookie: str | None, preset: str
) -> dict:
    if cookie:
        script = folder / "mentorship-set-cookies.mjs"  # next to node_modules
        script.write_text(SET_COOKIES_JS)
        name, value = cookie.split("=", 1)
        jar = [{"name": name, "value": value, "domain": ORG_HOST, "path": "/"}]
        subprocess.run(
            ["node", str(script), str(chrome_port), json.dumps(jar)],
            check=True,
            timeout=60,
        )
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        argv = [
            str(folder / "node_modules" / ".bin" / "lighthouse"),
            url,
            f"--port={chrome_port}",
            "--quiet",
            "--only-categories=performance,best-practices",
            "--output=json",
            f"--output-path={report}",
        ]
        if preset == "desktop":
            argv.append("--preset=desktop")
        subprocess.run(argv, check=True, timeout=300)
        data = json.loads(report.read_text())
        if KEEP_REPORTS:
            kept = Path(KEEP_REPORTS)
            kept.mkdir(parents=True, exist_ok=True)
            name = (
                urllib.parse.urlsplit(url).path.strip("/").replace("/", "_") or "home"
            )
            shutil.copy(report, kept / f"{name}-{time.time_ns()}.json")
    if data.get("runtimeError"):
        raise SystemExit(f"Lighthouse failed on {url}: {data['runtimeError']}")
    final = data.get("finalDisplayedUrl") or data.get("finalUrl")
    if final.rstrip("/") != url.rstrip("/"):
        raise SystemExit(f"{url} ended at {final} (not signed in?)")
    audits = data["audits"]
    categories = data["categories"]
    failing = sorted(
        ref["id"]
        for cat in categories.values()
        for ref in cat["auditRefs"]
        if ref.get("weight")
        and audits[ref["id"]].get("score") is not None
        and audits[ref["id"]]["score"] < 1
    )
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "best_practices": round(categories["best-practices"]["score"] * 100),
        "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "not_full_marks": failing,
    }


def median_run(runs: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's advice for variance)."""
    ordered = sorted(runs, key=lambda r: r["performance"])
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lighthouse-dir", help="a directory where `npm install lighthouse` ran"
    )
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="skip migrate/seed (the database is current and seeded)",
    )
    parser.add_argument("--runs", type=int, default=3, help="audits per page")
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    args = parser.parse_args()
    if shutil.which("chromium") is None:
        raise SystemExit("Chromium is not installed (apt-get install -y chromium)")

    os.environ.update(PRODUCTION_ENV)
    import django

    django.setup()
    if not args.no_prepare:
        prepare_database()
    manage("collectstatic", "--noinput", "-v0")
    cookies = {
        "mentee": session_cookie(MENTEE),
        "coordinator": session_cookie(COORDINATOR),
    }

    port = free_port()
    base = f"http://{ORG_HOST}:{port}"
    pages = {
        "login": (f"{base}/accounts/login/", None),
        "portal_home": (f"{base}/", cookies["mentee"]),
        "coordinator_home": (f"{base}/manage/", cookies["coordinator"]),
    }
    results: dict[str, dict] = {}
    chrome_port = free_port()
    with (
        lighthouse_dir(args.lighthouse_dir) as folder,
        gunicorn(port),
        chromium(chrome_port),
    ):
        for url, cookie in pages.values():
            warm_up(url, cookie)
        load_before = os.getloadavg()[0]
        for name, (url, cookie) in pages.items():
            runs = [
                run_lighthouse(folder, chrome_port, url, cookie, args.preset)
                for _ in range(args.runs)
            ]
            results[name] = median_run(runs)
        load_after = os.getloadavg()[0]

    print(
        f"Lighthouse ({args.preset}, median of {args.runs} runs by performance score), "
        f"gunicorn 2 workers x 4 threads, production settings; load average {load_before:.1f} "
        f"before, {load_after:.1f} after on {os.cpu_count()} cores"
    )
    print(
        f"{'page':<18} {'perf':>5} {'best':>5} {'FCP ms':>7} {'LCP ms':>7} "
        f"{'TBT ms':>7} {'CLS':>6}  below full marks"
    )
    for name, r in results.items():
        print(
            f"{name:<18} {r['performance']:>5} {r['best_practices']:>5} "
            f"{r['fcp_ms']:>7} {r['lcp_ms']:>7} {r['tbt_ms']:>7} {r['cls']:>6}  "
            + (", ".join(r["not_full_marks"]) or "-")
        )
    ok = all(
        r["performance"] >= GOAL and r["best_practices"] >= GOAL
        for r in results.values()
    )
    print(f"goal (both >= {GOAL} on every page): {'met' if ok else 'NOT met'}")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
