"""The JSON API through FastAPI's TestClient, with the real model and stores."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter

from harness.files import make_docx, make_pdf
from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL

NOTE = b"""---
title: School Mental Health CoP - March
community: School Mental Health
visibility: public
tags: [school-avoidance]
date: 2026-03-05
---
## Case discussion

A Year 8 student has missed most mornings. The SafeReturn plan starts with ten minutes
in the library with a trusted adult, then one lesson, building up over three weeks.
"""


def upload(client: TestClient, name: str, data: bytes, **fields: str) -> tuple[int, dict[str, Any]]:
    response = client.post(
        "/api/documents", files={"file": (name, data)}, data=fields, headers=AUTH
    )
    return response.status_code, response.json()


def test_upload_then_find_in_search(client: TestClient) -> None:
    status, doc = upload(client, "march.md", NOTE)
    assert status == 201, doc
    assert doc["title"] == "School Mental Health CoP - March"
    assert doc["kind"] == "session-note" and doc["community"] == "School Mental Health"
    body = client.get("/api/search", params={"q": "student missing mornings at school"}).json()
    assert set(body) == {"query", "results", "facets", "notice", "confidence", "did_you_mean",
                         "searched_for", "total", "offset", "search_id"} and body["notice"] is None
    hit = body["results"][0]
    assert hit["id"] == doc["id"]
    assert set(hit) >= {"id", "title", "kind", "source", "score", "passages"}
    passage = hit["passages"][0]
    assert set(passage) == {"id", "text", "snippet", "heading_path", "page_start", "page_end"}
    assert passage["heading_path"] == ["Case discussion"]
    assert "<mark>" in passage["snippet"]
    assert body["facets"]["community"] == {"School Mental Health": 1}
    assert body["facets"]["year"] == {"2026": 1}


def test_same_content_twice_answers_with_the_existing_document(client: TestClient) -> None:
    first_status, first = upload(client, "march.md", NOTE)
    second_status, second = upload(client, "copy-of-march.md", NOTE)
    assert (first_status, second_status) == (201, 200)
    assert second["id"] == first["id"] and second["duplicate"] is True
    assert client.get("/api/documents").json()["total"] == 1


def test_form_fields_override_the_file(client: TestClient) -> None:
    status, doc = upload(
        client, "notes.docx",
        make_docx([("Heading 1", "Actions"), ("", "AK to phone the kinder about the passport.")]),
        title="Early Years CoP - April", community="Early Years", tags="transitions, kinship",
        date="2026-04-09", authors="EY facilitator",
    )
    assert status == 201, doc
    assert (doc["title"], doc["community"], doc["date"]) == (
        "Early Years CoP - April", "Early Years", "2026-04-09"
    )
    assert doc["tags"] == ["transitions", "kinship"] and doc["authors"] == ["EY facilitator"]


def test_bad_uploads_get_clear_errors(client: TestClient, tmp_path: Path) -> None:
    status, body = upload(client, "budget.xlsx", b"PK\x03\x04 not for us")
    assert status == 415 and "allowed types" in body["detail"]
    status, body = upload(client, "huge.txt", b"a" * (1024 * 1024 + 10))
    assert status == 413 and "limit" in body["detail"]
    status, body = upload(client, "broken.pdf", b"%PDF-1.7\n1 0 obj garbage")
    assert status == 422 and "not a readable PDF" in body["detail"]
    status, body = upload(client, "scan.pdf", make_pdf(["", ""]))
    assert status == 422
    assert "no extractable text; the file may be scanned and need OCR" in body["detail"]
    status, body = upload(client, "notes.docx", b"this is plain text, not a zip")
    assert status == 422 and "not a valid Word document" in body["detail"]
    status, body = upload(client, "empty.md", b"")
    assert status == 422 and "empty" in body["detail"]

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["Secret session notes."]))))
    writer.encrypt(user_password="s3cret", owner_password="owner", algorithm="RC4-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    status, body = upload(client, "locked.pdf", encrypted.getvalue())
    assert status == 422 and "encrypted" in body["detail"]

    # nothing half-indexed remains from any failure
    assert client.get("/api/documents").json()["total"] == 0
    assert client.get("/api/health", headers=AUTH).json()["chunks"] == 0


def test_file_names_never_become_paths(client: TestClient, tmp_path: Path) -> None:
    status, doc = upload(client, "../../../escape\x00d.md", NOTE)
    assert status == 201, doc
    name = doc["filename"]  # the client percent-encodes the NUL on the wire
    assert name.startswith("escape") and name.endswith(".md") and "/" not in name
    assert not any(tmp_path.parent.glob("escape*"))
    assert not any(p.name.startswith("escape") for p in tmp_path.rglob("*"))
    original = client.get(f"/api/documents/{doc['id']}/file")
    assert original.content == NOTE
    assert original.headers["content-disposition"].startswith("attachment; filename*=UTF-8''")


def test_document_detail_pages_and_download(client: TestClient) -> None:
    pages = ["First page on attachment theory and secure bases. " * 8,
             "Second page on resilience as ordinary magic. " * 8]
    data = make_pdf(pages, title="Development Brief", author="Centre Research Team")
    status, doc = upload(client, "brief.pdf", data, kind="reading")
    assert status == 201, doc
    detail = client.get(f"/api/documents/{doc['id']}").json()
    assert detail["title"] == "Development Brief" and detail["n_pages"] == 2
    assert [s["page"] for s in detail["sections"]] == [1, 2]
    assert "ordinary magic" in detail["sections"][1]["text"]
    hit = client.get("/api/search", params={"q": "resilience ordinary magic"}).json()["results"][0]
    assert hit["passages"][0]["page_start"] == 2
    original = client.get(f"/api/documents/{doc['id']}/file")
    assert original.content == data
    assert original.headers["content-type"] == "application/pdf"


def test_delete_removes_from_search_related_and_listing(client: TestClient) -> None:
    _, note = upload(client, "march.md", NOTE)
    _, other = upload(client, "other.md", NOTE.replace(b"March", b"April").replace(
        b"SafeReturn", b"graded return"))
    related = client.get(f"/api/documents/{other['id']}/related").json()["results"]
    assert note["id"] in [r["id"] for r in related]
    assert client.delete(f"/api/documents/{note['id']}", headers=AUTH).status_code == 204
    hits = client.get("/api/search", params={"q": "SafeReturn plan"}).json()["results"]
    assert note["id"] not in [h["id"] for h in hits]
    related = client.get(f"/api/documents/{other['id']}/related").json()["results"]
    assert note["id"] not in [r["id"] for r in related]
    assert [d["id"] for d in client.get("/api/documents").json()["items"]] == [other["id"]]
    assert client.get(f"/api/documents/{note['id']}").status_code == 404


def test_patch_metadata_is_reflected_in_search(client: TestClient) -> None:
    _, doc = upload(client, "march.md", NOTE)
    response = client.patch(
        f"/api/documents/{doc['id']}", json={"tags": ["re-entry"], "community": "Youth Justice"},
        headers=AUTH,
    )
    assert response.status_code == 200 and response.json()["tags"] == ["re-entry"]
    found = client.get("/api/search", params={"q": "library trusted adult", "tag": "re-entry",
                                              "community": "Youth Justice"}).json()
    assert [h["id"] for h in found["results"]] == [doc["id"]]
    gone = client.get("/api/search", params={"q": "library trusted adult",
                                             "community": "School Mental Health"}).json()
    assert gone["results"] == []


def test_unknown_ids_are_404(client: TestClient) -> None:
    for method, path in [("get", "/api/documents/nope"), ("get", "/api/documents/nope/file"),
                         ("get", "/api/documents/nope/related"), ("get", "/api/jobs/nope"),
                         ("delete", "/api/documents/nope")]:
        response = client.request(method, path, headers=AUTH)
        assert response.status_code == 404, path
        assert "nope" in response.json()["detail"]


def test_writes_need_a_token(client: TestClient) -> None:
    response = client.post("/api/documents", files={"file": ("a.md", NOTE)})
    assert response.status_code == 401
    response = client.post("/api/documents", files={"file": ("a.md", NOTE)},
                           headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401
    _, doc = upload(client, "a.md", NOTE)
    assert client.delete(f"/api/documents/{doc['id']}").status_code == 401
    assert client.patch(f"/api/documents/{doc['id']}", json={"title": "x"}).status_code == 401
    assert client.get("/api/search", params={"q": "school"}).status_code == 200


def test_read_token_closes_reads(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "d", api_tokens="w", read_token="r")
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert client.get("/api/search", params={"q": "x"}).status_code == 401
        assert client.get("/api/documents").status_code == 401
        ok = client.get("/api/documents", headers={"Authorization": "Bearer r"})
        assert ok.status_code == 200
        assert client.get("/api/health").status_code == 200


def test_refuses_public_address_without_tokens(tmp_path: Path, embedder: Embedder) -> None:
    import pytest

    with pytest.raises(RuntimeError, match="COMMONS_API_TOKENS"):
        create_app(Settings(data_dir=tmp_path / "d", api_tokens=""), host="0.0.0.0",
                   embedder=embedder)


def test_openapi_documents_the_shapes(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["info"]["version"] == "1.0.0"
    assert {"/api/search", "/api/documents", "/api/documents/{doc_id}",
            "/api/documents/{doc_id}/related", "/api/jobs/{job_id}", "/api/health",
            "/api/stats"} <= set(schema["paths"])
    assert "SearchOut" in schema["components"]["schemas"]


def test_security_headers_and_offline_docs(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "x"})
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn.jsdelivr" not in docs.text
    asset = next(line for line in docs.text.split('"') if line.endswith(".js"))
    assert client.get(asset).status_code == 200
