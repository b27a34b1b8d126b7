"""The catalog under concurrency: reads see the last commit and never wait for a write."""

from __future__ import annotations

import threading
from pathlib import Path

from store.catalog import Catalog


def test_reads_do_not_wait_for_a_write_in_progress(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "commons.db")
    inside: list[str | None] = []
    entered, release = threading.Event(), threading.Event()

    def writer() -> None:
        with catalog.transaction() as db:
            db.execute("INSERT INTO meta(key, value) VALUES ('marker', 'written')")
            inside.append(catalog.get_meta("marker"))  # a transaction sees its own writes
            entered.set()
            release.wait(30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert entered.wait(30)
        # Another thread reads the last commit at once instead of queueing behind the write.
        assert catalog.get_meta("marker") is None
        assert not release.is_set()
    finally:
        release.set()
        thread.join()
    assert inside == ["written"]
    assert catalog.get_meta("marker") == "written"
    catalog.close()
