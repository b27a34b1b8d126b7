"""`commons serve --workers N`: N uvicorn processes sharing one store on this machine.

A machine with more cores than one process keeps busy (the GIL) serves more with several.
They share the store as replicas on several machines do: the catalog (SQLite locks across
processes, or PostgreSQL), the job queue with its leases, and the vectors, which must then be
in a Chroma server, since Chroma's embedded mode belongs to one process. Without
COMMONS_CHROMA_URL, `serve` starts one on loopback over the data folder's own `chroma/`, so
the same data folder serves with one worker or many.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from service.settings import Settings

HOST_VARIABLE = "COMMONS_SERVE_HOST"  # the address the parent serves on, for create_app's check


def app_from_environment() -> FastAPI:
    """The app of one worker process (uvicorn's factory), configured from the environment."""
    from service.app import create_app

    return create_app(Settings(), host=os.environ.get(HOST_VARIABLE, "127.0.0.1"))


def free_port() -> int:
    """A free loopback port, for a server started in a child process."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def chroma_server(folder: Path, timeout: float = 120) -> Iterator[str]:
    """A `chroma run` on loopback over `folder` (it ships with chromadb); yields its URL."""
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder.parent / "chroma-server.log").open("w") as log:
        process = subprocess.Popen(
            [chroma, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(folder)],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while not _answers(f"{url}/api/v2/heartbeat"):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Chroma server over {folder} did not start; see "
                                       f"{folder.parent / 'chroma-server.log'}")
                time.sleep(0.2)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _say_when_ready(url: str, message: str, say: Callable[[str], object]) -> None:
    """Print `message` once the hub answers (any worker), from a background thread."""

    def wait() -> None:
        while not _answers(f"{url}/api/health"):
            time.sleep(0.5)
        say(message)

    threading.Thread(target=wait, name="ready", daemon=True).start()


def serve_workers(settings: Settings, host: str, port: int, workers: int, access_log: bool,
                  message: str, say: Callable[[str], object],
                  prepare: Callable[[Settings], object]) -> None:
    """Run `workers` uvicorn processes on host:port until interrupted, after `prepare` (the
    model's export, the store's schema: once, before the workers start together)."""
    with _vectors_shared(settings) as chroma_url:
        os.environ[HOST_VARIABLE] = host
        if chroma_url is not None:
            os.environ["COMMONS_CHROMA_URL"] = chroma_url
            settings = settings.model_copy(update={"chroma_url": chroma_url})
        prepare(settings)
        address = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        _say_when_ready(f"http://{address}:{port}", message, say)
        uvicorn.run("service.workers:app_from_environment", factory=True, host=host, port=port,
                    workers=workers, log_level="info", access_log=access_log)


@contextmanager
def _vectors_shared(settings: Settings) -> Iterator[str | None]:
    """The Chroma server the workers share: the configured one, else one started here."""
    if settings.chroma_url:
        yield None
        return
    with chroma_server(settings.data_dir / "chroma") as url:
        yield url
