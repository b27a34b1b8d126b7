"""A real, throwaway PostgreSQL server on loopback, for the PostgreSQL store's tests and benchmarks.

`running_postgres()` initialises a cluster in a temporary folder, starts it on a free port and
always stops it and removes the folder; `fresh_database()` gives each test its own empty
database. A watchdog process stops the server too if this process is killed outright.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from harness.ports import free_port

USER = "commons"
HOST = "127.0.0.1"
# Settings for speed: a test cluster holds nothing worth keeping through a crash.
SETTINGS = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
    "shared_buffers": "32MB",
}
START_ATTEMPTS = 3


class PostgresNotInstalled(RuntimeError):
    """The PostgreSQL server binaries are missing from this machine."""


class PostgresStartFailed(RuntimeError):
    """initdb or pg_ctl failed; the message carries the server's own words."""


@dataclass(frozen=True)
class PostgresServer:
    """A running test server: connect as `commons` (trust auth) over TCP on loopback."""

    host: str
    port: int
    user: str
    data_dir: Path

    @property
    def url(self) -> str:
        """The base URL; without a database name it opens the `commons` database."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/"

    def database_url(self, name: str) -> str:
        return f"{self.url}{name}"


def find_bindir() -> Path:
    """The newest installed server's bin folder (Debian keeps it off PATH)."""
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if (p / "initdb").exists()]
    if versions:
        return max(versions, key=lambda p: _version_key(p.parent.name))
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout
        bindir = Path(out.strip())
        if (bindir / "initdb").exists():
            return bindir
    raise PostgresNotInstalled(
        "The PostgreSQL tests need the server binaries (initdb, pg_ctl): `make test` installs "
        "the Debian package `postgresql`, or run 'sudo apt-get install postgresql'."
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _as_server_user(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root, so root runs the server tools as Debian's `postgres`."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(
        _as_server_user(cmd), cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise PostgresStartFailed(
            f"{Path(cmd[0]).name} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )


def _init_cluster(bindir: Path, root: Path, data_dir: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(root, user="postgres", group="postgres")
    _run(
        [
            str(bindir / "initdb"),
            "-D", str(data_dir),
            "-U", USER,
            "--auth=trust",
            "-E", "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
            "--no-instructions",
        ],
        cwd=root,
    )  # fmt: skip
    settings = {**SETTINGS, "unix_socket_directories": f"'{root}'"}
    with (data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.write("\n# harness/postgres_server.py\n")
        conf.writelines(f"{key} = {value}\n" for key, value in settings.items())


def _start(bindir: Path, root: Path, data_dir: Path) -> int:
    """Start on a free port; retry on another if someone took it between probe and bind."""
    log = root / "server.log"
    for _ in range(START_ATTEMPTS):
        port = free_port()
        try:
            _run(
                [
                    str(bindir / "pg_ctl"), "start", "-w", "-t", "60",
                    "-D", str(data_dir), "-l", str(log), "-o", f"-p {port}",
                ],
                cwd=root,
            )  # fmt: skip
        except PostgresStartFailed as exc:
            text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            if "could not bind" in text or "Address already in use" in text:
                continue
            raise PostgresStartFailed(f"{exc}\nserver log:\n{text}") from exc
        return port
    raise PostgresStartFailed(f"no free port on {HOST} after {START_ATTEMPTS} attempts")


def _stop(bindir: Path, root: Path, data_dir: Path) -> None:
    if (data_dir / "postmaster.pid").exists():
        with contextlib.suppress(PostgresStartFailed):
            _run([str(bindir / "pg_ctl"), "stop", "-m", "immediate", "-D", str(data_dir)], root)
    shutil.rmtree(root, ignore_errors=True)


def _start_watchdog(root: Path, data_dir: Path) -> subprocess.Popen[bytes]:
    """A process that stops the server and removes the folder when our end of its pipe closes:
    on a normal stop, and also when this process dies from a signal that skips `finally`."""
    return subprocess.Popen(
        [sys.executable, "-m", "harness.postgres_server", "--watch", str(root), str(data_dir)],
        stdin=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])},
        start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, not the watchdog
    )


def _watch(root: Path, data_dir: Path) -> None:
    sys.stdin.buffer.read()  # returns at EOF: our parent closed the pipe or died
    pid_file = data_dir / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        os.kill(int(pid_file.read_text().splitlines()[0]), signal.SIGQUIT)  # immediate shutdown
        for _ in range(100):  # the postmaster removes its pid file as it exits
            if not pid_file.exists():
                break
            time.sleep(0.05)
    shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A fresh cluster in a temp folder, serving on loopback until the block ends."""
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="commons-pg-"))
    data_dir = root / "data"
    watchdog = _start_watchdog(root, data_dir)
    try:
        _init_cluster(bindir, root, data_dir)
        port = _start(bindir, root, data_dir)
        server = PostgresServer(host=HOST, port=port, user=USER, data_dir=data_dir)
        fresh_database(server, USER)  # so the base URL, which names no database, connects
        yield server
    finally:
        _stop(bindir, root, data_dir)
        assert watchdog.stdin is not None
        watchdog.stdin.close()
        watchdog.wait(timeout=10)


def fresh_database(server: PostgresServer, name: str | None = None) -> str:
    """Create a new, empty database and return its URL."""
    name = name or f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server.database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return server.database_url(name)


if __name__ == "__main__" and sys.argv[1:2] == ["--watch"]:
    _watch(Path(sys.argv[2]), Path(sys.argv[3]))
