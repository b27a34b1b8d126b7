"""A real app over a real temporary data folder, and a real uvicorn for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from harness.ports import free_port
from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder

TOKEN = "test-writer-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path, embedder: Embedder, store_url: str | None) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN, max_upload_mb=1,
                        database_url=store_url)
    with TestClient(create_app(settings, embedder=embedder)) as test_client:
        yield test_client


class Server:
    """`commons serve` in a child process on a free loopback port."""

    def __init__(self, data_dir: Path, *args: str, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = data_dir.parent / f"server-{self.port}.log"
        environment = {**os.environ, "COMMONS_DATA_DIR": str(data_dir), **env}
        commons = Path(sys.executable).parent / "commons"
        self._handle = self.log.open("w")
        self.process = subprocess.Popen(
            [str(commons), "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
            env=environment, stdout=self._handle, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"commons serve exited: {self.log.read_text()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"commons serve did not start: {self.log.read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._handle.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    srv = Server(tmp_path / "data", COMMONS_API_TOKENS=TOKEN, COMMONS_SYNC_PDF_PAGES="5")
    yield srv
    srv.stop()
