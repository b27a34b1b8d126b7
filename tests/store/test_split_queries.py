"""A full-text query split into parts that run side by side ranks exactly as the whole query.

On a large index each part (a range of chunk rowids in SQLite, of document ids in
PostgreSQL) runs on its own connection and core (store.fanout); here the threshold is lowered
so the bundled documents split too, on both stores.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from ingest.files import discover
from ingest.pipeline import Pipeline
from search.lexical import every_word_expression, match_expression, phrase_expression
from store import fanout, fts5
from store.catalog import Catalog
from store.embedded import Store
from store.records import Filters, Kind, LexicalQuery, Viewer

BOTH_STORES = True
ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = {"de-escalation-with-teenagers.md", "engaging-hard-to-reach-parents.md",
             "emotionally-based-school-avoidance.md", "cop-measuring-impact.md",
             "siegel-1999-window-of-tolerance.md", "cop-running-a-meeting.md",
             "supporting-teenage-parents.md", "wenger-1998-communities-of-practice.md"}
QUERIES = ["teenager screaming and throwing things, how do I calm it down",
           "parents never turn up to meetings", "community of practice value stories",
           "window of tolerance hyperarousal", "school avoidance tummy aches on monday"]


def _queries() -> list[LexicalQuery]:
    found = [match_expression(q) for q in QUERIES]
    found += [every_word_expression("calm teenager"), phrase_expression('"window of tolerance"')]
    return [q for q in found if q is not None]


def test_split_queries_rank_as_the_whole_query(store: Store, pipeline: Pipeline) -> None:
    pipeline.ingest([f for f in discover([ROOT / "corpus"])
                     if f.source.rsplit("/", 1)[-1] in DOCUMENTS])
    catalog = store.index.catalog
    assert isinstance(catalog, Catalog)  # PgCatalog is one too
    catalog.PARTS_SECONDS = 0.0  # type: ignore[attr-defined]  # PostgreSQL: cut points anew
    filters = [Filters(), Filters(kind=Kind.PRACTICE),
               Filters(viewer=Viewer(user_id="reader"))]
    whole = {(i, j): catalog.lexical_search(q, f, 40)
             for i, q in enumerate(_queries()) for j, f in enumerate(filters)}
    catalog.split_min_chunks = 1
    parts = len(catalog.lexical_parts())
    assert 1 < parts <= fanout.cores() if fanout.cores() > 1 else parts == 1
    names = [*QUERIES, "every word", "phrase"]
    for (i, j), expected in whole.items():
        found = catalog.lexical_search(_queries()[i], filters[j], 40)
        assert [c for c, _ in found] == [c for c, _ in expected], names[i]
        assert [s for _, s in found] == pytest.approx([s for _, s in expected], rel=1e-9)
    assert all(whole[(i, 0)] for i in range(len(names)))  # every query finds something


def test_ranges_cover_the_span_once() -> None:
    assert fanout.ranges(1, 100_000, parts=2) == [(1, 50_000), (50_001, 100_000)]
    assert fanout.ranges(5, 15, parts=3, minimum=1) == [(5, 8), (9, 12), (13, 15)]
    assert fanout.ranges(1, 19_999, parts=4) == [(1, 19_999)]  # small: whole
    assert fanout.ranges(1, 100, parts=1, minimum=1) == [(1, 100)]


def test_parts_run_side_by_side_and_come_back_in_order() -> None:
    started = threading.Barrier(2, timeout=30)

    def work(part: int) -> int:
        if part < 2:
            started.wait()  # the first two meet: they run at the same time
        return part * 10

    assert fanout.run_parts(work, [0, 1]) == [0, 10]
    assert fanout.run_parts(work, []) == []
    assert fanout.run_parts(work, [7]) == [70]


def test_a_part_waiting_behind_a_busy_pool_runs_on_the_callers_thread() -> None:
    release = threading.Event()
    threads: list[str] = []
    blockers = [fanout._pool().submit(release.wait, 30) for _ in range(fanout.cores())]
    try:
        def work(part: int) -> int:
            threads.append(threading.current_thread().name)
            return part

        assert fanout.run_parts(work, [1, 2, 3]) == [1, 2, 3]
        assert threads == [threading.current_thread().name] * 3
    finally:
        release.set()
        for blocker in blockers:
            blocker.result()


def _parallel_in_fresh_process(before: str) -> str:
    code = f"{before}\nimport store.catalog\nfrom store import sqlite_threads\n" \
           "print(sqlite_threads.PARALLEL)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout.strip()


def test_sqlite_memory_statistics_go_off_only_before_any_connection() -> None:
    # This machine's Python links Debian's shared SQLite, so the statistics can be turned off.
    assert _parallel_in_fresh_process("") == "True"
    # With a connection already open, reconfiguring SQLite is unsafe: it is left as it was.
    held = "import sqlite3\nheld = sqlite3.connect(':memory:')\nheld.execute('select 1')"
    assert _parallel_in_fresh_process(held) == "False"


def test_fts5_varints_read_several_bytes() -> None:
    """FTS5's averages record holds the chunk count as a SQLite varint (3 bytes at 100,000)."""
    assert fts5.varints(bytes([0x86, 0x8D, 0x20, 0x82, 0x2C, 0x05])) == [100_000, 300, 5]
    assert fts5.varints(b"") == []
