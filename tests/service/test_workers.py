"""`commons serve --workers 2`: two processes share one data folder (and a Chroma server
started for them over its `chroma/`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.service.conftest import AUTH, TOKEN, Server


def _children(pid: int) -> list[str]:
    listed = subprocess.run(["ps", "-ww", "-o", "args=", "--ppid", str(pid)], capture_output=True,
                            text=True, check=False).stdout
    return [line for line in listed.splitlines() if line.strip()]


def test_two_worker_processes_share_one_data_folder(tmp_path: Path) -> None:
    server = Server(tmp_path / "data", "--workers", "2", COMMONS_API_TOKENS=TOKEN)
    try:
        children = _children(server.process.pid)
        assert sum("spawn_main" in c for c in children) == 2, children
        assert sum("chroma" in c and "run" in c for c in children) == 1, children
        note = b"# Family Support CoP\n\nThe money desk opens at the kitchen table on Fridays.\n"
        with httpx.Client(base_url=server.url, timeout=60) as http:
            created = http.post("/api/documents", files={"file": ("fs.md", note)},
                                data={"kind": "session-note"}, headers=AUTH)
            assert created.status_code == 201, created.text
            doc_id = created.json()["id"]
            # each request may reach either process: every one finds what the other wrote
            for _ in range(8):
                with httpx.Client(base_url=server.url, timeout=60) as fresh:
                    hits = fresh.get("/api/search", params={"q": "money desk kitchen table"})
                    assert hits.json()["results"][0]["id"] == doc_id
            assert http.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 204
            for _ in range(4):
                with httpx.Client(base_url=server.url, timeout=60) as fresh:
                    assert fresh.get("/api/health").json()["documents"] == 0
    finally:
        server.stop()
    assert "is ready at" in server.log.read_text()
    assert not _children(server.process.pid)  # the workers and the Chroma server stopped
