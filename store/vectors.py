"""The dense index: chunk embeddings in a Chroma collection, always with our own vectors.

Beside each vector Chroma keeps only what retrieval filters on, all short scalars (ids,
kind, community, a date number, visibility, owner): tags and other lists stay in the catalog,
so no document's metadata can grow the vector store's records. A collection that cannot be
read (for example one broken by an earlier write) leaves the store unavailable rather than the
hub unable to start; `reset()` rebuilds it empty.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings

from store.embedder import Vectors
from store.errors import VectorStoreUnavailable
from store.records import ChunkRecord, DocumentRecord, Filters, Visibility

COLLECTION = "chunks"
log = logging.getLogger(__name__)
T = TypeVar("T")


def chunk_metadata(doc: DocumentRecord, chunk: ChunkRecord) -> dict[str, Any]:
    """What Chroma stores beside a vector: enough to filter inside the ANN search."""
    meta: dict[str, Any] = {
        "doc_id": doc.id,
        "kind": doc.kind.value,
        "community": doc.community or "",
        "date": int(doc.date.replace("-", "")) if doc.date else 0,
        "ordinal": chunk.ordinal,
        "visibility": doc.visibility.value,
        "owner": doc.owner or "",
    }
    return meta


def where_clause(filters: Filters) -> dict[str, Any] | None:
    """A Chroma `where` filter equivalent to the catalog's SQL filter.

    Tags are not in the vector store: the caller turns a tag filter into document ids first.
    """
    if filters.tags:
        raise ValueError("tag filters must be resolved to document ids before a vector query")
    clauses: list[dict[str, Any]] = []
    if filters.kind:
        clauses.append({"kind": filters.kind.value})
    if filters.community:
        clauses.append({"community": filters.community})
    if filters.date_from:
        clauses.append({"date": {"$gte": int(filters.date_from.replace("-", ""))}})
    if filters.date_to:
        clauses.append({"date": {"$lte": int(filters.date_to.replace("-", "")) or 99999999}})
    if filters.doc_ids is not None:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids) or [""]}})
    if filters.exclude_doc_ids:
        clauses.append({"doc_id": {"$nin": list(filters.exclude_doc_ids)}})
    viewer = filters.viewer
    if viewer is not None and not viewer.admin:
        visible: list[dict[str, Any]] = [{"visibility": Visibility.PUBLIC.value}]
        if viewer.communities:
            visible.append({"$and": [{"visibility": Visibility.COMMUNITY.value},
                                     {"community": {"$in": list(viewer.communities)}}]})
        if viewer.user_id:
            visible.append({"owner": viewer.user_id})
        clauses.append(visible[0] if len(visible) == 1 else {"$or": visible})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def open_client(path: Path, url: str | None = None) -> Any:
    """An embedded Chroma in `path`, or a Chroma server's client when `url` is given."""
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if url:
        parts = urlparse(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"COMMONS_CHROMA_URL '{url}' is not like http://host:port")
        return chromadb.HttpClient(
            host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https", settings=settings,
        )
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


class VectorStore:
    """A Chroma collection of chunk vectors, cosine distance: embedded, or on a server."""

    def __init__(self, path: Path, url: str | None = None, collection: str = COLLECTION) -> None:
        self.name = collection
        self.error: str | None = None  # why the store cannot be used, if it cannot
        self._client: Any = None
        self._collection: Any = None
        try:
            self._client = open_client(path, url)
            self._collection = self._open_collection()
            self._collection.get(limit=1, include=[])  # a broken collection fails here
        except ValueError:
            raise  # a malformed COMMONS_CHROMA_URL: a setting to fix, not a store to rebuild
        except Exception as exc:
            self._broken(exc)

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
        )

    def _broken(self, exc: Exception) -> None:
        self.error = f"{type(exc).__name__}: {str(exc)[:300]}"
        log.error("the vector index is unavailable: %s", self.error)

    def _use(self, work: Callable[[Any], T]) -> T:
        """Run `work` on the collection; an error inside Chroma marks the store unavailable."""
        if self.error is not None:
            raise VectorStoreUnavailable(self.error)
        try:
            return work(self._collection)
        except ValueError:
            raise  # our own bad argument, not a broken store
        except Exception as exc:
            if type(exc).__name__ == "InternalError":  # Chroma's storage failed
                self._broken(exc)
                raise VectorStoreUnavailable(self.error or str(exc)) from exc
            raise

    @property
    def available(self) -> bool:
        return self.error is None

    def count(self) -> int:
        return int(self._use(lambda c: c.count()))

    def add(self, doc: DocumentRecord, chunks: Sequence[ChunkRecord], vectors: Vectors) -> None:
        self.add_many([(doc, chunks, vectors)])

    def add_many(
        self, entries: Sequence[tuple[DocumentRecord, Sequence[ChunkRecord], Vectors]]
    ) -> None:
        """Several documents' vectors in as few upserts as possible.

        An embedded Chroma upsert costs about 9 ms however few vectors it carries, most of it
        holding the GIL; documents written together share it.
        """
        rows = [
            (chunk.id, vector, chunk_metadata(doc, chunk))
            for doc, chunks, vectors in entries
            for chunk, vector in zip(chunks, vectors, strict=True)
        ]
        batch = 2000
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            self._use(lambda c, part=part: c.upsert(  # type: ignore[misc]
                ids=[cid for cid, _, _ in part],
                embeddings=np.stack([vector for _, vector, _ in part]),
                metadatas=[meta for _, _, meta in part],
            ))

    def delete_document(self, doc_id: str) -> None:
        self._use(lambda c: c.delete(where={"doc_id": doc_id}))

    def update_metadata(self, doc: DocumentRecord, chunks: Sequence[ChunkRecord]) -> None:
        """Refresh filter fields after a metadata change, without re-embedding.

        Chroma merges metadata on update; `tags: None` removes the tag lists that vectors
        written before version 3 carried.
        """
        if chunks:
            metadatas = [{**chunk_metadata(doc, c), "tags": None} for c in chunks]
            self._use(lambda c: c.update(ids=[ch.id for ch in chunks], metadatas=metadatas))

    def query(self, vector: Vectors, filters: Filters, limit: int) -> list[tuple[str, float]]:
        """Nearest chunks as (chunk id, cosine similarity), best first."""
        return self.query_many(vector.reshape(1, -1), filters, limit)[0]

    def query_many(
        self, vectors: Vectors, filters: Filters, limit: int
    ) -> list[list[tuple[str, float]]]:
        """`query` for several vectors under one filter, in one call (much cheaper than many).

        Chroma returns fewer than `limit` when the collection is smaller; no count() first:
        it holds the GIL and waits behind writes, which stalled every search under load.
        """
        if limit <= 0 or not len(vectors):
            return [[] for _ in range(len(vectors))]
        where = where_clause(filters)
        result = self._use(lambda c: c.query(
            query_embeddings=vectors, n_results=limit, where=where, include=["distances"],
        ))
        distances = result["distances"] or [[] for _ in result["ids"]]
        return [
            [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], distances, strict=True)
        ]

    def vectors_of(self, chunk_ids: Sequence[str]) -> Vectors:
        if not chunk_ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._use(lambda c: c.get(ids=list(chunk_ids), include=["embeddings"]))
        order = {cid: i for i, cid in enumerate(got["ids"])}
        embeddings = got["embeddings"]
        assert embeddings is not None
        return np.asarray([embeddings[order[c]] for c in chunk_ids if c in order], np.float32)

    def ids_of_document(self, doc_id: str) -> list[str]:
        return list(self._use(lambda c: c.get(where={"doc_id": doc_id}, include=[]))["ids"])

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self._use(
                lambda c, offset=offset: c.get(include=[], limit=page, offset=offset)  # type: ignore[misc]
            )["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        if chunk_ids:
            self._use(lambda c: c.delete(ids=list(chunk_ids)))

    def reset(self) -> None:
        """Drop every vector and start an empty collection (reindex: new model, broken store).

        Chroma can delete a collection that it can no longer read.
        """
        if self._client is None:
            raise VectorStoreUnavailable(self.error or "no connection to the vector store")
        try:
            self._client.delete_collection(self.name)
        except Exception as exc:  # absent, or so broken that only a new one will do
            log.warning("deleting the vector collection failed: %s", exc)
        self._collection = self._open_collection()
        self._collection.get(limit=1, include=[])
        self.error = None
