"""The one ingest pipeline: read, check, load, chunk, store the original, embed, index.

The command line, uploads and `reindex` all go through `Pipeline.ingest`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np

from ingest import fields
from ingest.chunking import ChunkingOptions, chunk_sections
from ingest.errors import FileTooLarge, IngestError, NoTextError, RestoreConflict
from ingest.loaders import FileReader, load
from ingest.metadata import resolve
from ingest.models import IngestResult, Outcome, Overrides, PiiDecision
from ingest.ocr import PagesRead
from ingest.pii import DEFAULT_PII_POLICY, PiiPolicy
from ingest.pii_guard import Carried, guard
from store.errors import DocumentNotFoundError, DuplicateContentError, SearchError
from store.index import Index
from store.originals import content_hash
from store.protocol import OriginalFiles
from store.records import ChunkRecord, DocumentRecord, Status

log = logging.getLogger(__name__)

Progress = Callable[[IngestResult], None]


def document_id(source: str) -> str:
    """A stable id derived from the source (path within the ingested root, or upload name)."""
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Item:
    """One file to ingest: where it comes from and how to read its bytes."""

    source: str
    read: Callable[[], bytes]
    overrides: Overrides = field(default_factory=Overrides)
    filename: str = ""
    # Which existing documents the person ingesting may see: a duplicate is reported only
    # against those, so an upload never reveals another's document. None: all (the CLI).
    may_see: Callable[[DocumentRecord], bool] | None = None
    # The folder named on the command line, as its last two names ("notes/session-notes"):
    # its names say the kind and community too. Not part of the source.
    folder: str = ""
    # Told of each page recognised while the file is read (OCR): a background job's progress.
    pages_read: PagesRead | None = None

    @property
    def name(self) -> str:
        return self.filename or PurePosixPath(self.source).name


@dataclass
class Prepared:
    """A document loaded, checked and chunked, ready to embed and index; nothing written yet."""

    item: Item
    doc: DocumentRecord
    chunks: list[ChunkRecord]
    previous: DocumentRecord | None
    warnings: tuple[str, ...]
    data: bytes  # what is stored as the original: the file, or its redacted rendition
    unique: bool = True  # a twin (same content, another source) makes it a duplicate

    def twin_of(self) -> Callable[[DocumentRecord], bool] | None:
        """Which documents with the same content count as its twin, if any do."""
        return (self.item.may_see or _anyone) if self.unique else None


def _anyone(_: DocumentRecord) -> bool:
    return True


@dataclass
class Pipeline:
    """Ingest files into an index, keeping their originals in a content-addressed store."""

    index: Index
    originals: OriginalFiles
    chunking: ChunkingOptions = field(default_factory=ChunkingOptions)
    max_bytes: int | None = None
    batch_chunks: int = 256
    pii_policy: PiiPolicy = DEFAULT_PII_POLICY
    pii_names: tuple[str, ...] = ()
    loader: FileReader = load  # bytes and file name -> LoadedDocument; may run in a worker
    max_chunks: int = 2000  # more passages than this in one document is refused (413)

    def ingest(
        self, items: Iterable[Item], progress: Progress | None = None, force: bool = False
    ) -> list[IngestResult]:
        """Ingest items in order; embeds in batches across documents. Never raises per file."""
        results: list[IngestResult] = []
        buffer: list[Prepared] = []
        hashes_in_buffer: dict[str, str] = {}

        def emit(result: IngestResult) -> None:
            results.append(result)
            if progress:
                progress(result)

        def flush() -> None:
            for result in self.write(buffer):
                emit(result)
            buffer.clear()
            hashes_in_buffer.clear()

        for item in items:
            prepared = self.prepare(item, force, hashes_in_buffer)
            if isinstance(prepared, IngestResult):
                emit(prepared)
                continue
            buffer.append(prepared)
            hashes_in_buffer[prepared.doc.content_hash] = prepared.doc.source
            if sum(len(p.chunks) for p in buffer) >= self.batch_chunks:
                flush()
        if buffer:
            flush()
        return results

    def prepare(
        self, item: Item, force: bool = False, hashes_in_buffer: dict[str, str] | None = None
    ) -> Prepared | IngestResult:
        """Read, check, load, guard and chunk an item; nothing is written anywhere.

        Returns an IngestResult instead when there is nothing to index (unchanged, duplicate)
        or the file cannot be ingested (with the reason). A refusal leaves no file behind.
        """
        hashes_in_buffer = hashes_in_buffer or {}
        source = item.source
        try:
            data = item.read()
            if self.max_bytes is not None and len(data) > self.max_bytes:
                raise FileTooLarge(
                    f"'{item.name}' is {len(data) / 1_048_576:.1f} MB; the limit is "
                    f"{self.max_bytes / 1_048_576:.0f} MB"
                )
            digest = content_hash(data)
            catalog = self.index.catalog
            previous = catalog.find_by_source(source)
            may_see = item.may_see or (lambda _: True)
            if previous is not None and not may_see(previous):
                raise IngestError(f"'{item.name}' cannot replace a document you may not see")
            if not force:
                if (
                    previous is not None
                    and previous.content_hash == digest
                    and previous.status is Status.READY
                ):
                    return IngestResult(source, Outcome.UNCHANGED, previous)
                twin = next((d for d in catalog.find_by_hash(digest)
                             if d.source != source and may_see(d)), None)
                if twin is not None:
                    return IngestResult(
                        source,
                        Outcome.DUPLICATE,
                        twin,
                        duplicate_of=twin.source,
                        reason=f"same content as '{twin.source}'",
                    )
                if digest in hashes_in_buffer:
                    return IngestResult(
                        source,
                        Outcome.DUPLICATE,
                        duplicate_of=hashes_in_buffer[digest],
                        reason=f"same content as '{hashes_in_buffer[digest]}'",
                    )
            loaded = self.loader(data, item.name, pages_read=item.pages_read)
            resolved = resolve(source, item.name, loaded, item.overrides, folder=item.folder)
            carried = Carried(title=resolved["title"], tags=resolved["tags"],
                              authors=resolved["authors"], filename=item.name)
            # everything the document carries is checked before anything is written
            guarded = guard(loaded, carried, self.pii_policy, item.overrides.pii,
                            self.pii_names)
            loaded, carried = guarded.document, guarded.carried
            resolved.update(title=carried.title, tags=carried.tags, authors=carried.authors)
            filename = item.name
            if guarded.rendition is not None:  # the unredacted file is not kept
                data, digest = guarded.rendition, content_hash(guarded.rendition)
                filename = f"{PurePosixPath(carried.filename).stem}-redacted.md"
            doc = DocumentRecord(
                id=document_id(source),
                source=source,
                content_hash=digest,
                filename=filename,
                media_type=loaded.media_type,
                n_pages=loaded.n_pages,
                warnings=(*loaded.warnings, *guarded.warnings),
                status=Status.PENDING,
                **resolved,
            )
            chunks = chunk_sections(
                doc.id,
                doc.title,
                loaded.sections,
                self.index.embedder.count_tokens,
                self.chunking,
            )
            if not chunks:
                raise NoTextError(f"'{item.name}' has no text to index")
            if len(chunks) > self.max_chunks:
                raise FileTooLarge(
                    f"'{item.name}' makes {len(chunks):,} passages; the limit is "
                    f"{self.max_chunks:,} per document. Split it and upload the parts"
                )
        except IngestError as exc:
            return IngestResult(source, Outcome.FAILED, reason=str(exc), error=exc)
        except OSError as exc:
            return IngestResult(
                source, Outcome.FAILED, reason=f"cannot read the file: {exc}", error=exc
            )
        return Prepared(item, doc, chunks, previous, doc.warnings, data, unique=not force)

    def embed(self, batch: list[Prepared]) -> list[np.ndarray]:
        """The vectors of each prepared document's chunks (one model call for the batch)."""
        vectors = self.index.embed([c for p in batch for c in p.chunks])
        parts = []
        start = 0
        for prepared in batch:
            end = start + len(prepared.chunks)
            parts.append(np.ascontiguousarray(vectors[start:end]))
            start = end
        return parts

    def write(self, batch: list[Prepared], parts: list[np.ndarray] | None = None
              ) -> list[IngestResult]:
        """Store the originals, embed (unless `parts` has the vectors) and index together.

        Documents written together share the vector store's write. If that fails, each is
        written alone, so one bad document does not fail the others.
        """
        if parts is None:
            parts = self.embed(batch)
        for prepared in batch:  # before the catalog row: a PENDING document has its original
            self.originals.put(prepared.data)
        results: list[IngestResult] = []
        for group in _distinct_runs(list(zip(batch, parts, strict=True))):
            if len(group) > 1:
                try:
                    written = self.index.write_many(
                        [(p.doc, p.chunks, v) for p, v in group],
                        {p.doc.id: twin for p, _ in group if (twin := p.twin_of())})
                except Exception:
                    log.exception("writing %d documents together failed; writing each alone",
                                  len(group))
                else:
                    results.extend(self._written(p, doc) for (p, _), doc in
                                   zip(group, written, strict=True))
                    continue
            results.extend(self._write_one(p, v) for p, v in group)
        return results

    def _write_one(self, prepared: Prepared, vectors: np.ndarray) -> IngestResult:
        doc = prepared.doc
        try:
            written = self.index.write(doc, prepared.chunks, vectors, prepared.twin_of())
        except DuplicateContentError as exc:  # the same file, written meanwhile elsewhere
            return IngestResult(doc.source, Outcome.DUPLICATE, exc.twin,
                                duplicate_of=exc.twin.source, reason=str(exc))
        except Exception as exc:
            log.exception("indexing %s failed", doc.source)
            self._undo(doc, prepared.previous)
            self._drop_original_if_unused(doc.content_hash)
            if isinstance(exc, IngestError | SearchError):
                return IngestResult(doc.source, Outcome.FAILED, reason=str(exc), error=exc)
            return IngestResult(
                doc.source, Outcome.FAILED, reason=f"indexing failed: {exc}", error=exc
            )
        return self._written(prepared, written)

    def _written(self, prepared: Prepared, written: DocumentRecord) -> IngestResult:
        doc = prepared.doc
        outcome = Outcome.UPDATED if prepared.previous is not None else Outcome.ADDED
        if prepared.previous is not None and prepared.previous.content_hash != doc.content_hash:
            self._drop_original_if_unused(prepared.previous.content_hash)
        return IngestResult(doc.source, outcome, written, warnings=prepared.warnings)

    def _undo(self, doc: DocumentRecord, previous: DocumentRecord | None) -> None:
        """Leave no half-indexed document: remove it, or put the previous version back."""
        try:
            if previous is None:
                self.index.delete(doc.id)
            else:
                restore = self.item_for(previous)
                self.ingest([restore], force=True)
        except Exception:  # the repair on start-up finishes what this cannot
            log.exception("could not undo a failed write of %s", doc.source)

    def item_for(self, doc: DocumentRecord) -> Item:
        """An item that re-ingests a catalogued document from its original and metadata.

        Metadata stored before the field limits existed is cut to them, so a document that
        was accepted then is rebuilt rather than refused.
        """
        digest = doc.content_hash
        limits = fields.LIMITS
        return Item(
            source=doc.source,
            filename=doc.filename,
            read=lambda: self.originals.get(digest),
            overrides=Overrides(
                kind=doc.kind,
                title=doc.title[: limits.title],
                tags=tuple(t[: limits.tag] for t in doc.tags[: limits.tags]),
                authors=tuple(a[: limits.author] for a in doc.authors[: limits.authors]),
                community=(doc.community or "")[: limits.community] or None,
                date=doc.date,
                visibility=doc.visibility,
                owner=doc.owner,
                pii=PiiDecision.KEEP,  # decided when it was first ingested
            ),
        )

    def _drop_original_if_unused(self, digest: str) -> None:
        catalog = self.index.catalog
        if not catalog.find_by_hash(digest) and not catalog.trash_holds(digest):
            self.originals.remove(digest)

    # --- the trash: a deletion that can be undone -----------------------------------------
    def trash(self, doc_id: str, by: str) -> DocumentRecord:
        """Take a document out of every index into the trash; its original stays."""
        return self.index.trash(doc_id, by)

    def restore(self, doc_id: str) -> IngestResult:
        """Index a document from the trash again, from its original and its metadata as they
        were; it leaves the trash only once it is searchable (a failure leaves it there)."""
        doc = self._in_trash(doc_id)
        occupant = self.index.catalog.find_by_source(doc.source)
        if occupant is not None:
            raise RestoreConflict(
                f"'{doc.title}' cannot be restored: '{occupant.title}' now has its place "
                f"({doc.source}). Delete or move that document first.")
        [result] = self.ingest([self.item_for(doc)], force=True)
        if result.outcome is not Outcome.FAILED:
            self.index.catalog.forget_trashed(doc_id)
        return result

    def purge(self, doc_id: str) -> DocumentRecord:
        """Remove a document from the trash for good, and its original if nothing needs it."""
        doc = self._in_trash(doc_id)
        self.index.catalog.forget_trashed(doc_id)
        self._drop_original_if_unused(doc.content_hash)
        return doc

    def _in_trash(self, doc_id: str) -> DocumentRecord:
        found = self.index.catalog.trashed(doc_id)
        if not found:
            raise DocumentNotFoundError(doc_id)
        return found[0].document

    def delete(self, doc_id: str) -> DocumentRecord:
        """Remove a document from every index and drop its original if nothing else uses it."""
        doc = self.index.catalog.get(doc_id)
        self.index.delete(doc_id)
        self._drop_original_if_unused(doc.content_hash)
        return doc

    def prune(self, present: set[str], keep: Callable[[str], bool]) -> list[IngestResult]:
        """Delete documents whose source is gone: not in `present` and not kept by `keep`."""
        results = []
        for doc in self.index.catalog.all_documents():
            if doc.source not in present and not keep(doc.source):
                self.delete(doc.id)
                results.append(IngestResult(doc.source, Outcome.PRUNED, doc))
        return results

    def reindex(self, progress: Progress | None = None) -> list[IngestResult]:
        """Rebuild every document from its stored original (for a new model or chunking).

        An unreadable vector index is started afresh first, and filled again here.
        """
        if self.index.vector_error is not None:
            self.index.rebuild_vectors()
        docs = self.index.catalog.all_documents()
        return self.ingest([self.item_for(d) for d in docs], progress=progress, force=True)


def _distinct_runs(
    entries: list[tuple[Prepared, np.ndarray]],
) -> list[list[tuple[Prepared, np.ndarray]]]:
    """Consecutive runs in which no document comes twice (a later version waits its turn)."""
    runs: list[list[tuple[Prepared, np.ndarray]]] = [[]]
    seen: set[str] = set()
    for entry in entries:
        if entry[0].doc.id in seen:
            runs.append([])
            seen = set()
        runs[-1].append(entry)
        seen.add(entry[0].doc.id)
    return [run for run in runs if run]
