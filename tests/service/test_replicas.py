"""Two `commons serve` replicas on one PostgreSQL database and one Chroma server agree."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from harness.files import make_pdf
from harness.jobs import finished_job
from tests.search.test_chroma_server import chroma_url  # noqa: F401 (a fixture: a real server)
from tests.service.conftest import AUTH, TOKEN, Server


@pytest.fixture
def replicas(tmp_path: Path, postgres_url: str,
             chroma_url: str) -> Iterator[tuple[Server, Server]]:  # noqa: F811
    env = {"COMMONS_API_TOKENS": TOKEN, "COMMONS_SYNC_PDF_PAGES": "5",
           "COMMONS_DATABASE_URL": postgres_url, "COMMONS_CHROMA_URL": chroma_url,
           "COMMONS_CHROMA_COLLECTION": f"replicas-{tmp_path.name[-8:]}",
           "COMMONS_LEASE_SECONDS": "6"}
    first = Server(tmp_path / "one", **env)
    try:
        second = Server(tmp_path / "two", **env)
    except BaseException:
        first.stop()
        raise
    yield first, second
    first.stop()
    second.stop()


def _ids(http: httpx.Client, query: str) -> list[str]:
    answer = http.get("/api/search", params={"q": query})
    assert answer.status_code == 200, answer.text
    return [hit["id"] for hit in answer.json()["results"]]


def test_an_upload_on_one_replica_is_found_on_the_other_and_a_delete_is_gone_on_both(
        replicas: tuple[Server, Server]) -> None:
    one, two = replicas
    note = b"# Youth Justice CoP\n\n## Actions\n\nTK will pilot the Harbour bail hostel roster.\n"
    with httpx.Client(base_url=one.url, timeout=60) as a, \
            httpx.Client(base_url=two.url, timeout=60) as b:
        created = a.post("/api/documents", files={"file": ("yj.md", note)},
                         data={"community": "Youth Justice", "visibility": "public"},
                         headers=AUTH)
        assert created.status_code == 201, created.text
        doc_id = created.json()["id"]
        assert _ids(b, "bail hostel roster")[0] == doc_id  # at once, no reload
        # the same content sent to the other replica is the same document, not a second one
        again = b.post("/api/documents", files={"file": ("yj-copy.md", note)},
                       data={"community": "Youth Justice"}, headers=AUTH)
        assert again.status_code in (200, 201), again.text
        assert b.get("/api/health").json()["documents"] == 1
        assert b.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 204
        assert doc_id not in _ids(a, "bail hostel roster")
        assert a.get("/api/health").json()["documents"] == 0
        # the trash, the audit and the accounts are shared too: the other replica restores it
        restored = a.post(f"/api/trash/{doc_id}/restore", headers=AUTH)
        assert restored.status_code == 200, restored.text
        assert _ids(b, "bail hostel roster")[0] == doc_id


@pytest.mark.parametrize("kill", [False, True], ids=["both-alive", "kill-9-the-first"])
def test_a_large_upload_is_a_job_whose_status_every_replica_answers(
        replicas: tuple[Server, Server], kill: bool) -> None:
    """Whichever replica is free takes the job; killed (kill -9) right after it acknowledged
    the upload, the other finishes it once the job's lease runs out: nothing is lost."""
    one, two = replicas
    pages = [f"Page {n}: notes on the transition passport and kinship carers. " * 3
             for n in range(1, 13)]
    pages[10] = "The Lighthouse mentoring scheme pairs Year 10 students with Year 7. " * 3
    with httpx.Client(base_url=one.url, timeout=60) as a, \
            httpx.Client(base_url=two.url, timeout=60) as b:
        accepted = a.post("/api/documents", files={"file": ("big.pdf", make_pdf(pages))},
                          data={"kind": "reading"}, headers=AUTH)
        assert accepted.status_code == 202, accepted.text
        if kill:
            one.process.send_signal(signal.SIGKILL)
            one.process.wait(timeout=10)
        job = finished_job(b, accepted.json()["id"], AUTH)
        assert job["status"] == "done", job
        top = b.get("/api/search", params={"q": "Lighthouse mentoring scheme"}).json()
        assert top["results"][0]["id"] == job["document"]["id"]
        assert top["results"][0]["passages"][0]["page_start"] == 11
