"""Regression tests for the hardening issue, each against a real `commons serve`: metadata
that broke the vector store, a vector store that cannot be read, leaks of another person's
metadata, jobs lost in a crash or shown to strangers, and malformed values that answered 500."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import chromadb
import httpx
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from harness.files import make_docx, make_pdf
from tests.service.conftest import AUTH, TOKEN, Server

COMMONS = str(Path(sys.executable).parent / "commons")
NOTE = (b"# Transitions CoP\n\n## Mornings\n\nA visual timetable by the door eased the move "
        b"from breakfast to the school bus for a child in Year 2.\n")


def commons(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMONS_DATA_DIR": str(data), "COMMONS_API_TOKENS": TOKEN}
    return subprocess.run([COMMONS, *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def add_user(data: Path, user: str, role: str, community: str) -> dict[str, str]:
    done = commons(data, "users", "add", user, "--role", role, "--community", community)
    assert done.returncode == 0, done.stderr
    return {"Authorization": f"Bearer {done.stdout.strip().splitlines()[-1]}"}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def hub(data: Path) -> Iterator[Server]:
    srv = Server(data, COMMONS_API_TOKENS=TOKEN, COMMONS_SYNC_PDF_PAGES="5")
    yield srv
    srv.stop()


def test_oversized_metadata_is_refused_and_the_store_keeps_working(
    hub: Server, data: Path
) -> None:
    many = ",".join(f"tag{i}" for i in range(25_000))
    with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
        refused = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                            data={"tags": many})
        assert refused.status_code == 422
        assert "at most 5000 characters" in str(refused.json()["detail"])
        refused = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                            data={"tags": ",".join(f"t{i}" for i in range(60))})
        assert refused.status_code == 422 and "60 tags" in refused.json()["detail"]
        added = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                          data={"tags": "transitions, mornings"})
        assert added.status_code == 201, added.text
        doc_id = added.json()["id"]
        patched = http.patch(f"/api/documents/{doc_id}",
                             json={"tags": [f"t{i}" for i in range(6_000)]})
        assert patched.status_code == 422
        long_title = http.patch(f"/api/documents/{doc_id}", json={"title": "x" * 5000})
        assert long_title.status_code == 422
        # the hub still takes uploads and answers, by words and by meaning
        other = NOTE.replace(b"visual timetable", b"picture schedule")
        assert http.post("/api/documents", files={"file": ("m.md", other)}).status_code == 201
        for method in ("dense", "hybrid", "bm25"):
            hits = http.get("/api/search", params={"q": "visual timetable school bus",
                                                   "method": method}).json()["results"]
            assert hits, method
        tagged = http.get("/api/search", params={"q": "breakfast", "tag": "mornings"}).json()
        assert [h["id"] for h in tagged["results"]] == [doc_id]
    hub.stop()
    check = commons(data, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    assert commons(data, "reindex").returncode == 0


def _poison_vectors(data: Path) -> None:
    """Break the embedded Chroma collection the way the 25,000-tag upload did."""
    client = chromadb.PersistentClient(path=str(data / "chroma"),
                                       settings=ChromaSettings(anonymized_telemetry=False))
    collection = client.get_collection("chunks")
    with pytest.raises(Exception, match="compaction"):
        collection.upsert(ids=["poison:0"], embeddings=np.ones((1, 384), np.float32),
                          metadatas=[{"doc_id": "poison", "tags": [f"t{i}" for i in
                                                                   range(25_000)]}])


def test_an_unreadable_vector_store_leaves_a_working_hub_and_reindex_rebuilds_it(
    data: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes" / "session-notes"
    notes.mkdir(parents=True)
    (notes / "mornings.md").write_bytes(NOTE)
    assert commons(data, "ingest", str(notes.parent)).returncode == 0
    _poison_vectors(data)

    hub = Server(data, COMMONS_API_TOKENS=TOKEN)  # starts although Chroma cannot be read
    try:
        with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
            health = http.get("/api/health").json()
            assert health["status"] == "degraded" and health["vectors"] == "unavailable"
            assert any("commons reindex" in p for p in health["problems"])
            found = http.get("/api/search", params={"q": "visual timetable"}).json()
            assert found["results"] and "only match your words" in found["notice"]
            refused = http.post("/api/documents", files={"file": ("x.md", NOTE + b"More.")})
            assert refused.status_code == 503
            assert "commons reindex" in refused.json()["detail"]
            page = http.get("/", params={"q": "visual timetable"})
            assert "only match your words" in page.text
    finally:
        hub.stop()
    check = commons(data, "check")
    assert check.returncode == 1 and "vector index cannot be read" in check.stdout
    rebuilt = commons(data, "reindex")
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    assert commons(data, "check").returncode == 0

    hub = Server(data, COMMONS_API_TOKENS=TOKEN)
    try:
        with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
            assert http.get("/api/health").json()["vectors"] == "ok"
            dense = http.get("/api/search", params={"q": "picture routine before the bus",
                                                    "method": "dense"}).json()
            assert dense["results"] and dense["notice"] is None
    finally:
        hub.stop()


PRIVATE = (b"# Home visit, week 3\n\nThe family asked for help with the morning routine; "
           b"agreed a sticker chart and a calm-down corner.\n")


def test_a_duplicate_upload_reveals_nothing_of_a_document_one_may_not_see(
    hub: Server, data: Path
) -> None:
    owner = add_user(data, "sam.ey", "contributor", "Early Years")
    other = add_user(data, "lee.yj", "contributor", "Youth Justice")
    with httpx.Client(base_url=hub.url, timeout=60) as http:
        first = http.post("/api/documents", headers=owner,
                          files={"file": ("visit.md", PRIVATE)},
                          data={"visibility": "private", "title": "Week three routine plan",
                                "tags": "home-visit"})
        assert first.status_code == 201, first.text
        again = http.post("/api/documents", headers=other,
                          files={"file": ("visit.md", PRIVATE)})
        assert again.status_code == 201, again.text  # a document of their own, not a 200
        body = again.json()
        assert body["id"] != first.json()["id"]
        assert "Week three" not in again.text and "home-visit" not in again.text
        assert body["duplicate"] is False
        # the owner's own re-upload is still recognised as already there
        mine = http.post("/api/documents", headers=owner, files={"file": ("visit.md", PRIVATE)})
        assert mine.status_code == 200 and mine.json()["id"] == first.json()["id"]


def test_contributors_write_only_into_their_own_communities(hub: Server, data: Path) -> None:
    contributor = add_user(data, "ana.ey", "contributor", "Early Years")
    with httpx.Client(base_url=hub.url, headers=contributor, timeout=60) as http:
        elsewhere = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                              data={"community": "Youth Justice"})
        assert elsewhere.status_code == 403
        front = b"---\ncommunity: Youth Justice\n---\n" + NOTE
        assert http.post("/api/documents",
                         files={"file": ("f.md", front)}).status_code == 403
        own = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                        data={"community": "Early Years"})
        assert own.status_code == 201
        moved = http.patch(f"/api/documents/{own.json()['id']}",
                           json={"community": "Youth Justice"})
        assert moved.status_code == 403
        listing = http.get("/api/documents", headers=AUTH).json()
        assert [d["community"] for d in listing["items"]] == ["Early Years"]
    assert len(list((data / "originals").glob("??/*"))) == 1  # the accepted note's only


def test_malformed_values_answer_422_never_500(hub: Server) -> None:
    with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
        huge = "9223372036854775808"
        assert http.get("/api/documents", params={"offset": huge}).status_code == 422
        assert http.get("/browse", params={"offset": huge}).status_code == 200
        title = "Plan\u202e gpj.exe\x00 for\x07 Term\u2066 2"
        added = http.post("/api/documents", files={"file": ("n.md", NOTE)},
                          data={"title": title, "tags": "a\u200fb, c\x1bd"})
        assert added.status_code == 201, added.text
        doc = added.json()
        assert doc["title"] == "Plan gpj.exe for Term 2" and doc["tags"] == ["ab", "cd"]
        url = f"/api/documents/{doc['id']}"
        for patch in ({"title": None}, {"kind": None}, {"visibility": None},
                      {"date": "2026-99-99"}, {"date": "1066-10-14"}, {"date": 0},
                      {"tags": None, "title": ""}, {"surprise": 1}):
            answer = http.patch(url, json=patch)
            assert answer.status_code == 422, (patch, answer.status_code, answer.text)
        cleared = http.patch(url, json={"community": None, "tags": None, "authors": None,
                                        "date": None})
        assert cleared.status_code == 200
        assert cleared.json()["tags"] == [] and cleared.json()["community"] is None
        dated = http.patch(url, json={"date": "2026-03-14", "title": "Term\u202e 2 plan"})
        assert dated.status_code == 200 and dated.json()["title"] == "Term 2 plan"


def _spoken_pdf(pages: int) -> bytes:
    body = ("Family support CoP. Call the carer on 0412 345 678 or write to "
            "carer.jones@example.org. Child DOB 14/03/2015. ")
    return make_pdf([f"Page {n}. " + body * 8 for n in range(1, pages + 1)])


def _job(http: httpx.Client, location: str, headers: dict[str, str]) -> dict[str, object]:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        job: dict[str, object] = http.get(location, headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.5)
    raise AssertionError("the job did not finish")


def test_large_pdfs_leave_no_unredacted_file_and_jobs_show_only_to_their_uploader(
    hub: Server, data: Path
) -> None:
    uploader = add_user(data, "kim.fs", "contributor", "Family Support")
    stranger = add_user(data, "pat.fs", "reader", "Family Support")
    pdf = _spoken_pdf(8)  # over the 5-page threshold: a background job
    with httpx.Client(base_url=hub.url, timeout=60) as http:
        refused = http.post("/api/documents", headers=uploader,
                            files={"file": ("visit.pdf", pdf)})
        assert refused.status_code == 202
        location = refused.headers["location"]
        for who in ({}, stranger):
            assert http.get(location, headers=who).status_code == 404
            page = http.get(location.replace("/api/jobs", "/upload/jobs"), headers=who)
            assert page.status_code == 404
        job = _job(http, location, uploader)
        assert job["status"] == "failed" and "personal data" in str(job["reason"])
        assert "0412" not in str(job["reason"]) and "jones" not in str(job["reason"])
        assert not list((data / "originals").glob("??/*"))  # the review refusal kept nothing

        redacted = http.post("/api/documents", headers=uploader,
                             files={"file": ("visit.pdf", pdf)}, data={"pii": "redact"})
        job = _job(http, redacted.headers["location"], uploader)
        assert job["status"] == "done", job
        stored = [p.read_bytes() for p in (data / "originals").glob("??/*")]
        assert len(stored) == 1 and not stored[0].startswith(b"%PDF")
        assert b"0412" not in stored[0] and b"jones" not in stored[0]
        assert http.get(redacted.headers["location"], headers=AUTH).status_code == 200
    with sqlite3.connect(data / "commons.db") as db:
        assert db.execute("SELECT COUNT(*) FROM jobs WHERE payload IS NOT NULL").fetchone()[0] == 0


def test_an_accepted_job_survives_kill_9(data: Path) -> None:
    hub = Server(data, COMMONS_API_TOKENS=TOKEN, COMMONS_SYNC_PDF_PAGES="5",
                 COMMONS_PII_POLICY="warn")
    text = ("Residential care CoP. The night staff shared how a predictable bedtime routine, "
            "a warm drink and a short story helped a twelve-year-old settle after family "
            "contact visits. ")
    pdf = make_pdf([f"Page {n}. " + text * 10 for n in range(1, 121)])
    try:
        with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
            accepted = http.post("/api/documents", files={"file": ("bedtime.pdf", pdf)})
            assert accepted.status_code == 202
            os.kill(hub.process.pid, signal.SIGKILL)
            hub.process.wait()
    finally:
        hub.stop()
    with sqlite3.connect(data / "commons.db") as db:
        status = db.execute("SELECT status FROM jobs").fetchall()
    assert status in ([("queued",)], [("processing",)])  # killed before it finished

    hub = Server(data, COMMONS_API_TOKENS=TOKEN, COMMONS_PII_POLICY="warn")
    try:
        with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
            job = _job(http, accepted.headers["location"], AUTH)
            assert job["status"] == "done", job
            hits = http.get("/api/search", params={"q": "bedtime routine after contact visits"})
            assert hits.json()["results"][0]["title"] != ""
            assert hits.json()["results"][0]["id"] == job["document"]["id"]  # type: ignore[index]
    finally:
        hub.stop()


def test_personal_data_anywhere_in_a_document_is_caught_before_it_is_stored(
    hub: Server, data: Path
) -> None:
    note = (b"# Visit to Jane Roe, DOB 14/03/2015, 0412 345 678\n\n"
            b"## Follow-up with mum.roe@example.org\n\n"
            b"Jayden Miller, aged 4, settled well once the visual timetable was up.\n")
    with httpx.Client(base_url=hub.url, headers=AUTH, timeout=60) as http:
        refused = http.post("/api/documents", files={"file": ("visit.md", note)})
        assert refused.status_code == 422
        detail = refused.json()["detail"]
        for secret in ("Jane", "Roe", "0412", "mum.roe", "Jayden", "Miller", "14/03"):
            assert secret not in detail, secret
        assert "title" in detail and "heading" in detail
        assert not list((data / "originals").glob("??/*"))
        anonymous = httpx.get(f"{hub.url}/api/search", params={"q": "Jane Roe visual timetable"})
        assert anonymous.json()["results"] == []

        for field, value in (("title", "Notes on Jayden Miller, aged 4"),
                             ("tags", "jayden.miller@example.org"),
                             ("authors", "Kim (ph 0412 345 678)")):
            plain = b"# Routine\n\nThe visual timetable helped at drop-off.\n"
            answer = http.post("/api/documents", files={"file": (f"{field}.md", plain)},
                               data={field: value})
            assert answer.status_code == 422, (field, answer.text)
        named_file = http.post("/api/documents", files={
            "file": ("Jayden Miller DOB 14-03-2015.md", b"# Routine\n\nDrop-off went well.\n")})
        assert named_file.status_code == 422
        body = [("Heading 1", "Routine"), ("", "The visual timetable helped at drop-off.")]
        for name, content in (
            ("props.docx", make_docx(body, title="Visit to Jane Roe, DOB 14/03/2015")),
            ("props.pdf", make_pdf(["The visual timetable helped at drop-off."],
                                   author="mum.roe@example.org")),
        ):
            answer = http.post("/api/documents", files={"file": (name, content)})
            assert answer.status_code == 422, (name, answer.text)
            detail = answer.json()["detail"]  # the title property is the document's title
            assert ("title" in detail or "propert" in detail) and "Roe" not in detail

        redacted = http.post("/api/documents", files={"file": ("visit.md", note)},
                             data={"pii": "redact"})
        assert redacted.status_code == 201, redacted.text
        doc = redacted.json()
        everything = redacted.text + http.get(f"/api/documents/{doc['id']}").text + \
            http.get(f"/api/documents/{doc['id']}/file").text
        for secret in ("Jane", "0412", "mum.roe", "Jayden", "14/03/2015"):
            assert secret not in everything, secret
        stored = b"".join(p.read_bytes() for p in (data / "originals").glob("??/*"))
        assert b"Jane Roe" not in stored and b"mum.roe" not in stored
