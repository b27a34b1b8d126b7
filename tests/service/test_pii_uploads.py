"""The PII guard through the API: review, redact, keep; redacted text is nowhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ingest.pii import PiiPolicy
from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH

NOTE = (b"# Early Years CoP - May\n\n## Case discussion\n\nAK to call the grandmother on "
        b"0412 345 678 about the kinder visit for Jaylen; her email is nan.k@example.org.\n"
        b"The Bridges passport will go with him on the first day.\n")


def make_client(tmp_path: Path, embedder: Embedder, policy: PiiPolicy) -> TestClient:
    names = tmp_path / "names.txt"
    names.write_text("# the case list\nJaylen\n")
    settings = Settings(data_dir=tmp_path / "data", api_tokens=AUTH["Authorization"][7:],
                        pii_policy=policy, pii_names_file=names)
    return TestClient(create_app(settings, embedder=embedder))


@pytest.fixture
def review(tmp_path: Path, embedder: Embedder) -> Iterator[TestClient]:
    with make_client(tmp_path, embedder, PiiPolicy.REVIEW) as client:
        yield client


def post(client: TestClient, **fields: str) -> tuple[int, dict[str, Any]]:
    response = client.post("/api/documents", files={"file": ("may.md", NOTE)}, data=fields,
                           headers=AUTH)
    return response.status_code, response.json()


def everything_about(client: TestClient, doc_id: str) -> str:
    parts = [client.get(f"/api/documents/{doc_id}").text,
             client.get(f"/api/documents/{doc_id}/file").text]
    for method in ("bm25", "dense", "hybrid"):
        parts.append(client.get("/api/search", params={"q": "grandmother kinder visit",
                                                       "method": method}).text)
    return "\n".join(parts)


def test_review_policy_refuses_and_masks(review: TestClient) -> None:
    status, body = post(review)
    assert status == 422
    assert "phone" in body["detail"] and "email" in body["detail"] and "name" in body["detail"]
    assert "[phone removed]" in body["detail"] and "pii=redact" in body["detail"]
    for secret in ("0412 345 678", "nan.k@example.org", "Jaylen"):
        assert secret not in body["detail"]
    assert review.get("/api/documents").json()["total"] == 0


def test_redacted_text_is_in_no_index_snippet_or_file(review: TestClient) -> None:
    status, doc = post(review, pii="redact")
    assert status == 201, doc
    assert any("redacted" in w and "phone" in w for w in doc["warnings"])
    seen = everything_about(review, doc["id"])
    assert "[phone removed]" in seen and "Bridges passport" in seen
    for secret in ("0412", "345 678", "nan.k@example.org", "Jaylen"):
        assert secret not in seen
    for query in ("0412 345 678", "Jaylen", "nan.k@example.org"):
        hits = review.get("/api/search", params={"q": query, "method": "bm25"}).json()
        assert hits["results"] == [], query
    page = review.get(f"/documents/{doc['id']}").text
    assert "The file as it was uploaded was not kept" in page


def test_keep_is_the_uploaders_choice(review: TestClient) -> None:
    status, doc = post(review, pii="keep")
    assert status == 201
    assert any("kept" in w for w in doc["warnings"])
    assert "0412 345 678" in review.get(f"/api/documents/{doc['id']}/file").text


@pytest.mark.parametrize(("policy", "kept"), [(PiiPolicy.WARN, True), (PiiPolicy.REDACT, False)])
def test_warn_and_redact_policies(tmp_path: Path, embedder: Embedder, policy: PiiPolicy,
                                  kept: bool) -> None:
    with make_client(tmp_path, embedder, policy) as client:
        status, doc = post(client)
        assert status == 201
        text = client.get(f"/api/documents/{doc['id']}/file").text
        assert ("0412 345 678" in text) is kept
        assert ("Jaylen" in text) is kept
