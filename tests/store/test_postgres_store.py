"""The store on a real PostgreSQL server: the same answers as the embedded store.

Each test gets a fresh database on a throwaway cluster (harness/postgres_server.py); vectors
stay in a local Chroma folder, since the Chroma server suite is tests/search/test_chroma_server.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from ingest.backup import export_archive, import_archive
from ingest.files import discover
from ingest.models import Outcome
from ingest.pipeline import Item, Pipeline, Prepared
from search.lexical import every_word_expression, match_expression, phrase_expression
from search.models import Method
from search.retrieval import SearchOptions, search
from store.accounts import Role
from store.embedded import Store, open_store
from store.embedder import Embedder
from store.errors import AlreadyExistsError
from store.jobs import JobRecord, JobStatus
from store.postgres.catalog import PgCatalog
from store.postgres.database import Database, migrations
from store.records import Filters, Viewer

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SOURCES = [
    "practices/de-escalation-with-teenagers.md",
    "practices/engaging-hard-to-reach-parents.md",
    "practices/emotionally-based-school-avoidance.md",
    "practices/cop-online-and-hybrid.md",
    "readings/siegel-1999-window-of-tolerance.md",
]
QUERIES = [
    "teenager screaming and throwing things, how do I calm it down",
    "parents never turn up to meetings",
    "school avoidance tummy aches on monday",
    "window of tolerance hyperarousal",
    "hybrid meetings half online half in the room",
]


def _ingest(store: Store) -> None:
    files = [f for f in discover([CORPUS]) if any(f.source.endswith(s) for s in SOURCES)]
    assert len(files) == len(SOURCES)
    Pipeline(store.index, store.originals).ingest(files)


@pytest.fixture
def both(tmp_path: Path, embedder: Embedder, postgres_url: str) -> Iterator[tuple[Store, Store]]:
    """The same five corpus documents in an embedded store and in a PostgreSQL one."""
    embedded = open_store(tmp_path / "embedded", embedder)
    postgres = open_store(tmp_path / "postgres", embedder, database_url=postgres_url)
    try:
        _ingest(embedded)
        _ingest(postgres)
        yield embedded, postgres
    finally:
        embedded.index.close()
        postgres.index.close()


def test_bm25_in_postgres_ranks_and_scores_as_fts5(both: tuple[Store, Store]) -> None:
    embedded, postgres = both
    assert postgres.index.catalog.chunk_count() == embedded.index.catalog.chunk_count() > 5
    for text in QUERIES:
        query = match_expression(text)
        assert query is not None
        ours = postgres.index.catalog.lexical_search(query, Filters(), 20)
        theirs = embedded.index.catalog.lexical_search(query, Filters(), 20)
        assert [c for c, _ in ours] == [c for c, _ in theirs], text
        assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], rel=1e-6)
    every = every_word_expression("calm teenager")
    assert every is not None
    found = postgres.index.catalog.lexical_search(every, Filters(), 50)
    assert found and {c for c, _ in found} == {
        c for c, _ in embedded.index.catalog.lexical_search(every, Filters(), 50)}
    phrase = phrase_expression('"window of tolerance"')
    assert phrase is not None
    held = postgres.index.catalog.lexical_search(phrase, Filters(), 50)
    assert held and all(c.startswith(
        postgres.index.catalog.find_by_source(SOURCES[4]).id)  # type: ignore[union-attr]
        for c, _ in held)


def test_search_delete_and_restore_on_postgres(both: tuple[Store, Store]) -> None:
    _, postgres = both
    hits = search(postgres.index, QUERIES[1], options=SearchOptions(method=Method.HYBRID, k=3))
    assert hits[0].document.source == SOURCES[1]
    doc = hits[0].document
    postgres.index.catalog.trash_document(doc.id, "admin")
    postgres.index.vectors.delete_document(doc.id)
    gone = search(postgres.index, QUERIES[1], options=SearchOptions(method=Method.BM25, k=10))
    assert doc.id not in {h.document.id for h in gone}
    assert [t.document.id for t in postgres.index.catalog.trashed()] == [doc.id]
    # BM25's statistics follow the delete: the same as counting the postings again
    catalog = postgres.index.catalog
    assert isinstance(catalog, PgCatalog)
    [stats] = catalog.read("SELECT n, total FROM lexical_stats")
    assert (stats["n"], stats["total"]) == tuple(catalog.read(
        "SELECT count(*) AS n, sum(n_terms) AS total FROM chunks")[0].values())
    assert catalog.read("SELECT term, df FROM term_stats WHERE df > 0 ORDER BY term") == \
        catalog.read("SELECT term, count(*) AS df FROM postings GROUP BY term ORDER BY term")
    assert postgres.originals.exists(doc.content_hash)  # kept for a restore
    # a reader sees only what is public to them: the filters run inside PostgreSQL
    postgres.index.catalog.update_metadata(hits[1].document.id, visibility="private")
    seen = search(postgres.index, QUERIES[1], Filters(viewer=Viewer(user_id="someone")),
                  SearchOptions(method=Method.BM25, k=10))
    assert hits[1].document.id not in {h.document.id for h in seen}


def test_migrations_run_once_whoever_opens_first(postgres_url: str) -> None:
    applied: list[list[int]] = []
    barrier = threading.Barrier(3)

    def open_one() -> None:
        barrier.wait()
        database = Database(postgres_url, max_size=2)
        applied.append(database.migrate())
        database.close()

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert applied == [[], [], []]  # each opened after one of them migrated, then found none
    with psycopg.connect(postgres_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _ in migrations()]


def test_audit_is_append_only_in_the_database(tmp_path: Path, embedder: Embedder,
                                               postgres_url: str) -> None:
    store = open_store(tmp_path, embedder, database_url=postgres_url)
    try:
        store.audit.append("admin", "delete", "doc-1", "why")
        assert [e.action for e in store.audit.entries()] == ["delete"]
        for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit",
                          "TRUNCATE audit"):
            with psycopg.connect(postgres_url) as conn, pytest.raises(
                    psycopg.errors.RaiseException, match="append-only"):
                conn.execute(statement)
        assert [e.actor for e in store.audit.entries()] == ["admin"]
    finally:
        store.index.close()


def test_accounts_jobs_and_originals_on_postgres(tmp_path: Path, embedder: Embedder,
                                                 postgres_url: str) -> None:
    store = open_store(tmp_path, embedder, database_url=postgres_url)
    try:
        store.accounts.add_user("sam", Role.FACILITATOR, ["early-years"], "hash-1")
        with pytest.raises(AlreadyExistsError):
            store.accounts.add_user("sam", Role.READER, [], "hash-2")
        assert store.accounts.by_token_hash("hash-1").communities == ("early-years",)  # type: ignore[union-attr]
        for n in range(2):
            store.jobs.add(JobRecord(f"job-{n}", f"notes-{n}.md", JobStatus.QUEUED), b"bytes")
        # two replicas claiming at once take different jobs (FOR UPDATE SKIP LOCKED)
        claimed: list[str] = []
        barrier = threading.Barrier(2)

        def claim() -> None:
            barrier.wait()
            taken = store.jobs.claim()
            if taken is not None:
                claimed.append(taken[0].id)

        threads = [threading.Thread(target=claim) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(claimed) == ["job-0", "job-1"]
        assert store.jobs.claim() is None
        # pages recognised so far answer on every replica; a resumed job starts again at 0
        store.jobs.pages_read("job-0", 2, 5)
        job = store.jobs.get("job-0")
        assert job is not None and (job.pages_done, job.pages_total) == (2, 5)
        assert store.jobs.resume_interrupted(stale_seconds=0) == 2
        assert store.jobs.get("job-0").pages_done == 0  # type: ignore[union-attr]
        digest = store.originals.put(b"%PDF original bytes")
        assert store.originals.get(digest) == b"%PDF original bytes"
        assert store.originals.digests() == [digest]
        store.originals.remove(digest)
        assert not store.originals.exists(digest)
        assert not any(tmp_path.rglob("commons.db"))  # no state on the replica's disk
    finally:
        store.index.close()


@pytest.mark.parametrize("backend", ["embedded", "postgres"])
def test_the_same_file_sent_to_two_processes_at_once_makes_one_document(
        tmp_path: Path, embedder: Embedder, postgres_url: str, backend: str) -> None:
    url = postgres_url if backend == "postgres" else None
    first = open_store(tmp_path, embedder, database_url=url)
    second = open_store(tmp_path, embedder, database_url=url)  # another process, in effect
    note = b"# Family Support CoP\n\nThe money desk opens at the kitchen table on Fridays.\n"
    try:
        one, two = (Pipeline(s.index, s.originals) for s in (first, second))
        # both have checked for a twin (none yet) before either writes: the race
        a = one.prepare(Item("session-notes/a.md", lambda: note, filename="a.md"))
        b = two.prepare(Item("session-notes/b.md", lambda: note, filename="b.md"))
        assert isinstance(a, Prepared) and isinstance(b, Prepared)
        [written] = one.write([a])
        [refused] = two.write([b])
        assert written.outcome is Outcome.ADDED
        assert refused.outcome is Outcome.DUPLICATE
        assert refused.duplicate_of == "session-notes/a.md"
        assert first.index.catalog.count() == 1
        assert first.index.vectors.count() == first.index.catalog.chunk_count()
    finally:
        second.index.close()
        first.index.close()


def test_a_backup_of_a_postgresql_hub_restores_into_an_embedded_one(
        both: tuple[Store, Store], tmp_path: Path, embedder: Embedder) -> None:
    _, postgres = both
    archive = tmp_path / "hub.tar.gz"
    assert export_archive(Pipeline(postgres.index, postgres.originals), archive) == len(SOURCES)
    restored = open_store(tmp_path / "restored", embedder)
    try:
        results = import_archive(Pipeline(restored.index, restored.originals), archive)
        assert [r.outcome for r in results] == [Outcome.ADDED] * len(SOURCES)
        hits = search(restored.index, QUERIES[3], options=SearchOptions(k=1))
        assert hits[0].document.source == SOURCES[4]
    finally:
        restored.index.close()


def test_the_hubs_connections_give_bm25_room_and_skip_jit(postgres_url: str) -> None:
    """A BM25 query over 100,000 chunks spilled its hash table to disk at the default 4 MB."""
    database = Database(postgres_url)
    try:
        assert database.read("SHOW work_mem")[0]["work_mem"] == "64MB"
        assert database.read("SHOW jit")[0]["jit"] == "off"
    finally:
        database.close()
