"""The catalog on PostgreSQL: store.catalog's SQL on a pooled database, with BM25 over a
postings table (store.postgres.bm25) where SQLite has FTS5."""

from __future__ import annotations

import itertools
import math
import time
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from store import fanout
from store.analysis import index_terms
from store.catalog import Catalog
from store.postgres import bm25
from store.postgres.database import Connection, Database
from store.records import ChunkRecord, DocumentRecord, Filters, LexicalQuery

WORDS_LOCK = 727_002  # serialises commits, so the spelling table's numbers follow commit order
COUNTING_LOCK = 727_003  # one process at a time counts the hub's words again


class PgCatalog(Catalog):
    """Documents, chunks, the full-text index and the tables kept beside them, in PostgreSQL."""

    HAS_TAG = "jsonb_exists({alias}.tags::jsonb, ?)"
    JOBS_ORDER = "created_at, seq"
    LOCK_ONE = " FOR UPDATE SKIP LOCKED"  # replicas claim different jobs, none waits
    PARTS_SECONDS = 60.0  # how long the documents' cut points serve before they are read again
    INDEXED_TERMS = "SELECT id, terms FROM chunks WHERE id IN ({marks})"

    def __init__(self, database: Database) -> None:
        self.database = database
        self._parts: Sequence[tuple[Any, Any]] = [(None, None)]
        self._parts_read_at = -math.inf

    def close(self) -> None:
        self.database.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:  # type: ignore[override]
        with self.database.transaction() as db:
            yield db

    def _query(self, sql: str, params: Any = ()) -> list[Any]:
        return self.database.read(sql, params)

    @staticmethod
    def _lock_content(db: Any, content_hash: str) -> None:
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (content_hash,))

    def commit_document(self, doc_id: str, chunks: Sequence[ChunkRecord]) -> DocumentRecord:
        """As the embedded catalog's, one commit at a time: the hub's words then get their
        sequence numbers in the order they become visible, so a process reading the words
        written since the last number it saw (search.spelling) misses none."""
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (WORDS_LOCK,))
            return super().commit_document(doc_id, chunks)

    # --- the full-text index: postings for BM25, positions for phrases ------------------
    @staticmethod
    def _index_terms(db: Any, rowid: int, terms: str) -> None:
        """A chunk's postings, and the statistics BM25 reads (under WORDS_LOCK: the callers
        are commit_document and rebuild_lexical, so term rows are never locked in two
        orders at once)."""
        words = terms.split()
        counts = sorted(Counter(words).items())
        doc_id = db.execute("UPDATE chunks SET terms = ?, n_terms = ? WHERE rowid = ? "
                            "RETURNING doc_id", (terms, len(words), rowid)).fetchone()["doc_id"]
        db.executemany("INSERT INTO postings(term, doc_id, chunk_rowid, tf, dl) "
                       "VALUES (?, ?, ?, ?, ?)",
                       [(term, doc_id, rowid, n, len(words)) for term, n in counts])
        db.executemany("INSERT INTO term_stats(term, df) VALUES (?, 1) "
                       "ON CONFLICT(term) DO UPDATE SET df = term_stats.df + 1",
                       [(term,) for term, _ in counts])
        db.execute("UPDATE lexical_stats SET n = n + 1, total = total + ? WHERE id = 1",
                   (len(words),))

    @staticmethod
    def _delete_chunks(db: Any, doc_id: str) -> None:
        """A document's chunks, their postings (cascading) and their share of the
        statistics."""
        db.execute("SELECT pg_advisory_xact_lock(?)", (WORDS_LOCK,))
        db.execute("UPDATE term_stats t SET df = t.df - g.n FROM (SELECT p.term, count(*) AS n "
                   "FROM postings p JOIN chunks c ON c.rowid = p.chunk_rowid "
                   "WHERE c.doc_id = ? GROUP BY p.term) g WHERE t.term = g.term", (doc_id,))
        db.execute("UPDATE lexical_stats s SET n = s.n - g.n, total = s.total - g.total FROM "
                   "(SELECT count(*) AS n, coalesce(sum(n_terms), 0) AS total FROM chunks "
                   "WHERE doc_id = ?) g WHERE s.id = 1", (doc_id,))
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))

    def count_words(self, version: str) -> None:
        """As the embedded catalog's, by one replica at a time: the others, waiting, then find
        the words counted and this version recorded."""
        with self.database.locked(COUNTING_LOCK):
            super().count_words(version)

    def lexical_mismatch(self) -> int:
        """Chunks with terms but no postings (postings without a chunk cannot exist)."""
        rows = self._query("SELECT COUNT(*) AS n FROM chunks c WHERE c.n_terms > 0 AND NOT "
                           "EXISTS (SELECT 1 FROM postings p WHERE p.chunk_rowid = c.rowid)")
        return int(rows[0]["n"])

    def rebuild_lexical(self) -> None:
        with self.transaction() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (WORDS_LOCK,))
            db.execute("DELETE FROM postings")
            db.execute("DELETE FROM term_stats")
            db.execute("UPDATE lexical_stats SET n = 0, total = 0 WHERE id = 1")
            rows = db.execute("SELECT rowid, text, context FROM chunks").fetchall()
            for row in rows:
                text = f"{row['context']}\n{row['text']}" if row["context"] else row["text"]
                self._index_terms(db, row["rowid"], index_terms(text))

    def lexical_parts(self) -> Sequence[tuple[Any, Any]]:
        """Ranges of document ids [low, high), one per core, each on its own connection
        (so its own server process). The postings' key runs term, document, chunk: a part
        reads its own stretch of each term's postings and no more. Any cut points give the
        same results, so they are read again only every PARTS_SECONDS."""
        now = time.monotonic()
        if now - self._parts_read_at > self.PARTS_SECONDS:
            rows = self._query("SELECT n FROM lexical_stats WHERE id = 1")
            chunks = int(rows[0]["n"]) if rows else 0
            count = fanout.part_count(chunks, minimum=self.split_min_chunks)
            documents = self.count() if count > 1 else 0
            cuts = [str(r["id"]) for i in range(1, count) for r in self._query(
                "SELECT id FROM documents ORDER BY id OFFSET ? LIMIT 1",
                (documents * i // count,))]
            bounds: list[str | None] = [None, *cuts, None]
            self._parts = list(itertools.pairwise(bounds))
            self._parts_read_at = now
        return self._parts

    def _lexical_part(self, query: LexicalQuery, filters: Filters, limit: int,
                      documents: tuple[Any, Any]) -> list[tuple[str, float]]:
        where, params = self._filter_sql(filters)
        sql, values = bm25.search_sql(query, where, params, limit, documents)
        return [(r["id"], float(r["score"])) for r in self._query(sql, values)]

    def terms_found(self, terms: Collection[str], filters: Filters) -> set[str]:
        """As the embedded catalog's: one probe of the postings' key per term."""
        where, params = self._filter_sql(filters)
        rows = self._query(
            "SELECT t.term AS term FROM unnest(?::text[]) AS t(term) WHERE EXISTS ("
            "SELECT 1 FROM postings p JOIN documents d ON d.id = p.doc_id "
            f"WHERE p.term = t.term AND {where})", [sorted(set(terms)), *params])
        return {str(r["term"]) for r in rows}

    def term_frequencies(self, terms: Collection[str]) -> tuple[int, dict[str, int]]:
        """As the embedded catalog's, from the statistics kept for BM25."""
        chunks = self._query("SELECT n FROM lexical_stats WHERE id = 1")
        rows = self._query("SELECT term, df FROM term_stats WHERE term = ANY(?) AND df > 0",
                           [sorted(set(terms))])
        return (int(chunks[0]["n"]) if chunks else 0,
                {str(r["term"]): int(r["df"]) for r in rows})

    def _migrate_principals(self) -> None:
        """Nothing to move: PostgreSQL stores began after the principals' change."""
