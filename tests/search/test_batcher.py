"""Concurrent searches share model calls and vector queries; each caller gets its own answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import numpy as np
import pytest

from ingest.pipeline import Item, Pipeline
from search.batcher import MicroBatcher
from search.dense import retriever_for
from store.embedder import Embedder, Vectors
from store.index import Index
from store.records import Filters, Kind, Viewer


def test_concurrent_callers_get_their_own_results(embedder: Embedder) -> None:
    calls: list[int] = []

    def encode(texts: list[str]) -> list[Vectors]:
        calls.append(len(texts))
        return list(embedder.encode(texts))

    batcher: MicroBatcher[str, Vectors] = MicroBatcher(encode)
    queries = [f"question number {i} about school refusal" for i in range(40)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        vectors = list(pool.map(batcher, queries))
    expected = embedder.encode(queries)
    assert all(np.dot(v, e) > 0.999 for v, e in zip(vectors, expected, strict=True))
    assert sum(calls) == 40 and len(calls) < 40  # some queries were encoded together
    batcher.close()


def test_an_error_of_the_call_reaches_every_caller() -> None:
    def broken(texts: list[str]) -> list[int]:
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        MicroBatcher(broken)("anything")


def test_an_error_for_one_request_reaches_only_its_caller() -> None:
    release = threading.Event()

    def process(numbers: list[int]) -> list[int | BaseException]:
        release.wait(10)
        return [ValueError(f"{n} is odd") if n % 2 else n * 10 for n in numbers]

    batcher: MicroBatcher[int, int] = MicroBatcher(process)
    futures = [batcher.submit(n) for n in range(4)]
    release.set()
    assert futures[0].result(10) == 0 and futures[2].result(10) == 20
    with pytest.raises(ValueError, match="3 is odd"):
        futures[3].result(10)
    batcher.close()


def test_close_answers_what_is_queued_then_stops() -> None:
    release = threading.Event()

    def slow(numbers: list[int]) -> list[int]:
        release.wait(10)
        return numbers

    batcher: MicroBatcher[int, int] = MicroBatcher(slow)
    futures = [batcher.submit(n) for n in range(5)]
    closing = threading.Thread(target=batcher.close)
    closing.start()
    release.set()
    closing.join(10)
    assert not closing.is_alive()
    assert [f.result(0) for f in futures] == list(range(5))


class CountingEmbedder(Embedder):
    """The real model; counts the queries it is asked to encode."""

    encoded: int = 0

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        self.encoded += len(texts)
        return super().encode_queries(texts)


def test_repeated_queries_are_not_encoded_again(embedder: Embedder) -> None:
    counting = CountingEmbedder(embedder.path)
    first = counting.query_vectors(["kinship carers", "school refusal", "kinship carers"])
    again = counting.encode_query("school refusal")
    assert counting.encoded == 2
    assert np.array_equal(first[0], first[2]) and np.array_equal(first[1], again)


def _notes(pipeline: Pipeline) -> None:
    notes = {
        "practices/calm.md": "# Calm corner\n\nA quiet corner with cushions helps a child "
                             "who shuts down after conflict at home.\n",
        "practices/school.md": "# Graded return\n\nA graded return plan for school refusal "
                               "starts with short visits.\n",
        "readings/cop.md": "# Communities of practice\n\nPractitioners learn together by "
                           "sharing stories of what works.\n",
    }
    for source, text in notes.items():
        pipeline.ingest([Item(source=source, read=partial(str.encode, text))])


def test_batched_dense_search_equals_searching_one_at_a_time(
    index: Index, pipeline: Pipeline
) -> None:
    _notes(pipeline)
    requests = [
        (query, filters, limit)
        for query in ("child shuts down", "school refusal plan", "learning together")
        for filters in (Filters(), Filters(kind=Kind.PRACTICE), Filters(viewer=Viewer()))
        for limit in (1, 5)
    ]
    futures = [retriever_for(index).submit(*request) for request in requests]
    for (query, filters, limit), future in zip(requests, futures, strict=True):
        alone = index.vectors.query(index.embedder.encode_query(query), filters, limit)
        batched = future.result(60).ranking
        assert [cid for cid, _ in batched] == [cid for cid, _ in alone]
        assert np.allclose([s for _, s in batched], [s for _, s in alone], atol=1e-5)


def test_several_workers_process_batches_at_the_same_time() -> None:
    both_inside = threading.Barrier(2, timeout=20)

    def process(numbers: list[int]) -> list[int]:
        both_inside.wait()  # returns only when the other worker is inside too
        return numbers

    batcher: MicroBatcher[int, int] = MicroBatcher(process, max_batch=1, workers=2)
    futures = [batcher.submit(n) for n in range(2)]
    assert [f.result(30) for f in futures] == [0, 1]
    batcher.close()


def test_a_lingering_batch_waits_for_requests_arriving_soon() -> None:
    sizes: list[int] = []

    def process(numbers: list[int]) -> list[int]:
        sizes.append(len(numbers))
        return numbers

    batcher: MicroBatcher[int, int] = MicroBatcher(process, linger=lambda: 5.0, max_batch=2)
    first = batcher.submit(1)
    time.sleep(0.3)
    assert not first.done()  # still waiting for company
    second = batcher.submit(2)
    assert (first.result(10), second.result(10)) == (1, 2)
    assert sizes == [2]
    batcher.close()
