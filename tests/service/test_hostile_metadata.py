"""A property test: hostile metadata thrown at upload and PATCH never answers 500, and the
store afterwards still opens, searches and checks clean."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.consistency import check
from service.app import create_app
from service.runtime import open_runtime
from service.settings import Settings
from store.embedder import Embedder
from store.records import Filters
from tests.service.conftest import AUTH, TOKEN

# Any code point (controls, bidi overrides, NUL, surrogates excluded by JSON), short and long.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=6000),
    st.sampled_from(["\x00", "\u202egpj.exe", " ", "", "a" * 301, "\u2066x\u2069", "\ufeff"]),
)
hostile_list = st.one_of(
    st.lists(hostile_text, max_size=8),
    st.lists(st.text(max_size=5), min_size=40, max_size=400),
)
BIDI = {chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
NOTE = (b"# Hostile metadata\n\n## Evenings\n\nThe youth workers kept the drop-in open late on "
        b"Fridays and saw fewer call-outs on the weekend.\n")


def test_hostile_metadata_never_breaks_the_store(tmp_path: Path, embedder: Embedder) -> None:
    data = tmp_path / "data"
    app_settings = Settings(data_dir=data, api_tokens=TOKEN, pii_policy="warn")
    answers: list[int] = []
    with TestClient(create_app(app_settings, embedder=embedder)) as client:
        first = client.post("/api/documents", headers=AUTH, files={"file": ("n.md", NOTE)})
        assert first.status_code == 201
        doc_id = first.json()["id"]

        @settings(max_examples=60, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(title=hostile_text, community=hostile_text, tags=hostile_list,
               authors=hostile_list, date=hostile_text, n=st.integers(0, 10_000))
        def throw(title: str, community: str, tags: list[str], authors: list[str], date: str,
                  n: int) -> None:
            body = NOTE + f"\nVariant {n}.\n".encode()
            upload = client.post(
                "/api/documents", headers=AUTH, files={"file": (f"note {title[:50]}.md", body)},
                data={"title": title, "community": community, "tags": ",".join(tags),
                      "authors": ",".join(authors), "date": date})
            patch = client.patch(f"/api/documents/{doc_id}", headers=AUTH,
                                 json={"title": title or None, "community": community,
                                       "tags": tags, "authors": authors, "date": date or None})
            answers.extend([upload.status_code, patch.status_code])
            assert upload.status_code in (200, 201, 422), upload.text
            assert patch.status_code in (200, 422), patch.text
            if upload.status_code == 201:
                doc = upload.json()
                shown = doc["title"] + "".join(doc["tags"]) + "".join(doc["authors"])
                assert not any(unicodedata.category(c) == "Cc" or c in BIDI for c in shown)
                assert len(doc["tags"]) <= 50 and all(len(t) <= 60 for t in doc["tags"])

        throw()
    assert 201 in answers and 422 in answers  # both ways were exercised

    runtime = open_runtime(app_settings, embedder=embedder)
    try:
        report = check(runtime.pipeline)
        assert report.disagreements == 0, report.lines()
        assert runtime.index.vector_error is None
        hits = runtime.search("drop-in open late on Fridays", Filters())
        assert hits and runtime.index.vectors.count() == runtime.index.catalog.chunk_count()
    finally:
        runtime.close()
