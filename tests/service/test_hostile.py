"""Hostile files against a real `commons serve`: clear 4xx, bounded time and memory, and the
server keeps serving."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.hostile import cases
from tests.service.conftest import AUTH, TOKEN, Server

TIME_BOUND_S = 60  # the client gives up (and the test fails) past this, per file


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server that gives a file 3 s to be read, so the slowest files meet that limit."""
    srv = Server(tmp_path / "data", COMMONS_API_TOKENS=TOKEN, COMMONS_SYNC_PDF_PAGES="5",
                 COMMONS_PARSE_TIMEOUT_S="3")
    yield srv
    srv.stop()


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def descendants(pid: int) -> set[int]:
    """Child processes and theirs (a thread's children are listed under that thread)."""
    kids = {int(c) for t in Path(f"/proc/{pid}/task").glob("*/children")
            for c in t.read_text().split()}
    return kids.union(*(descendants(kid) for kid in kids))


def test_hostile_files_get_clear_errors_and_the_server_survives(server: Server) -> None:
    hostile = cases()
    assert len(hostile) >= 30
    answers = {}
    with httpx.Client(base_url=server.url, timeout=TIME_BOUND_S, headers=AUTH) as http:
        for name, data, _ in hostile:
            response = http.post("/api/documents", files={"file": (name, data)})
            body = response.json()
            answers[name] = (response.status_code, body.get("detail", ""))
            assert http.get("/api/health").status_code == 200, name
        wrong = {n: a for (n, _, expected), a in zip(hostile, answers.values(), strict=True)
                 if a[0] != expected}
        assert not wrong, wrong
        for name, (status, detail) in answers.items():
            if status >= 400:
                assert detail and len(detail) > 20, (name, detail)  # a reason, not a code
        assert rss_mb(server.process.pid) < 3000
        # still serving: a normal note goes in and is found
        note = b"# Early Years CoP\n\nThe Bridges passport helped a kinship carer at kinder."
        assert http.post("/api/documents", files={"file": ("ok.md", note)}).status_code == 201
        hits = http.get("/api/search", params={"q": "Bridges passport"}).json()["results"]
        assert hits and hits[0]["title"] == "Early Years CoP"
        docs = http.get("/api/documents").json()
        assert docs["total"] == 2  # the traversal name (stored safely) and the normal note
        assert all("/" not in d["filename"] for d in docs["items"])
    readers = descendants(server.process.pid)  # the fork server and the workers reading files
    assert len(readers) >= 3
    server.stop()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in readers):
        time.sleep(0.2)
    assert not [p for p in readers if Path(f"/proc/{p}").exists()]  # none left running
