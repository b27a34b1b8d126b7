"""Export then import into an empty hub loses nothing."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from harness.files import make_docx, make_pdf
from ingest.backup import BackupError, export_archive, import_archive
from ingest.files import discover
from ingest.models import Outcome
from ingest.pipeline import Pipeline
from search.retrieval import SearchOptions, search
from store.embedder import Embedder
from store.index import Index
from store.originals import OriginalStore

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL


def test_round_trip_loses_nothing(pipeline: Pipeline, tmp_path: Path, embedder: Embedder
                                  ) -> None:
    folder = tmp_path / "corpus" / "session-notes" / "early-years"
    folder.mkdir(parents=True)
    (folder / "2026-01-22-jan.md").write_text(
        "---\ntitle: January\ntags: [kinship]\n---\n## Check-in\n\nCalm Corner kit trial.")
    (folder / "2026-03-12-mar.docx").write_bytes(
        make_docx([("Heading 1", "Actions"), ("", "AK updates the Bridges passport.")]))
    (folder / "brief.pdf").write_bytes(make_pdf(["Secure base. " * 30, "Ordinary magic. " * 30]))
    pipeline.ingest(discover([tmp_path / "corpus"]))
    doc = pipeline.index.catalog.find_by_source("session-notes/early-years/2026-01-22-jan.md")
    assert doc is not None
    pipeline.index.update_metadata(doc.id, title="January (edited)", tags=["kinship", "edited"])

    archive = tmp_path / "backup.tar.gz"
    assert export_archive(pipeline, archive) == 3
    with tarfile.open(archive) as tar:
        assert sorted(m.name for m in tar)[0] == "catalog.json"

    restored_dir = tmp_path / "restored"
    restored = Pipeline(Index(restored_dir, embedder), OriginalStore(restored_dir / "originals"))
    results = import_archive(restored, archive)
    assert {r.outcome for r in results} == {Outcome.ADDED}

    def snapshot(p: Pipeline) -> list[tuple[object, ...]]:
        return sorted((d.id, d.source, d.title, d.kind, d.community, d.tags, d.date,
                       d.content_hash, p.originals.get(d.content_hash))
                      for d in p.index.catalog.all_documents())

    assert snapshot(restored) == snapshot(pipeline)
    hits = search(restored.index, "Bridges passport", options=SearchOptions(k=1))
    assert hits[0].document.source == "session-notes/early-years/2026-03-12-mar.docx"
    with pytest.raises(BackupError, match="empty"):
        import_archive(restored, archive)


def test_not_a_backup_is_refused(pipeline: Pipeline, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a Practice Commons backup"):
        import_archive(pipeline, bogus)
