"""The index: a catalog (with its full-text index) and a vector index, written in a
recoverable order whatever their backend (store.protocol)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from store.catalog import Catalog
from store.embedder import Embedder, Vectors
from store.errors import ModelMismatchError, VectorStoreUnavailable
from store.protocol import DocumentCatalog, VectorIndex
from store.records import ChunkRecord, DocumentRecord
from store.vectors import VectorStore

VECTOR_METADATA_VERSION = "3"  # 2: visibility and owner; 3: no tag lists
log = logging.getLogger(__name__)


class Index:
    """Everything searchable in one data folder.

    Write order: the catalog row goes in as PENDING, then the vectors, then chunks and
    lexical entries with the READY mark in one SQLite transaction. A crash leaves at worst a
    PENDING row (never searchable) that `check --repair` rebuilds from the stored original.
    """

    def __init__(
        self, data_dir: Path, embedder: Embedder, *, adopt_model: bool = False,
        chroma_url: str | None = None, collection: str = "chunks",
        catalog: DocumentCatalog | None = None, vectors: VectorIndex | None = None,
    ) -> None:
        """An index over `catalog` and `vectors`; by default the embedded ones in `data_dir`
        (SQLite `commons.db`, and Chroma in `chroma/` or the server at `chroma_url`)."""
        self.data_dir = data_dir
        self.embedder = embedder
        self.catalog: DocumentCatalog = catalog or Catalog(data_dir / "commons.db")
        self.vectors: VectorIndex = vectors or VectorStore(data_dir / "chroma", chroma_url,
                                                           collection)
        self._closers: list[Callable[[], None]] = []
        self._check_model(adopt_model)
        self._migrate_vector_metadata()

    @property
    def vector_error(self) -> str | None:
        """Why the vector index cannot be used, or None when it can."""
        return self.vectors.error

    def _migrate_vector_metadata(self) -> None:
        """Give vectors the filter fields of this version (after a change, or an outage)."""
        if self.catalog.get_meta("vector_metadata") == VECTOR_METADATA_VERSION:
            return
        if not self.vectors.available:
            return
        for doc in self.catalog.all_documents():
            self.vectors.update_metadata(doc, self.catalog.chunks_of(doc.id))
        self.catalog.set_meta("vector_metadata", VECTOR_METADATA_VERSION)

    def _check_model(self, adopt: bool) -> None:
        stored = self.catalog.get_meta("model")
        stored_dim = int(self.catalog.get_meta("dimension") or 0)
        same = stored == self.embedder.name and stored_dim == self.embedder.dimension
        if stored is not None and not same:
            if not adopt:
                raise ModelMismatchError(
                    stored, stored_dim, self.embedder.name, self.embedder.dimension
                )
            self.vectors.reset()
        if stored is None or not same:
            self.catalog.set_meta("model", self.embedder.name)
            self.catalog.set_meta("dimension", str(self.embedder.dimension))

    def on_close(self, closer: Callable[[], None]) -> None:
        """Run `closer` when the index closes (what a reader started over it, e.g. threads)."""
        self._closers.append(closer)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()
        self.catalog.close()

    def embed(self, chunks: Sequence[ChunkRecord]) -> Vectors:
        return self.embedder.encode([c.indexed_text for c in chunks])

    def write(
        self, doc: DocumentRecord, chunks: Sequence[ChunkRecord], vectors: Vectors | None = None,
        twin_of: Callable[[DocumentRecord], bool] | None = None,
    ) -> DocumentRecord:
        """Add or replace a document with its chunks in every store."""
        if vectors is None:
            vectors = self.embed(chunks)
        return self.write_many([(doc, chunks, vectors)],
                               {doc.id: twin_of} if twin_of is not None else None)[0]

    def write_many(
        self, entries: Sequence[tuple[DocumentRecord, Sequence[ChunkRecord], Vectors]],
        twins: Mapping[str, Callable[[DocumentRecord], bool]] | None = None,
    ) -> list[DocumentRecord]:
        """Add or replace documents (each id once) in every store, with one vector write.

        Each document keeps the recoverable order: PENDING row, vectors, then READY with its
        chunks. Old vectors are deleted only for a document the catalog knows: a new one has
        none (vectors left by a crash without a catalog row are orphans, which repair removes).
        """
        ids = [doc.id for doc, _, _ in entries]
        if len(set(ids)) != len(ids):
            raise ValueError("write_many writes each document once")
        if self.vectors.error is not None:  # refuse before anything is written
            raise VectorStoreUnavailable(self.vectors.error)
        for doc, _, _ in entries:  # twins: DuplicateContentError (store.catalog)
            if self.catalog.begin_document(doc, (twins or {}).get(doc.id)) is not None:
                self.vectors.delete_document(doc.id)
        self.vectors.add_many(entries)
        return [self.catalog.commit_document(doc.id, chunks) for doc, chunks, _ in entries]

    def delete(self, doc_id: str) -> None:
        """Remove a document: catalog and lexical entries first, so it stops being found.

        With the vector index unavailable the document still goes: its vectors can no longer
        be found without a catalog row, and rebuilding the index drops them.
        """
        self.catalog.get(doc_id)
        self.catalog.delete_document(doc_id)
        try:
            self.vectors.delete_document(doc_id)
        except VectorStoreUnavailable:
            log.warning("vectors of %s stay until the vector index is rebuilt", doc_id)

    def trash(self, doc_id: str, by: str) -> DocumentRecord:
        """Move a document to the trash: out of the catalog's indexes, then out of the vectors
        (restoring indexes it again from its original; see ingest.pipeline)."""
        doc = self.catalog.trash_document(doc_id, by)
        try:
            self.vectors.delete_document(doc_id)
        except VectorStoreUnavailable:
            log.warning("vectors of %s stay until the vector index is rebuilt", doc_id)
        return doc

    def update_metadata(self, doc_id: str, **fields: object) -> DocumentRecord:
        """Change metadata in the catalog and the vector filters, without re-embedding.

        If the vector filters cannot be written now, they are refreshed from the catalog when
        the index next opens with a usable vector store.
        """
        doc = self.catalog.update_metadata(doc_id, **fields)
        try:
            self.vectors.update_metadata(doc, self.catalog.chunks_of(doc_id))
        except VectorStoreUnavailable:
            self.catalog.set_meta("vector_metadata", "stale")
        return doc

    def rebuild_vectors(self) -> None:
        """Start the vector index empty (then re-embed every document): for a broken store."""
        self.vectors.reset()
        self.catalog.set_meta("vector_metadata", VECTOR_METADATA_VERSION)
