"""Browser tests: the system Chromium, headless, driven by Playwright against a real
server process on the test database. Without Chromium they skip locally and fail in CI."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workers import ROOT, database_url_for_tests

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "screenshots"

# Playwright's sync API runs an event loop in this thread; the test only reads the
# database between page actions, never concurrently with them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "Chromium is required in CI: apt-get install -y chromium"
        )
    skip = pytest.mark.skip(
        reason="Chromium not found: install it with `apt-get install -y chromium` to run browser tests"
    )
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def server(django_db_setup, tmp_path_factory):
    """A real server process (runserver, threaded) on the test database."""
    port = _free_port()
    log_path: Path = tmp_path_factory.mktemp("server") / "server.log"
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url_for_tests(),
        DEBUG="true",
        PYTHONUNBUFFERED="1",
    )
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                f"127.0.0.1:{port}",
                "--noreload",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/healthz",
                headers={"Host": f"alpha.localhost:{port}"},
            )
            with urllib.request.urlopen(request, timeout=2):  # noqa: S310
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()) from None
            time.sleep(0.3)
    yield port
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def site(server):
    """Base URL of an organization: Chromium resolves *.localhost to loopback itself."""

    def url(slug: str = "alpha", path: str = "/") -> str:
        return f"http://{slug}.localhost:{server}{path}"

    return url


@pytest.fixture
def shoot(page):
    """Save a screenshot at desktop and phone widths (for looking at, not asserting)."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> None:
        for width, height, label in ((1280, 900, "desktop"), (390, 844, "phone")):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(
                path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True
            )
        page.set_viewport_size({"width": 1280, "height": 900})

    return take
