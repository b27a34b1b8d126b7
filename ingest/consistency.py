"""Checking that the catalog, lexical index, vector index and originals agree, and repairing.

A crash can leave a document PENDING (its write was interrupted), vectors whose chunks are
gone (a delete or replace was interrupted) or chunks without vectors. Repair rebuilds every
affected document from its stored original, so nothing that was accepted is lost.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

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


def check(pipeline: Pipeline) -> ConsistencyReport:
    """Compare every store with the catalog; changes nothing."""
    index, originals = pipeline.index, pipeline.originals
    catalog = index.catalog
    report = ConsistencyReport()
    documents = catalog.all_documents()
    report.pending = [d.id for d in catalog.pending()]
    report.vector_error = index.vector_error
    if report.vector_error is None:
        chunk_ids = catalog.chunk_ids()
        vector_ids = index.vectors.all_ids()
        report.orphan_vectors = sorted(vector_ids - chunk_ids)
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


def repair(pipeline: Pipeline) -> tuple[ConsistencyReport, list[IngestResult]]:
    """Fix what `check` finds: drop orphans, rebuild affected documents from originals.

    A document whose original is missing cannot be rebuilt; it is kept if its indexes are
    whole, and removed otherwise (it could never be found correctly). Stored files that no
    document uses were never acknowledged (or were left by a refused upload): deleted.
    With the vector index unreadable, only the catalog's side is repaired here; `reindex`
    rebuilds the vectors.
    """
    report = check(pipeline)
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
    broken = set(report.pending) | set(report.missing_vectors)
    results: list[IngestResult] = []
    items = []
    for doc_id in sorted(broken):
        doc = index.catalog.get(doc_id)
        if pipeline.originals.exists(doc.content_hash):
            items.append(pipeline.item_for(doc))
        else:
            index.delete(doc_id)
            results.append(IngestResult(doc.source, Outcome.FAILED, doc,
                                        reason="original missing; removed from the index"))
    results += pipeline.ingest(items, force=True)
    return report, results
