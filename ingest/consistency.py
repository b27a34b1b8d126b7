"""Checking that the catalog, lexical index, vector index and originals agree, and repairing.

A crash can leave a document PENDING (its write was interrupted), vectors whose chunks are
gone (a delete or replace was interrupted) or chunks without vectors. Repair rebuilds every
affected document from its stored original, so nothing that was accepted is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ingest.models import IngestResult, Outcome
from ingest.pipeline import Pipeline
from store.records import doc_id_of

# An unreferenced original younger than this may belong to a write in progress in another
# process (the original is stored just before its catalog row): repair leaves it alone.
SETTLE_SECONDS = 600


@dataclass
class ConsistencyReport:
    pending: list[str] = field(default_factory=list)  # doc ids whose write did not finish
    missing_vectors: list[str] = field(default_factory=list)  # doc ids
    orphan_vectors: list[str] = field(default_factory=list)  # chunk ids
    lexical_mismatch: int = 0  # FTS rows without a chunk, or chunks without an FTS row
    missing_originals: list[str] = field(default_factory=list)  # doc ids
    unreferenced_originals: list[str] = field(default_factory=list)  # digests no document uses
    vector_error: str | None = None  # the vector index cannot be read at all

    @property
    def disagreements(self) -> int:
        return (len(self.pending) + len(self.missing_vectors) + len(self.orphan_vectors)
                + self.lexical_mismatch + len(self.missing_originals)
                + len(self.unreferenced_originals) + (self.vector_error is not None))

    def lines(self) -> list[str]:
        if self.vector_error is not None:
            return [
                f"the vector index cannot be read ({self.vector_error}); search matches words "
                "only: run `commons reindex` to rebuild it from the stored originals",
                f"documents with an interrupted write: {len(self.pending)}",
                f"lexical entries out of step with chunks: {self.lexical_mismatch}",
                f"documents whose original file is missing: {len(self.missing_originals)}",
                f"stored files no document uses: {len(self.unreferenced_originals)}",
            ]
        return [
            f"documents with an interrupted write: {len(self.pending)}",
            f"documents with chunks missing from the vector index: {len(self.missing_vectors)}",
            f"vectors with no chunk in the catalog: {len(self.orphan_vectors)}",
            f"lexical entries out of step with chunks: {self.lexical_mismatch}",
            f"documents whose original file is missing: {len(self.missing_originals)}",
            f"stored files no document uses (left by an unfinished upload; repair deletes "
            f"them): {len(self.unreferenced_originals)}",
        ]


def check(pipeline: Pipeline, settle_seconds: float = 0) -> ConsistencyReport:
    """Compare every store with the catalog; changes nothing.

    With `settle_seconds`, a document whose write began less than that long ago is taken to
    be in progress in another process (a replica), not interrupted: neither it nor its
    vectors count as a disagreement.
    """
    index, originals = pipeline.index, pipeline.originals
    catalog = index.catalog
    report = ConsistencyReport()
    documents = catalog.all_documents()
    began = _cutoff(settle_seconds)
    pending = catalog.pending()
    report.pending = [d.id for d in pending if d.updated_at <= began]
    writing = {d.id for d in pending} - set(report.pending)
    report.vector_error = index.vector_error
    if report.vector_error is None:
        chunk_ids = catalog.chunk_ids()
        vector_ids = index.vectors.all_ids()
        report.orphan_vectors = sorted(v for v in vector_ids - chunk_ids
                                       if doc_id_of(v) not in writing)
        missing = chunk_ids - vector_ids
        report.missing_vectors = sorted({doc_id_of(c) for c in missing})
    report.lexical_mismatch = catalog.lexical_mismatch()
    report.missing_originals = [d.id for d in documents if not originals.exists(d.content_hash)]
    used = {d.content_hash for d in documents}
    settled = time.time() - SETTLE_SECONDS
    report.unreferenced_originals = sorted(
        h for h in originals.digests()
        if h not in used and originals.stored_at(h) < settled
    )
    return report


def repair(pipeline: Pipeline,
           settle_seconds: float = 0) -> tuple[ConsistencyReport, list[IngestResult]]:
    """Fix what `check` finds: drop orphans, rebuild affected documents from originals.

    A document whose original is missing cannot be rebuilt; it is kept if its indexes are
    whole, and removed otherwise (it could never be found correctly). Stored files that no
    document uses were never acknowledged (or were left by a refused upload): deleted.
    With the vector index unreadable, only the catalog's side is repaired here; `reindex`
    rebuilds the vectors.
    """
    report = check(pipeline, settle_seconds)
    index = pipeline.index
    for digest in report.unreferenced_originals:
        pipeline.originals.remove(digest)
    if report.vector_error is not None:
        if report.lexical_mismatch:
            index.catalog.rebuild_lexical()
        return report, []
    index.vectors.delete_ids(report.orphan_vectors)
    if report.lexical_mismatch:
        index.catalog.rebuild_lexical()
    return report, rebuild(pipeline, set(report.pending) | set(report.missing_vectors))


def _cutoff(settle_seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=settle_seconds)).isoformat(timespec="seconds")


def finish_interrupted(pipeline: Pipeline, settle_seconds: float) -> list[IngestResult]:
    """Rebuild the documents whose write began more than `settle_seconds` ago and never
    finished (its process died): the part of `repair` cheap enough to run every minute."""
    cutoff = _cutoff(settle_seconds)
    stale = {d.id for d in pipeline.index.catalog.pending() if d.updated_at <= cutoff}
    return rebuild(pipeline, stale) if stale else []


def rebuild(pipeline: Pipeline, doc_ids: set[str]) -> list[IngestResult]:
    """Index these documents again from their originals (removed when it is missing)."""
    index = pipeline.index
    results: list[IngestResult] = []
    items = []
    for doc_id in sorted(doc_ids):
        doc = index.catalog.get(doc_id)
        if pipeline.originals.exists(doc.content_hash):
            items.append(pipeline.item_for(doc))
        else:
            index.delete(doc_id)
            results.append(IngestResult(doc.source, Outcome.FAILED, doc,
                                        reason="original missing; removed from the index"))
    results += pipeline.ingest(items, force=True)
    return results
