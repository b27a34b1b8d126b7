"""The runtime computes at most `search_threads` searches at once; the rest wait their turn."""

from __future__ import annotations

import asyncio
import threading
from functools import partial
from pathlib import Path

from service.runtime import open_runtime
from service.settings import Settings
from store.embedder import Embedder
from store.records import Filters


def test_searches_beyond_the_threads_wait_their_turn_in_order(
    tmp_path: Path, embedder: Embedder
) -> None:
    runtime = open_runtime(Settings(data_dir=tmp_path / "data", search_threads=1),
                           embedder=embedder)
    try:
        release = threading.Event()
        finished: list[int] = []

        def search(n: int) -> int:
            runtime.search("calm corner", Filters())
            finished.append(n)
            return n

        async def scenario() -> list[int]:
            blocker = asyncio.ensure_future(runtime.on_search_thread(lambda: release.wait(60)))
            waiting = [asyncio.ensure_future(runtime.on_search_thread(partial(search, n)))
                       for n in range(5)]
            await asyncio.sleep(1.0)
            assert finished == []  # the one search thread is taken
            release.set()
            await blocker
            return list(await asyncio.gather(*waiting))

        assert asyncio.run(scenario()) == list(range(5))
        assert finished == list(range(5))  # first come, first served
    finally:
        runtime.close()


def test_uploads_wait_for_company_only_while_searches_queue(
    tmp_path: Path, embedder: Embedder
) -> None:
    runtime = open_runtime(
        Settings(data_dir=tmp_path / "data", search_threads=2, write_group_ms=250),
        embedder=embedder,
    )
    try:
        assert runtime._write_linger() == 0.0  # idle: an upload is written at once
        runtime.searches = 3  # more searches than threads: some wait their turn
        assert runtime._write_linger() == 0.25
    finally:
        runtime.close()
