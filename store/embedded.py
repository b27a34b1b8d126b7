"""The embedded store, the default: one data folder on this machine.

SQLite (`commons.db`) holds the catalog with its full-text index, accounts, the audit log and
jobs; Chroma holds the vectors (in `chroma/`, or on a Chroma server); originals are files
under `originals/`. With a database URL, PostgreSQL holds all of these but the vectors
(store.postgres). `open_store` is the one place that picks these implementations; the rest
of the code sees only the interfaces of store.protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.accounts import Accounts
from store.audit import AuditLog
from store.catalog import Catalog
from store.embedder import Embedder
from store.index import Index
from store.insights import InsightTable
from store.jobs import JobTable
from store.originals import OriginalStore
from store.protocol import AccountStore, AuditStore, InsightStore, JobStore, OriginalFiles
from store.vectors import VectorStore


@dataclass(frozen=True)
class Store:
    """Every part of the hub's state, each behind its interface."""

    index: Index
    originals: OriginalFiles
    accounts: AccountStore
    audit: AuditStore
    jobs: JobStore
    insights: InsightStore


def open_store(data_dir: Path, embedder: Embedder, *, adopt_model: bool = False,
               chroma_url: str | None = None, collection: str = "chunks",
               database_url: str | None = None) -> Store:
    """Open (creating if need be) the store; refuses a model mismatch.

    Without `database_url`, the data folder holds it all; with one, PostgreSQL does (its
    schema migrated on the way) and the data folder keeps only caches.
    """
    originals: OriginalFiles
    if database_url:
        from store.postgres.catalog import PgCatalog
        from store.postgres.database import Database
        from store.postgres.originals import PgOriginals

        database = Database(database_url)
        catalog: Catalog = PgCatalog(database)
        originals = PgOriginals(database)
    else:
        catalog = Catalog(data_dir / "commons.db")
        originals = OriginalStore(data_dir / "originals")
    vectors = VectorStore(data_dir / "chroma", chroma_url, collection)
    index = Index(data_dir, embedder, adopt_model=adopt_model, catalog=catalog, vectors=vectors)
    return Store(index, originals, Accounts(catalog), AuditLog(catalog), JobTable(catalog),
                 InsightTable(catalog))


def recorded_model(data_dir: Path, database_url: str | None = None) -> str | None:
    """The name of the embedding model the hub's index was built with; None for a new hub."""
    catalog: Catalog
    if database_url:
        from store.postgres.catalog import PgCatalog
        from store.postgres.database import Database

        catalog = PgCatalog(Database(database_url))
    elif (data_dir / "commons.db").exists():
        catalog = Catalog(data_dir / "commons.db")
    else:
        return None
    try:
        return catalog.get_meta("model")
    finally:
        catalog.close()
