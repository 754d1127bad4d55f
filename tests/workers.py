"""Start a real Celery worker process against the test database (for the few tests
whose subject is the worker itself: tenant routing, crashes, retries)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url_for_tests() -> str:
    """DATABASE_URL of the database pytest-django created (test_<name>)."""
    settings = connection.settings_dict
    host = settings.get("HOST") or ""
    host_part = quote(host, safe="") if host.startswith("/") else host
    port = (
        f":{settings['PORT']}"
        if settings.get("PORT") and not host.startswith("/")
        else ""
    )
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{host_part}{port}/{settings['NAME']}"
    )


@dataclass
class WorkerProcess:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig: int = signal.SIGKILL) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=60)


def worker_env(queue: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.settings",
        DATABASE_URL=database_url_for_tests(),
        CELERY_TEST_QUEUE=queue,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def running_worker(
    *, queue: str | None = None, concurrency: int = 2, log_dir: Path, **extra_env: str
) -> Iterator[WorkerProcess]:
    queue = queue or f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(
        queue=queue, concurrency=concurrency, log_dir=log_dir, **extra_env
    )
    try:
        yield worker
    finally:
        worker.kill(signal.SIGTERM if worker.process.poll() is None else signal.SIGKILL)


def start_worker(
    *, queue: str, concurrency: int, log_dir: Path, **extra_env: str
) -> WorkerProcess:
    log_path = log_dir / f"worker-{queue}-{time.monotonic_ns()}.log"
    log_file = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "mentorship",
            "worker",
            "-Q",
            queue,
            "-c",
            str(concurrency),
            "--prefetch-multiplier",
            "1",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=ROOT,
        env=worker_env(queue, **extra_env),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = WorkerProcess(process, queue, log_path)
    deadline = time.monotonic() + 60
    while "ready." not in worker.log():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"worker did not start:\n{worker.log()}")
        time.sleep(0.2)
    return worker
