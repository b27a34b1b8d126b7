"""The catalog: documents, their chunks and the lexical (FTS5/BM25) index in one SQLite file.

Chunks and their lexical entries are written in one transaction, so the lexical index can
never disagree with the catalog. A document is searchable only once its status is READY.
"""

from __future__ import annotations

import json
import queue
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from store import fanout, fts5, spelling_table, sqlite_threads
from store.analysis import index_terms
from store.errors import AlreadyExistsError, DocumentNotFoundError, DuplicateContentError
from store.records import (
    ChunkRecord,
    DocumentRecord,
    Filters,
    Kind,
    LexicalQuery,
    Status,
    TrashedDocument,
    Viewer,
    Visibility,
    now_iso,
)

# Before any connection opens: lets FTS5 queries on several connections use several cores.
sqlite_threads.disable_memory_statistics()

# A document's record: the columns of the documents table that the trash keeps too.
_RECORD = """\
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    community TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    authors TEXT NOT NULL DEFAULT '[]',
    date TEXT,
    content_hash TEXT NOT NULL,
    filename TEXT NOT NULL,
    media_type TEXT NOT NULL,
    n_pages INTEGER,
    warnings TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'public',
    owner TEXT,
"""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL UNIQUE,
{_RECORD}    n_chunks INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '',
    heading_path TEXT NOT NULL DEFAULT '[]',
    page_start INTEGER,
    page_end INTEGER
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(terms, tokenize='unicode61');
-- how many chunks hold each term (FTS5's own count, read for query feedback)
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_vocab USING fts5vocab(chunks_fts, row);
CREATE TABLE IF NOT EXISTS users (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    communities TEXT NOT NULL DEFAULT '[]',
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    doc_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS sessions (
    id_hash TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    principal TEXT NOT NULL DEFAULT '',
    credential_hash TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS trash (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
{_RECORD}    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    trashed_at TEXT NOT NULL,
    trashed_by TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS trash_hash ON trash(content_hash);
CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    owner TEXT,
    request TEXT NOT NULL DEFAULT '{{}}',
    status TEXT NOT NULL,
    reason TEXT,
    doc_id TEXT,
    payload BLOB,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    pages_done INTEGER NOT NULL DEFAULT 0,
    pages_total INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_status ON jobs(status, created_at);
CREATE TABLE IF NOT EXISTS spelling (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    word TEXT NOT NULL,
    n INTEGER NOT NULL,
    guarded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS spelling_doc ON spelling(doc_id);
CREATE INDEX IF NOT EXISTS spelling_word ON spelling(word);
-- the search record of the facilitators' view (store.insights): texts redacted, no identity
CREATE TABLE IF NOT EXISTS search_texts (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    embedding BLOB
);
CREATE TABLE IF NOT EXISTS searches (
    id TEXT PRIMARY KEY,
    at TEXT NOT NULL,
    role TEXT NOT NULL,
    text_id TEXT NOT NULL,
    confidence TEXT NOT NULL,
    weak INTEGER NOT NULL DEFAULT 0,
    unmet INTEGER NOT NULL DEFAULT 0,
    answered INTEGER,
    helpful INTEGER NOT NULL DEFAULT 0,
    not_helpful INTEGER NOT NULL DEFAULT 0,
    searcher TEXT
);
CREATE INDEX IF NOT EXISTS searches_at ON searches(at);
CREATE INDEX IF NOT EXISTS searches_text ON searches(text_id);
CREATE TABLE IF NOT EXISTS search_communities (
    search_id TEXT NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    community TEXT NOT NULL,
    PRIMARY KEY (search_id, community)
);
CREATE INDEX IF NOT EXISTS search_communities_community ON search_communities(community);
CREATE TABLE IF NOT EXISTS search_results (
    search_id TEXT NOT NULL REFERENCES searches(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    rank INTEGER NOT NULL,
    opened INTEGER NOT NULL DEFAULT 0,
    helpful INTEGER,
    story TEXT,
    story_at TEXT,
    PRIMARY KEY (search_id, doc_id)
);
CREATE INDEX IF NOT EXISTS search_results_doc ON search_results(doc_id);
"""

# Columns added after the first release, by table, with their definitions, for older data
# folders.
MIGRATIONS = {
    ("documents", "visibility"):
        "ALTER TABLE documents ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public'",
    ("documents", "owner"): "ALTER TABLE documents ADD COLUMN owner TEXT",
    ("jobs", "pages_done"): "ALTER TABLE jobs ADD COLUMN pages_done INTEGER NOT NULL DEFAULT 0",
    ("jobs", "pages_total"):
        "ALTER TABLE jobs ADD COLUMN pages_total INTEGER NOT NULL DEFAULT 0",
}
# Sessions are bound to the credential that opened them; older rows (bound to nothing) go.
SESSION_MIGRATIONS = {
    "principal": "ALTER TABLE sessions ADD COLUMN principal TEXT NOT NULL DEFAULT ''",
    "credential_hash": "ALTER TABLE sessions ADD COLUMN credential_hash TEXT NOT NULL DEFAULT ''",
}
# Owners that are not users have a ':' in their id, which user ids cannot contain. Before,
# admin tokens were "admin-token" and the open hub "local": valid user ids.
ADMIN_TOKENS_OWNER = "token:admin"
OPEN_HUB_OWNER = "hub:local"
PRINCIPALS_VERSION = "2"

_DOC_COLUMNS = (
    "id, source, title, kind, community, tags, authors, date, content_hash, filename, "
    "media_type, n_pages, warnings, status, visibility, owner, added_at, updated_at"
)


BUSY_SECONDS = 30.0


@lru_cache(maxsize=20_000)
def _doc_from_row(row: sqlite3.Row) -> DocumentRecord:
    """The record of a row, decoded once per distinct row.

    A search decodes the same few dozen rows again and again (facets read 50 documents).
    SQLite rows hash and compare by their column names and values, so a cached record can
    never be stale.
    """
    return DocumentRecord(
        id=row["id"],
        source=row["source"],
        title=row["title"],
        kind=Kind(row["kind"]),
        community=row["community"],
        tags=tuple(json.loads(row["tags"])),
        authors=tuple(json.loads(row["authors"])),
        date=row["date"],
        content_hash=row["content_hash"],
        filename=row["filename"],
        media_type=row["media_type"],
        n_pages=row["n_pages"],
        warnings=tuple(json.loads(row["warnings"])),
        status=Status(row["status"]),
        visibility=Visibility(row["visibility"]),
        owner=row["owner"],
        added_at=row["added_at"],
        updated_at=row["updated_at"],
    )


def _chunk_from_row(row: sqlite3.Row) -> ChunkRecord:
    return ChunkRecord(
        doc_id=row["doc_id"],
        ordinal=row["ordinal"],
        text=row["text"],
        context=row["context"],
        heading_path=tuple(json.loads(row["heading_path"])),
        page_start=row["page_start"],
        page_end=row["page_end"],
    )


# A document's tags (a JSON list) hold the parameter, in SQLite's SQL.
HAS_TAG = "EXISTS (SELECT 1 FROM json_each({alias}.tags) WHERE value = ?)"


def filter_sql(filters: Filters, alias: str = "d",
               has_tag: str = HAS_TAG) -> tuple[str, list[Any]]:
    """SQL conditions (joined with AND) and parameters for filters on the documents table."""
    clauses = [f"{alias}.status = ?"]
    params: list[Any] = [Status.READY.value]
    if filters.kind:
        clauses.append(f"{alias}.kind = ?")
        params.append(filters.kind.value)
    if filters.community:
        clauses.append(f"{alias}.community = ?")
        params.append(filters.community)
    for tag in filters.tags:
        clauses.append(has_tag.format(alias=alias))
        params.append(tag)
    if filters.date_from:
        clauses.append(f"{alias}.date >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        clauses.append(f"{alias}.date <= ?")
        params.append(filters.date_to)
    if filters.doc_ids is not None:
        marks = ",".join("?" * len(filters.doc_ids)) or "NULL"
        clauses.append(f"{alias}.id IN ({marks})")
        params.extend(filters.doc_ids)
    if filters.exclude_doc_ids:
        marks = ",".join("?" * len(filters.exclude_doc_ids))
        clauses.append(f"{alias}.id NOT IN ({marks})")
        params.extend(filters.exclude_doc_ids)
    viewer = filters.viewer
    if viewer is not None and not viewer.admin:
        visible = [f"{alias}.visibility = 'public'"]
        if viewer.communities:
            marks = ",".join("?" * len(viewer.communities))
            visible.append(f"({alias}.visibility = 'community' AND {alias}.community IN ({marks}))")
            params.extend(viewer.communities)
        if viewer.user_id:
            visible.append(f"{alias}.owner = ?")
            params.append(viewer.user_id)
        clauses.append("(" + " OR ".join(visible) + ")")
    return " AND ".join(clauses), params


class Catalog:
    """Documents, chunks and the lexical index, persistent in `commons.db`.

    Its SQL is the part SQLite and PostgreSQL share ('?' parameters); store.postgres.catalog
    answers the same interface on PostgreSQL, overriding the connection and the full-text
    index (FTS5 here, BM25 over a postings table there).
    """

    HAS_TAG = HAS_TAG
    JOBS_ORDER = "created_at, rowid"  # the jobs table in the order jobs came
    LOCK_ONE = ""  # a claimed row needs no lock: a transaction here locks the whole file
    # an index of fewer chunks answers a full-text query whole, not in parts side by side
    split_min_chunks = fanout.MIN_SPLIT_CHUNKS
    # each chunk's analysed terms, as the full-text index holds them
    INDEXED_TERMS = ("SELECT c.id AS id, f.terms AS terms FROM chunks c "
                     "JOIN chunks_fts f ON f.rowid = c.rowid WHERE c.id IN ({marks})")

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        # a write waits up to BUSY_SECONDS for another process's (`serve --workers`)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                   timeout=BUSY_SECONDS)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        self._db.execute("PRAGMA secure_delete=ON")  # deleted uploads are overwritten
        self._db.executescript(SCHEMA)
        for (table, column), statement in MIGRATIONS.items():
            columns = {r["name"] for r in self._db.execute(f"PRAGMA table_info({table})")}
            if column not in columns:
                self._db.execute(statement)
        # Reads run on a pool of read-only connections, so searches neither wait for each
        # other nor for a write (WAL: readers see the last commit); writes keep one connection.
        self._idle_readers: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()  # not the write lock: a reader never waits for it
        self._local = threading.local()
        self._migrate_principals()

    def close(self) -> None:
        with self._lock, self._readers_lock:
            for reader in self._readers:
                reader.close()
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            self._local.writing = True
            try:
                yield self._db
            except sqlite3.IntegrityError as exc:
                self._db.execute("ROLLBACK")
                if "UNIQUE constraint failed" in str(exc):  # a taken key, not a trigger's refusal
                    raise AlreadyExistsError(str(exc)) from exc
                raise
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            finally:
                self._local.writing = False
            self._db.execute("COMMIT")

    def reader(self) -> sqlite3.Connection:
        """A read-only connection of its own (to stream a large table); the caller closes it."""
        return self._new_reader()

    def _new_reader(self) -> sqlite3.Connection:
        reader = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        reader.row_factory = sqlite3.Row
        reader.execute("PRAGMA query_only=ON")
        with self._readers_lock:
            self._readers.append(reader)
        return reader

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        if getattr(self._local, "writing", False):  # inside a transaction: see its own writes
            return list(self._db.execute(sql, params))
        try:
            reader = self._idle_readers.get_nowait()
        except queue.Empty:
            reader = self._new_reader()
        try:
            return list(reader.execute(sql, params))
        finally:
            self._idle_readers.put(reader)

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a read-only query, for the tables kept beside the catalog (jobs)."""
        return self._query(sql, params)

    # --- meta -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0]["value"]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO meta(key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    # --- documents --------------------------------------------------------------------
    def begin_document(self, doc: DocumentRecord,
                       twin_of: Callable[[DocumentRecord], bool] | None = None,
                       ) -> DocumentRecord | None:
        """Record a document as PENDING (not searchable) before its indexes are written.

        Returns the record it replaces, or None for a new document. With `twin_of`, a
        document of another source with the same content for which `twin_of` holds is
        looked for in the same transaction, under a lock on the content: if there is one,
        DuplicateContentError, and nothing is written. So the same file sent to two processes
        at once makes one document.
        """
        now = now_iso()
        existing = self.find_by_id(doc.id)
        added = existing.added_at if existing else now
        columns = [c.strip() for c in _DOC_COLUMNS.split(",")]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in {"id", "added_at"})
        with self.transaction() as db:
            if twin_of is not None:
                self._lock_content(db, doc.content_hash)
                rows = db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = ? "
                                  "AND source <> ?", (doc.content_hash, doc.source)).fetchall()
                twin = next((d for d in map(_doc_from_row, rows) if twin_of(d)), None)
                if twin is not None:
                    raise DuplicateContentError(twin)
            db.execute(
                f"INSERT INTO documents({_DOC_COLUMNS}) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                (
                    doc.id,
                    doc.source,
                    doc.title,
                    doc.kind.value,
                    doc.community,
                    json.dumps(list(doc.tags)),
                    json.dumps(list(doc.authors)),
                    doc.date,
                    doc.content_hash,
                    doc.filename,
                    doc.media_type,
                    doc.n_pages,
                    json.dumps(list(doc.warnings)),
                    Status.PENDING.value,
                    doc.visibility.value,
                    doc.owner,
                    added,
                    now,
                ),
            )
        return existing

    def commit_document(self, doc_id: str, chunks: Sequence[ChunkRecord]) -> DocumentRecord:
        """Write chunks and their lexical entries and mark the document READY, atomically."""
        with self.transaction() as db:
            self._delete_chunks(db, doc_id)
            for chunk in chunks:
                rowid = db.execute(
                    "INSERT INTO chunks(id, doc_id, ordinal, text, context, heading_path, "
                    "page_start, page_end) VALUES (?,?,?,?,?,?,?,?) RETURNING rowid",
                    (
                        chunk.id,
                        doc_id,
                        chunk.ordinal,
                        chunk.text,
                        chunk.context,
                        json.dumps(list(chunk.heading_path)),
                        chunk.page_start,
                        chunk.page_end,
                    ),
                ).fetchone()["rowid"]
                self._index_terms(db, rowid, index_terms(chunk.indexed_text))
            db.execute(
                "UPDATE documents SET status = ?, n_chunks = ?, updated_at = ? WHERE id = ?",
                (Status.READY.value, len(chunks), now_iso(), doc_id),
            )
            spelling_table.record(db, doc_id, chunks)  # did-you-mean knows the words at once
        return self.get(doc_id)

    @staticmethod
    def _lock_content(db: Any, content_hash: str) -> None:
        """Hold off other writers of this content until the transaction ends (a transaction
        here already holds the whole file)."""

    @staticmethod
    def _index_terms(db: Any, rowid: int, terms: str) -> None:
        """Write one chunk's full-text entry (its analysed terms, space-joined)."""
        db.execute("INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)", (rowid, terms))

    @staticmethod
    def _delete_chunks(db: Any, doc_id: str) -> None:
        db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE doc_id = ?)",
            (doc_id,),
        )
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))

    def delete_document(self, doc_id: str) -> None:
        with self.transaction() as db:
            self._delete_chunks(db, doc_id)
            spelling_table.forget(db, doc_id)
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    # --- the trash: deleted documents kept (record and original) until restored or purged
    def trash_document(self, doc_id: str, by: str) -> DocumentRecord:
        """Move a document's record to the trash and out of every catalog index, atomically."""
        doc = self.get(doc_id)
        with self.transaction() as db:
            db.execute("DELETE FROM trash WHERE id = ?", (doc_id,))
            db.execute(
                f"INSERT INTO trash({_DOC_COLUMNS}, trashed_at, trashed_by) "
                f"SELECT {_DOC_COLUMNS}, ?, ? FROM documents WHERE id = ?", (now_iso(), by, doc_id))
            self._delete_chunks(db, doc_id)
            spelling_table.forget(db, doc_id)
            db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        return doc

    def trashed(self, doc_id: str | None = None) -> list[TrashedDocument]:
        """Documents in the trash (or the one with this id), most recently deleted first."""
        where, params = ("WHERE id = ?", [doc_id]) if doc_id is not None else ("", [])
        rows = self._query(f"SELECT {_DOC_COLUMNS}, trashed_at, trashed_by FROM trash {where} "
                           "ORDER BY trashed_at DESC, id", params)
        return [TrashedDocument(_doc_from_row(r), r["trashed_at"], r["trashed_by"])
                for r in rows]

    def forget_trashed(self, doc_id: str) -> None:
        """Drop a document from the trash (restored, or purged for good)."""
        with self.transaction() as db:
            db.execute("DELETE FROM trash WHERE id = ?", (doc_id,))

    def trash_holds(self, content_hash: str) -> bool:
        """Whether a document in the trash still needs this original."""
        return bool(self._query("SELECT 1 FROM trash WHERE content_hash = ? LIMIT 1",
                                (content_hash,)))

    def update_metadata(self, doc_id: str, **fields: Any) -> DocumentRecord:
        """Change title, kind, community, tags, authors or date of a document."""
        allowed = {"title", "kind", "community", "tags", "authors", "date", "visibility"}
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"cannot update {sorted(unknown)}")
        self.get(doc_id)
        sets, params = [], []
        for key, value in fields.items():
            if key in {"tags", "authors"}:
                value = json.dumps(list(value))
            elif key == "kind":
                value = Kind(value).value
            elif key == "visibility":
                value = Visibility(value).value
            sets.append(f"{key} = ?")
            params.append(value)
        if sets:
            with self.transaction() as db:
                db.execute(
                    f"UPDATE documents SET {', '.join(sets)}, updated_at = ? WHERE id = ?",
                    (*params, now_iso(), doc_id),
                )
        return self.get(doc_id)

    def find_by_id(self, doc_id: str) -> DocumentRecord | None:
        rows = self._query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", (doc_id,))
        return _doc_from_row(rows[0]) if rows else None

    def get(self, doc_id: str) -> DocumentRecord:
        doc = self.find_by_id(doc_id)
        if doc is None:
            raise DocumentNotFoundError(doc_id)
        return doc

    def find_by_source(self, source: str) -> DocumentRecord | None:
        rows = self._query(f"SELECT {_DOC_COLUMNS} FROM documents WHERE source = ?", (source,))
        return _doc_from_row(rows[0]) if rows else None

    def find_by_hash(self, content_hash: str) -> list[DocumentRecord]:
        rows = self._query(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = ?", (content_hash,)
        )
        return [_doc_from_row(r) for r in rows]

    def documents(
        self,
        filters: Filters = Filters(),
        sort: str = "title",
        limit: int | None = None,
        offset: int = 0,
    ) -> list[DocumentRecord]:
        """Searchable documents matching the filters, sorted by title, -date, date, added."""
        order = {
            "title": "lower(d.title) ASC",
            "date": "d.date ASC",
            "-date": "d.date DESC",
            "added": "d.added_at DESC",
        }.get(sort)
        if order is None:
            raise ValueError("sort must be one of title, date, -date, added")
        where, params = self._filter_sql(filters)
        sql = f"SELECT {_DOC_COLUMNS} FROM documents d WHERE {where} ORDER BY {order}, d.id"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params += [limit, offset]
        return [_doc_from_row(r) for r in self._query(sql, params)]

    def _filter_sql(self, filters: Filters, alias: str = "d") -> tuple[str, list[Any]]:
        return filter_sql(filters, alias, self.HAS_TAG)

    def count(self, filters: Filters = Filters()) -> int:
        where, params = self._filter_sql(filters)
        sql = f"SELECT COUNT(*) AS n FROM documents d WHERE {where}"
        return int(self._query(sql, params)[0]["n"])

    def pending(self) -> list[DocumentRecord]:
        rows = self._query(
            f"SELECT {_DOC_COLUMNS} FROM documents WHERE status = ?", (Status.PENDING.value,)
        )
        return [_doc_from_row(r) for r in rows]

    def all_documents(self) -> list[DocumentRecord]:
        return [_doc_from_row(r) for r in self._query(f"SELECT {_DOC_COLUMNS} FROM documents")]

    # --- chunks -----------------------------------------------------------------------
    def chunks_of(self, doc_id: str) -> list[ChunkRecord]:
        rows = self._query("SELECT * FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,))
        return [_chunk_from_row(r) for r in rows]

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        found: dict[str, ChunkRecord] = {}
        ids = list(chunk_ids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for row in self._query(f"SELECT * FROM chunks WHERE id IN ({marks})", part):
                found[row["id"]] = _chunk_from_row(row)
        return found

    def indexed_terms(self, chunk_ids: Sequence[str]) -> dict[str, list[str]]:
        """The analysed terms the full-text index holds for each chunk (for query feedback)."""
        found: dict[str, list[str]] = {}
        ids = list(chunk_ids)
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            for row in self._query(self.INDEXED_TERMS.format(marks=marks), part):
                found[row["id"]] = str(row["terms"]).split()
        return found

    def chunk_count(self) -> int:
        return int(self._query("SELECT COUNT(*) AS n FROM chunks")[0]["n"])

    def chunk_ids(self) -> set[str]:
        return {r["id"] for r in self._query("SELECT id FROM chunks")}

    def lexical_mismatch(self) -> int:
        """FTS rows without a chunk plus chunks without an FTS row."""
        orphans = self._query(
            "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT rowid FROM chunks)"
        )[0][0]
        missing = self._query(
            "SELECT COUNT(*) FROM chunks WHERE rowid NOT IN (SELECT rowid FROM chunks_fts)"
        )[0][0]
        return int(orphans) + int(missing)

    def rebuild_lexical(self) -> None:
        """Recompute every lexical entry from the chunks, in one transaction."""
        with self.transaction() as db:
            db.execute("DELETE FROM chunks_fts")
            rows = list(db.execute("SELECT rowid, text, context FROM chunks"))
            for row in rows:
                text = f"{row['context']}\n{row['text']}" if row["context"] else row["text"]
                db.execute("INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)",
                           (row["rowid"], index_terms(text)))

    # --- lexical retrieval --------------------------------------------------------------
    def lexical_search(
        self, query: LexicalQuery, filters: Filters, limit: int
    ) -> list[tuple[str, float]]:
        """Chunks matching a full-text query, best BM25 first, filters applied inside.

        On a large index the query runs in rowid ranges side by side (store.fanout), and
        their top lists merge into the whole query's: FTS5 scores each chunk alike whichever
        range it is asked for.
        """
        parts = self.lexical_parts()
        found = fanout.run_parts(lambda part: self._lexical_part(query, filters, limit, part),
                                 parts)
        if len(found) <= 1:
            return found[0] if found else []
        return sorted((row for rows in found for row in rows), key=lambda r: -r[1])[:limit]

    def lexical_parts(self) -> Sequence[tuple[Any, Any]]:
        """Ranges of chunk rowids, one per core where SQLite lets threads run at once."""
        bounds = self._query("SELECT min(rowid) AS low, max(rowid) AS high FROM chunks")[0]
        if bounds["low"] is None:
            return []
        return fanout.ranges(int(bounds["low"]), int(bounds["high"]),
                             None if sqlite_threads.PARALLEL else 1, self.split_min_chunks)

    def _lexical_part(self, query: LexicalQuery, filters: Filters, limit: int,
                      rowids: tuple[Any, Any]) -> list[tuple[str, float]]:
        """The best `limit` matches among chunks of rowid within `rowids` (inclusive).

        Without filters, FTS5 ranks on its own (fast path); the caller drops chunks of
        documents that are not READY. With filters, the documents table is joined in.
        """
        match = fts5.match(query)
        if filters.is_empty():
            sql = (
                "SELECT c.id AS id, f.score AS score FROM ("
                "SELECT rowid, rank AS score FROM chunks_fts WHERE chunks_fts MATCH ? "
                "AND rowid BETWEEN ? AND ? ORDER BY rank LIMIT ?) f "
                "JOIN chunks c ON c.rowid = f.rowid ORDER BY f.score"
            )
            rows = self._query(sql, [match, *rowids, limit])
        else:
            where, params = self._filter_sql(filters)
            sql = (
                "SELECT c.id AS id, bm25(chunks_fts) AS score FROM chunks_fts "
                "JOIN chunks c ON c.rowid = chunks_fts.rowid "
                "JOIN documents d ON d.id = c.doc_id "
                f"WHERE chunks_fts MATCH ? AND chunks_fts.rowid BETWEEN ? AND ? AND {where} "
                "ORDER BY score LIMIT ?"
            )
            rows = self._query(sql, [match, *rowids, *params, limit])
        # FTS5's bm25() is negative, lower is better: flip it so higher is better.
        return [(r["id"], -float(r["score"])) for r in rows]

    def term_frequencies(self, terms: Collection[str]) -> tuple[int, dict[str, int]]:
        """The number of chunks indexed, and how many hold each of the terms (absent: 0).

        The chunks are counted from FTS5's averages record, which FTS5 keeps as it writes
        (a COUNT(*) of 100,000 chunks took a millisecond or more, twice a search).
        """
        rows = self._query("SELECT block FROM chunks_fts_data WHERE id = 1")
        chunks = fts5.varints(bytes(rows[0]["block"]))[0] if rows and rows[0]["block"] else 0
        found: dict[str, int] = {}
        for term in set(terms):
            rows = self._query("SELECT doc FROM chunks_vocab WHERE term = ?", (term,))
            if rows:
                found[term] = int(rows[0]["doc"])
        return chunks, found

    def terms_found(self, terms: Collection[str], filters: Filters) -> set[str]:
        """Those of the analysed terms some chunk of a document under `filters` holds.

        One probe per term that stops at the first such chunk: nothing is scored or sorted.
        """
        where, params = self._filter_sql(filters)
        sql = ("SELECT 1 FROM chunks_fts f JOIN chunks c ON c.rowid = f.rowid "
               f"JOIN documents d ON d.id = c.doc_id WHERE chunks_fts MATCH ? AND {where} "
               "LIMIT 1")
        return {t for t in set(terms)
                if self._query(sql, [fts5.match(LexicalQuery((t,))), *params])}

    # --- the hub's words, for spelling suggestions (store.spelling_table) ---------------
    def count_words(self, version: str) -> None:
        """Count every document's words again unless the table holds this version's counts."""
        if self.get_meta("spelling") == version:
            return
        with self.transaction() as db:
            db.execute("DELETE FROM spelling")
        for doc in self.all_documents():
            chunks = self.chunks_of(doc.id)
            with self.transaction() as db:
                spelling_table.record(db, doc.id, chunks)
        self.set_meta("spelling", version)

    def words_since(self, seq: int) -> list[tuple[int, str, int]]:
        """(seq, word, count) rows written after `seq`, in order."""
        rows = self._query("SELECT seq, word, n FROM spelling WHERE seq > ? ORDER BY seq",
                           (seq,))
        return [(int(r["seq"]), str(r["word"]), int(r["n"])) for r in rows]

    def visible_words(self, words: Collection[str], viewer: Viewer | None,
                      unguarded: bool = False) -> set[str]:
        """Those of the words found in a READY document the viewer may see (with `unguarded`,
        only in documents whose uploader kept no personal data)."""
        if not words:
            return set()
        where, params = self._filter_sql(Filters(viewer=viewer))
        marks = ",".join("?" * len(words))
        guard = " AND s.guarded = 0" if unguarded else ""
        rows = self._query(
            f"SELECT DISTINCT s.word AS word FROM spelling s JOIN documents d "
            f"ON d.id = s.doc_id WHERE s.word IN ({marks}){guard} AND {where}",
            [*words, *params],
        )
        return {str(r["word"]) for r in rows}

    # --- secrets kept with the data ---------------------------------------------------
    def shared_secret(self, name: str, new: str) -> str:
        """A secret kept in the data folder: `new` if none was kept yet, else the kept one, so
        every process on this folder uses the same."""
        key = f"secret:{name}"
        with self.transaction() as db:
            db.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                       (key, new))
            return str(db.execute("SELECT value FROM meta WHERE key = ?",
                                  (key,)).fetchone()["value"])

    def _migrate_principals(self) -> None:
        """Once per data folder: sessions not bound to a credential are dropped (people sign
        in again), and documents owned by the old "admin-token" and "local" ids move to ids
        no user can take (the vectors' copy of the owner is refreshed on the next open)."""
        if self.get_meta("principals") == PRINCIPALS_VERSION:
            return
        with self.transaction() as db:
            columns = {r["name"] for r in db.execute("PRAGMA table_info(sessions)")}
            if not set(SESSION_MIGRATIONS) <= columns:
                db.execute("DELETE FROM sessions")
                for column, statement in SESSION_MIGRATIONS.items():
                    if column not in columns:
                        db.execute(statement)
            moved = db.execute("UPDATE documents SET owner = ? WHERE owner = 'admin-token'",
                               (ADMIN_TOKENS_OWNER,)).rowcount
            if not list(db.execute("SELECT 1 FROM users WHERE id = 'local'")):
                moved += db.execute("UPDATE documents SET owner = ? WHERE owner = 'local'",
                                    (OPEN_HUB_OWNER,)).rowcount
            if moved:
                db.execute("DELETE FROM meta WHERE key = 'vector_metadata'")
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('principals', ?)",
                       (PRINCIPALS_VERSION,))
