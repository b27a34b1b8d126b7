"""The pipeline end to end on real files, a real model and a real Chroma store."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.files import make_docx, make_pdf
from ingest.files import discover
from ingest.models import Outcome, Overrides
from ingest.pipeline import Item, Pipeline
from search.models import Method
from search.retrieval import SearchOptions, search
from store.embedded import open_store
from store.embedder import Embedder
from store.errors import ModelMismatchError
from store.index import Index
from store.records import Filters, Kind

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL

PRACTICE = """---
title: Engaging Parents Who Stay Away
tags: [parents, engagement]
date: 2026-01-10
---
# Engaging Parents Who Stay Away

## Outreach

Phone at a time that suits shift workers and offer a home visit instead of an office meeting.
"""

NOTE = """---
title: Youth Justice CoP - May
community: Youth Justice
date: 2026-05-14
---
## Case discussion

The STEPS re-entry plan helped a young person return to school after remand.
"""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "practices").mkdir(parents=True)
    (root / "session-notes" / "youth-justice").mkdir(parents=True)
    (root / "readings").mkdir()
    (root / "practices" / "parents.md").write_text(PRACTICE)
    (root / "session-notes" / "youth-justice" / "2026-05-14-may.md").write_text(NOTE)
    (root / "readings" / "attachment.pdf").write_bytes(
        make_pdf(
            [
                "Bowlby described attachment as a lasting bond between infant and carer. "
                "He argued that the bond evolved because staying close to a carer kept "
                "infants safe, and that early experiences shape later expectations of "
                "relationships, which he called internal working models.",
                "Ainsworth observed the strange situation: a toddler explores from a secure "
                "base. In a playroom the child plays while the carer is present, protests at "
                "a short separation and seeks comfort on reunion; patterns of response were "
                "described as secure, avoidant and ambivalent.",
            ],
            title="Attachment Brief",
            author="Centre Research Team",
        )
    )
    (root / "session-notes" / "youth-justice" / "2026-06-11-june.docx").write_bytes(
        make_docx(
            [("Heading 1", "Actions"), ("", "SR will trial a bail curfew support roster.")],
            title="Youth Justice CoP - June",
        )
    )
    (root / "_sources").mkdir()
    (root / "_sources" / "ignored.md").write_text("# not a document")
    (root / "README.md").write_text("# About this folder")
    return root


def _search(index: Index, query: str, **filters: object) -> list[str]:
    hits = search(index, query, Filters(**filters), SearchOptions(k=5))  # type: ignore[arg-type]
    return [h.document.source for h in hits]


def test_ingest_folder_kinds_communities_pages(pipeline: Pipeline, corpus: Path) -> None:
    results = pipeline.ingest(discover([corpus]))
    assert sorted(r.source for r in results) == [
        "practices/parents.md",
        "readings/attachment.pdf",
        "session-notes/youth-justice/2026-05-14-may.md",
        "session-notes/youth-justice/2026-06-11-june.docx",
    ]
    assert {r.outcome for r in results} == {Outcome.ADDED}
    docs = {d.source: d for d in pipeline.index.catalog.documents()}
    assert docs["practices/parents.md"].kind is Kind.PRACTICE
    assert docs["readings/attachment.pdf"].title == "Attachment Brief"
    assert docs["session-notes/youth-justice/2026-06-11-june.docx"].community == "Youth Justice"
    assert docs["session-notes/youth-justice/2026-06-11-june.docx"].date == "2026-06-11"

    hits = search(pipeline.index, "toddler exploring from a safe base", options=SearchOptions(k=3))
    assert hits[0].document.source == "readings/attachment.pdf"
    assert hits[0].passages[0].page_start == 2
    assert hits[0].passages[0].page_end == 2

    hits = search(pipeline.index, "office meetings for shift workers", options=SearchOptions(k=3))
    assert hits[0].document.source == "practices/parents.md"
    assert hits[0].passages[0].heading_path == ("Outreach",)


def test_reingest_unchanged_does_nothing(pipeline: Pipeline, corpus: Path) -> None:
    pipeline.ingest(discover([corpus]))
    count = pipeline.index.vectors.count()
    again = pipeline.ingest(discover([corpus]))
    assert {r.outcome for r in again} == {Outcome.UNCHANGED}
    assert pipeline.index.vectors.count() == count


def test_changed_file_replaces_old_text(pipeline: Pipeline, corpus: Path) -> None:
    pipeline.ingest(discover([corpus]))
    note = corpus / "session-notes" / "youth-justice" / "2026-05-14-may.md"
    note.write_text(NOTE.replace("STEPS re-entry plan", "HARBOUR housing referral"))
    results = {r.source: r.outcome for r in pipeline.ingest(discover([corpus]))}
    assert results["session-notes/youth-justice/2026-05-14-may.md"] is Outcome.UPDATED
    for method in (Method.BM25, Method.DENSE, Method.HYBRID):
        options = SearchOptions(k=5, method=method)
        texts = [p.text for h in search(pipeline.index, "STEPS re-entry", options=options)
                 for p in h.passages]
        assert not any("STEPS" in t for t in texts), method
    assert _search(pipeline.index, '"HARBOUR housing"') == [
        "session-notes/youth-justice/2026-05-14-may.md"
    ]


def test_prune_removes_documents_whose_source_is_gone(pipeline: Pipeline, corpus: Path) -> None:
    pipeline.ingest(discover([corpus]))
    (corpus / "practices" / "parents.md").unlink()
    items = list(discover([corpus]))
    pruned = pipeline.prune({i.source for i in items}, keep=lambda s: False)
    assert [r.source for r in pruned] == ["practices/parents.md"]
    pipeline.ingest(items)
    assert "practices/parents.md" not in _search(pipeline.index, "parents home visit shift work")
    assert pipeline.index.catalog.find_by_source("practices/parents.md") is None


def test_same_content_under_two_names_is_a_duplicate(pipeline: Pipeline, corpus: Path) -> None:
    pipeline.ingest(discover([corpus]))
    copy = corpus / "practices" / "parents-copy.md"
    copy.write_text(PRACTICE)
    results = {r.source: r for r in pipeline.ingest(discover([corpus]))}
    assert results["practices/parents-copy.md"].outcome is Outcome.DUPLICATE
    assert results["practices/parents-copy.md"].duplicate_of == "practices/parents.md"


def test_failures_are_reported_with_reasons(pipeline: Pipeline, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.md").write_text("")
    (folder / "scan.pdf").write_bytes(make_pdf(["", ""]))
    (folder / "ok.md").write_text("# A note\n\nSome words about a practice.")
    found = discover([folder], Overrides(kind=Kind.PRACTICE))
    results = {r.source: r for r in pipeline.ingest(found)}
    assert results["ok.md"].outcome is Outcome.ADDED
    assert results["empty.md"].outcome is Outcome.FAILED
    assert "empty" in (results["empty.md"].reason or "")
    assert "OCR" in (results["scan.pdf"].reason or "")
    assert pipeline.index.catalog.count() == 1


def test_kind_is_required_outside_kind_folders(pipeline: Pipeline, tmp_path: Path) -> None:
    (tmp_path / "loose.md").write_text("# Loose\n\nNo kind anywhere.")
    [result] = pipeline.ingest(discover([tmp_path / "loose.md"]))
    assert result.outcome is Outcome.FAILED
    assert "--kind" in (result.reason or "")


def test_model_mismatch_is_refused_and_reindex_rebuilds(
    pipeline: Pipeline, corpus: Path, embedder: Embedder, tmp_path: Path, store_url: str | None
) -> None:
    pipeline.ingest(discover([corpus]))
    data = tmp_path / "data"
    pipeline.index.catalog.set_meta("model", "some-other-model")
    with pytest.raises(ModelMismatchError, match="commons reindex"):
        open_store(data, embedder, database_url=store_url)
    # reindex: adopt the configured model and rebuild from the stored originals
    for path in corpus.rglob("*.*"):
        path.unlink()
    store = open_store(data, embedder, adopt_model=True, database_url=store_url)
    rebuilt = store.index
    assert rebuilt.vectors.count() == 0
    results = Pipeline(rebuilt, store.originals).reindex()
    assert len(results) == 4 and {r.outcome for r in results} == {Outcome.UPDATED}
    assert rebuilt.catalog.get_meta("model") == embedder.name
    hits = search(rebuilt, "strange situation secure base", options=SearchOptions(k=1))
    assert hits[0].document.source == "readings/attachment.pdf"
    open_store(data, embedder, database_url=store_url).index.close()  # opens cleanly now


def test_delete_removes_from_both_indexes(pipeline: Pipeline, corpus: Path) -> None:
    pipeline.ingest(discover([corpus]))
    doc = pipeline.index.catalog.find_by_source("session-notes/youth-justice/2026-05-14-may.md")
    assert doc is not None
    pipeline.delete(doc.id)
    for method in (Method.BM25, Method.DENSE):
        hits = search(pipeline.index, "STEPS re-entry plan", options=SearchOptions(method=method))
        assert doc.id not in {h.document.id for h in hits}
    assert pipeline.index.vectors.ids_of_document(doc.id) == []
    assert not pipeline.originals.exists(doc.content_hash)


def test_a_title_without_text_is_searchable(pipeline: Pipeline) -> None:
    """A catalogue record with a title and an empty body is indexed by its title."""
    record = b"---\ntitle: Boundary layer transition on swept wings\n---\n"
    item = Item(source="cacm/1.txt", read=lambda: record, filename="1.txt",
                overrides=Overrides(kind=Kind.READING))
    results = pipeline.ingest([item])
    assert results[0].outcome is Outcome.ADDED, results[0].reason
    for method in (Method.BM25, Method.DENSE):
        hits = search(pipeline.index, "swept wing transition",
                      options=SearchOptions(method=method))
        assert [h.document.source for h in hits] == ["cacm/1.txt"]
