"""The runtime computes at most `search_threads` searches at once; the rest wait their turn."""

from __future__ import annotations

import threading
from pathlib import Path

from search.embedder import Embedder
from search.models import Filters
from service.runtime import open_runtime
from service.settings import Settings


def test_searches_beyond_the_slots_wait_their_turn(tmp_path: Path, embedder: Embedder) -> None:
    runtime = open_runtime(Settings(data_dir=tmp_path / "data", search_threads=1),
                           embedder=embedder)
    try:
        finished = threading.Event()

        def search() -> None:
            runtime.search("calm corner", Filters())
            finished.set()

        with runtime.search_slots:  # the one slot is taken
            waiting = threading.Thread(target=search)
            waiting.start()
            assert not finished.wait(1.0)
        assert finished.wait(60)  # the slot freed: the search ran
        waiting.join()
    finally:
        runtime.close()
