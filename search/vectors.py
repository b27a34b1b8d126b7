"""The dense index: chunk embeddings in a Chroma collection, always with our own vectors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings

from search.embedder import Vectors
from search.models import ChunkRecord, DocumentRecord, Filters, Visibility

COLLECTION = "chunks"


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
    if doc.tags:
        meta["tags"] = list(doc.tags)
    return meta


def where_clause(filters: Filters) -> dict[str, Any] | None:
    """A Chroma `where` filter equivalent to the catalog's SQL filter."""
    clauses: list[dict[str, Any]] = []
    if filters.kind:
        clauses.append({"kind": filters.kind.value})
    if filters.community:
        clauses.append({"community": filters.community})
    for tag in filters.tags:
        clauses.append({"tags": {"$contains": tag}})
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
        self._client = open_client(path, url)
        self.name = collection
        self._collection = self._open_collection()

    def _open_collection(self) -> Any:
        return self._client.get_or_create_collection(
            self.name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
        )

    def count(self) -> int:
        return int(self._collection.count())

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
            self._collection.upsert(
                ids=[cid for cid, _, _ in part],
                embeddings=np.stack([vector for _, vector, _ in part]),
                metadatas=[meta for _, _, meta in part],
            )

    def delete_document(self, doc_id: str) -> None:
        self._collection.delete(where={"doc_id": doc_id})

    def update_metadata(self, doc: DocumentRecord, chunks: Sequence[ChunkRecord]) -> None:
        """Refresh filter fields after a metadata change, without re-embedding."""
        if chunks:
            self._collection.update(
                ids=[c.id for c in chunks], metadatas=[chunk_metadata(doc, c) for c in chunks]
            )

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
        result = self._collection.query(
            query_embeddings=vectors,
            n_results=limit,
            where=where_clause(filters),
            include=["distances"],
        )
        distances = result["distances"] or [[] for _ in result["ids"]]
        return [
            [(cid, 1.0 - float(d)) for cid, d in zip(ids, dists, strict=True)]
            for ids, dists in zip(result["ids"], distances, strict=True)
        ]

    def vectors_of(self, chunk_ids: Sequence[str]) -> Vectors:
        if not chunk_ids:
            return np.zeros((0, 0), dtype=np.float32)
        got = self._collection.get(ids=list(chunk_ids), include=["embeddings"])
        order = {cid: i for i, cid in enumerate(got["ids"])}
        embeddings = got["embeddings"]
        assert embeddings is not None
        return np.asarray([embeddings[order[c]] for c in chunk_ids if c in order], np.float32)

    def ids_of_document(self, doc_id: str) -> list[str]:
        return list(self._collection.get(where={"doc_id": doc_id}, include=[])["ids"])

    def all_ids(self) -> set[str]:
        ids: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self._collection.get(include=[], limit=page, offset=offset)["ids"]
            ids.update(got)
            if len(got) < page:
                return ids
            offset += page

    def delete_ids(self, chunk_ids: Sequence[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=list(chunk_ids))

    def reset(self) -> None:
        """Drop every vector (for reindex with another model)."""
        self._client.delete_collection(self.name)
        self._collection = self._open_collection()
