"""The ingest / search / delete suite against a real `chroma run` server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.files import make_pdf
from ingest.files import discover
from ingest.models import Outcome
from ingest.pipeline import Pipeline
from search.models import Method
from search.retrieval import SearchOptions, related, search
from service.workers import chroma_server
from store.embedder import Embedder
from store.index import Index
from store.originals import OriginalStore
from store.records import Filters, Kind


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real `chroma run` on loopback, as `commons serve --workers` starts one."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server") / "chroma") as url:
        yield url


def test_ingest_search_delete_on_a_chroma_server(
    chroma_url: str, tmp_path: Path, embedder: Embedder
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "readings").mkdir(parents=True)
    (corpus / "practices").mkdir()
    (corpus / "readings" / "brief.pdf").write_bytes(make_pdf(
        ["Attachment theory and the secure base. " * 12,
         "Resilience is ordinary magic in children's development. " * 12],
        title="Development Brief"))
    (corpus / "practices" / "parents.md").write_text(
        "# Engaging parents\n\n## Outreach\n\nOffer home visits to parents on shift work.")
    data = tmp_path / "data"
    index = Index(data, embedder, chroma_url=chroma_url, collection="commons-test")
    pipeline = Pipeline(index, OriginalStore(data / "originals"))
    results = pipeline.ingest(discover([corpus]))
    assert {r.outcome for r in results} == {Outcome.ADDED}
    assert not (data / "chroma").exists()  # vectors live on the server
    for method in (Method.DENSE, Method.HYBRID):
        hits = search(index, "ordinary magic of resilience", options=SearchOptions(method=method))
        assert hits[0].document.title == "Development Brief"
        assert hits[0].passages[0].page_start == 2
    brief = hits[0].document
    near = related(index, brief.id, Filters(kind=Kind.PRACTICE))
    assert [h.document.source for h in near] == ["practices/parents.md"]

    # a second process's view: reopen the index against the same server
    index.close()
    index = Index(data, embedder, chroma_url=chroma_url, collection="commons-test")
    pipeline = Pipeline(index, OriginalStore(data / "originals"))
    assert index.vectors.count() == index.catalog.chunk_count() > 0
    pipeline.delete(brief.id)
    hits = search(index, "ordinary magic of resilience", options=SearchOptions(method=Method.DENSE))
    assert brief.id not in [h.document.id for h in hits]
    assert index.vectors.ids_of_document(brief.id) == []
    index.close()
