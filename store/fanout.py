"""One query's parts run side by side, on a pool of threads shared by every search.

A full-text query over a large index scores every chunk that holds a query term; split by
rowid ranges, its parts score on two cores at once (SQLite and psycopg let go of the GIL
while the database works) and their top lists merge into exactly the whole query's. A part
no pool thread has started yet runs on the caller's own thread instead, so a busy pool
never makes a search wait behind other searches.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

Part = TypeVar("Part")
Result = TypeVar("Result")

# Below this many chunks a query is quick enough whole: splitting it costs more than it saves.
MIN_SPLIT_CHUNKS = 20_000


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, cores() - 1),
                              thread_name_prefix="commons-query-part")


def part_count(span: int, parts: int | None = None, minimum: int = MIN_SPLIT_CHUNKS) -> int:
    """How many parts a query over `span` chunks runs in: `parts` (default: the cores), or
    one for a span below `minimum`."""
    count = cores() if parts is None else parts
    return 1 if count <= 1 or span < max(minimum, 1) else count


def ranges(low: int, high: int, parts: int | None = None,
           minimum: int = MIN_SPLIT_CHUNKS) -> list[tuple[int, int]]:
    """[low, high] cut into at most `part_count` inclusive ranges of near equal width."""
    span = high - low + 1
    count = part_count(span, parts, minimum)
    if count == 1:
        return [(low, high)]
    width = -(-span // count)
    return [(start, min(start + width - 1, high)) for start in range(low, high + 1, width)]


def run_parts(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """`work` on every part, the first on this thread and the rest on the pool; results in
    the parts' order."""
    if len(parts) <= 1:
        return [work(p) for p in parts]
    futures: list[Future[Result]] = [_pool().submit(work, p) for p in parts[1:]]
    results = [work(parts[0])]
    for part, future in zip(parts[1:], futures, strict=True):
        # not started yet: the pool is busy with other searches, so do it here
        results.append(work(part) if future.cancel() else future.result())
    return results
