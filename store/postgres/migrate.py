"""Moving an embedded store (SQLite file, originals folder) into a PostgreSQL one.

Rows are copied table by table with the columns both schemas have, keeping every id, time
and audit number; the full-text postings and the hub's word counts are then computed again
in PostgreSQL (they are derived). The vectors move separately (service.migration).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass

from store.catalog import Catalog
from store.originals import OriginalStore
from store.postgres.catalog import PgCatalog
from store.postgres.originals import PgOriginals

# In an order that keeps foreign keys whole; spelling is counted again, not copied.
TABLES = ("meta", "documents", "chunks", "trash", "users", "sessions", "audit", "jobs",
          "search_texts", "searches", "search_communities", "search_results")
# Columns PostgreSQL makes itself (or derives), never copied.
DERIVED = {"rowid", "terms", "n_terms", "positions", "seq"}
KEPT_NUMBERS = {"audit": "seq"}  # copied as they are: audit entries keep their numbers
BATCH = 500


@dataclass(frozen=True)
class Counts:
    """How many of each a store holds."""

    tables: dict[str, int]
    originals: int

    def differences(self, other: Counts) -> list[str]:
        found = [f"{t}: {n} here, {other.tables.get(t)} there"
                 for t, n in self.tables.items() if other.tables.get(t) != n]
        if self.originals != other.originals:
            found.append(f"originals: {self.originals} here, {other.originals} there")
        return found


def _columns_sqlite(source: Catalog, table: str) -> list[str]:
    return [r["name"] for r in source.read(f"PRAGMA table_info({table})")]


def _columns_postgres(target: PgCatalog, table: str) -> set[str]:
    rows = target.read("SELECT column_name FROM information_schema.columns "
                       "WHERE table_schema = current_schema() AND table_name = ?", (table,))
    return {r["column_name"] for r in rows}


def _rows(source: Catalog, table: str, columns: list[str]) -> Iterator[list[tuple[object, ...]]]:
    """The table's rows in insertion order, a batch at a time."""
    with closing(source.reader()) as db:
        cursor = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid")
        while batch := cursor.fetchmany(BATCH):
            yield [tuple(row) for row in batch]


def count(catalog: Catalog, originals: list[str]) -> Counts:
    tables = {t: int(catalog.read(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in TABLES
              if t != "meta"}
    return Counts(tables, len(originals))


def copy_store(source: Catalog, source_originals: OriginalStore, target: PgCatalog,
               target_originals: PgOriginals,
               progress: Callable[[str, int], object] = lambda _t, _n: None) -> Counts:
    """Copy every table and original into an empty PostgreSQL store; returns its counts."""
    if target.read("SELECT 1 FROM documents LIMIT 1") or target.read(
            "SELECT 1 FROM users LIMIT 1"):
        raise ValueError("the PostgreSQL database already holds a hub; moving needs an empty one")
    for table in TABLES:
        wanted = _columns_postgres(target, table) - (DERIVED - {KEPT_NUMBERS.get(table, "")})
        columns = [c for c in _columns_sqlite(source, table) if c in wanted]
        overriding = " OVERRIDING SYSTEM VALUE" if table in KEPT_NUMBERS else ""
        # opening the target wrote its model's name in meta: the source's values win
        upsert = " ON CONFLICT(key) DO UPDATE SET value = excluded.value" \
            if table == "meta" else ""
        sql = (f"INSERT INTO {table}({', '.join(columns)}){overriding} "
               f"VALUES ({', '.join('?' * len(columns))}){upsert}")
        for batch in _rows(source, table, columns):
            with target.transaction() as db:
                db.executemany(sql, batch)
            progress(table, len(batch))
    for table, column in KEPT_NUMBERS.items():  # the next entry follows the copied ones
        with target.transaction() as db:
            db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                       f"(SELECT COALESCE(MAX({column}), 0) + 1 FROM {table}), false)")
    target.rebuild_lexical()
    with target.transaction() as db:
        db.execute("DELETE FROM meta WHERE key = 'spelling'")  # counted again on first open
    for digest in source_originals.digests():
        target_originals.put(source_originals.get(digest))
        progress("originals", 1)
    target.database.vacuum()
    return count(target, target_originals.digests())
