"""`commons migrate-store`: an embedded hub (SQLite file, originals folder, local Chroma) moved
into PostgreSQL and a Chroma server, then counted on both sides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from service.runtime import make_embedder
from service.settings import Settings
from store.catalog import Catalog
from store.embedded import open_store
from store.originals import OriginalStore
from store.postgres.catalog import PgCatalog
from store.postgres.migrate import Counts, copy_store, count
from store.postgres.originals import PgOriginals

VECTOR_BATCH = 50  # documents whose vectors move in one write


@dataclass(frozen=True)
class Moved:
    source: Counts
    target: Counts
    vectors: tuple[int, int]  # (here, there)

    @property
    def differences(self) -> list[str]:
        found = self.source.differences(self.target)
        if self.vectors[0] != self.vectors[1]:
            found.append(f"vectors: {self.vectors[0]} here, {self.vectors[1]} there")
        return found


def migrate_store(settings: Settings, database_url: str, chroma_url: str, collection: str,
                  progress: Callable[[str, int], object] = lambda _t, _n: None) -> Moved:
    """Copy the data folder's hub into `database_url` and the Chroma server at `chroma_url`."""
    if settings.database_url:
        raise ValueError("this hub is already in PostgreSQL (COMMONS_DATABASE_URL is set)")
    embedder = make_embedder(settings)
    source = open_store(settings.data_dir, embedder, chroma_url=settings.chroma_url,
                        collection=settings.chroma_collection)
    target = open_store(settings.data_dir, embedder, chroma_url=chroma_url,
                        collection=collection, database_url=database_url)
    try:
        catalog, to_catalog = source.index.catalog, target.index.catalog
        originals, to_originals = source.originals, target.originals
        assert isinstance(catalog, Catalog) and isinstance(originals, OriginalStore)
        assert isinstance(to_catalog, PgCatalog) and isinstance(to_originals, PgOriginals)
        same_vectors = settings.chroma_url == chroma_url and \
            settings.chroma_collection == collection
        if not same_vectors and target.index.vectors.count():
            raise ValueError(f"the Chroma collection '{collection}' at {chroma_url} already "
                             "holds vectors; moving needs an empty one")
        moved = copy_store(catalog, originals, to_catalog, to_originals, progress)
        if not same_vectors:
            documents = catalog.all_documents()
            for start in range(0, len(documents), VECTOR_BATCH):
                entries = []
                for doc in documents[start:start + VECTOR_BATCH]:
                    chunks = catalog.chunks_of(doc.id)
                    if not chunks:
                        continue
                    entries.append((doc, chunks, source.index.vectors.vectors_of(
                        [c.id for c in chunks])))
                if entries:
                    target.index.vectors.add_many(entries)
                progress("vectors", sum(len(c) for _, c, _ in entries))
        return Moved(count(catalog, originals.digests()), moved,
                     (source.index.vectors.count(), target.index.vectors.count()))
    finally:
        source.index.close()
        target.index.close()
