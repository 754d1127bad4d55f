"""Run web, Celery worker and Celery beat together until Ctrl-C (used by `make run`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PORT = os.environ.get("PORT", "8000")

PROCESSES = {
    "web": [PY, "manage.py", "runserver", f"0.0.0.0:{PORT}", "--noreload"],
    "worker": [
        PY,
        "-m",
        "celery",
        "-A",
        "mentorship",
        "worker",
        "-c",
        "2",
        "-l",
        "info",
    ],
    "beat": [
        PY,
        "-m",
        "celery",
        "-A",
        "mentorship",
        "beat",
        "-l",
        "info",
        "-s",
        str(ROOT / ".data" / "celerybeat-schedule"),
    ],
}


def banner() -> None:
    import django

    django.setup()
    from demo.data.people import DEMO_PASSWORD
    from demo.seed import DEMO_LOGINS

    lines = [
        "",
        "Mentorship is running. Open (Chromium and Firefox resolve *.localhost):",
        "",
    ]
    lines.append(f"  Platform site:  http://localhost:{PORT}/")
    for org_host, people in DEMO_LOGINS.items():
        lines.append(f"  {org_host}: http://{org_host}:{PORT}/")
        lines.extend(f"      {role:<12} {email}" for role, email in people)
    lines += [
        "",
        f"  Every demo password: {DEMO_PASSWORD}",
        "  HR admins set up two-factor (any authenticator app) at their first sign-in.",
        "  Press Ctrl-C to stop.",
        "",
    ]
    print("\n".join(lines), flush=True)


def site_environment(environ: dict[str, str]) -> dict[str, str]:
    """The variables links in emails are built from (``SITE_SCHEME``, ``SITE_PORT``),
    set to what the development server really serves — plain HTTP on ``PORT`` —
    unless given. The worker builds the links, not the web process: without these a
    link in an invitation lacked the port and led nowhere."""
    return {"SITE_SCHEME": "http", "SITE_PORT": PORT} | {
        name: environ[name]
        for name in ("SITE_SCHEME", "SITE_PORT")
        if environ.get(name)
    }


def main() -> int:
    os.chdir(ROOT)
    (ROOT / ".data").mkdir(exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    os.environ.update(site_environment(dict(os.environ)))
    sys.path.insert(0, str(ROOT))
    children = {name: subprocess.Popen(cmd) for name, cmd in PROCESSES.items()}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        time.sleep(2)
        banner()
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    print(
                        f"{name} exited with {child.returncode}; stopping the rest.",
                        flush=True,
                    )
                    stopping, exit_code = True, child.returncode or 1
            time.sleep(0.5)
    finally:
        # Never leave a web, worker or beat behind, whatever went wrong above.
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
