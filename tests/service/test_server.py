"""End to end through a real `commons serve` (uvicorn) on a loopback port, with httpx."""

from __future__ import annotations

import time

import httpx

from harness.files import make_pdf
from harness.jobs import finished_job
from tests.service.conftest import AUTH, Server


def test_upload_search_delete_over_http(server: Server) -> None:
    note = b"# Youth Justice CoP\n\n## Actions\n\nTK will pilot the Harbour bail hostel roster.\n"
    with httpx.Client(base_url=server.url, timeout=60) as http:
        created = http.post("/api/documents", files={"file": ("yj.md", note)},
                            data={"community": "Youth Justice", "visibility": "public"},
                            headers=AUTH)
        assert created.status_code == 201, created.text
        doc_id = created.json()["id"]
        hits = http.get("/api/search", params={"q": "bail hostel roster"}).json()["results"]
        assert hits[0]["id"] == doc_id
        assert http.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 204
        hits = http.get("/api/search", params={"q": "bail hostel roster"}).json()["results"]
        assert doc_id not in [h["id"] for h in hits]
        assert http.get("/api/health").json()["documents"] == 0


def test_large_pdf_is_a_job_to_poll(server: Server) -> None:
    pages = [f"Page {n}: notes on the transition passport and kinship carers. " * 3
             for n in range(1, 13)]
    pages[10] = "The Lighthouse mentoring scheme pairs Year 10 students with Year 7. " * 3
    with httpx.Client(base_url=server.url, timeout=60) as http:
        accepted = http.post("/api/documents", files={"file": ("big.pdf", make_pdf(pages))},
                             data={"kind": "reading"}, headers=AUTH)
        assert accepted.status_code == 202, accepted.text
        job = accepted.json()
        assert accepted.headers["location"] == f"/api/jobs/{job['id']}"
        assert job["status"] in {"queued", "processing", "done"}
        job = finished_job(http, job["id"], AUTH)
        assert job["status"] == "done", job
        hits = http.get("/api/search", params={"q": "Lighthouse mentoring scheme"}).json()
        top = hits["results"][0]
        assert top["id"] == job["document"]["id"]
        assert top["passages"][0]["page_start"] == 11


def test_failed_job_reports_its_reason(server: Server) -> None:
    blank = make_pdf([""] * 8)
    with httpx.Client(base_url=server.url, timeout=60) as http:
        job = http.post("/api/documents", files={"file": ("scan.pdf", blank)},
                        headers=AUTH).json()
        deadline = time.monotonic() + 60
        while job["status"] in {"queued", "processing"} and time.monotonic() < deadline:
            time.sleep(0.3)
            job = http.get(f"/api/jobs/{job['id']}", headers=AUTH).json()
        assert job["status"] == "failed"
        assert "OCR" in job["reason"]


def test_searches_are_not_written_to_the_server_log(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        assert http.get("/api/search", params={"q": "Jordan Okafor refuses school"}).is_success
    server.stop()
    log = server.log.read_text()
    assert "Uvicorn running" in log  # the log is there, only request lines are not
    assert "Okafor" not in log and "/api/search" not in log


def test_the_server_says_where_it_is_and_what_to_try(server: Server) -> None:
    deadline = time.monotonic() + 30
    while "is ready at" not in server.log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    log = server.log.read_text()
    assert f"Practice Commons is ready at {server.url}\n" in log
    tries = [line.split(": ", 1)[1] for line in log.splitlines()
             if line.strip()[:3] in ("1. ", "2. ", "3. ")]
    assert len(tries) == 3
    for url in tries:
        assert url.startswith(server.url)
        assert httpx.get(url, timeout=60).status_code == 200, url
