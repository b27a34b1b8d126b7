"""Concurrent queries share model calls and each caller gets its own vector."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from search.embedder import Embedder
from search.query_batcher import QueryBatcher, Vectors


def test_concurrent_callers_get_their_own_vectors(embedder: Embedder) -> None:
    calls: list[int] = []

    def encode(texts: Sequence[str]) -> Vectors:
        calls.append(len(texts))
        return embedder.encode(texts)

    batcher = QueryBatcher(encode)
    queries = [f"question number {i} about school refusal" for i in range(40)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        vectors = list(pool.map(batcher.encode, queries))
    expected = embedder.encode(queries)
    assert all(np.dot(v, e) > 0.999 for v, e in zip(vectors, expected, strict=True))
    assert sum(calls) == 40 and len(calls) < 40  # some queries were encoded together


def test_errors_reach_every_caller() -> None:
    def broken(texts: Sequence[str]) -> Vectors:
        raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        QueryBatcher(broken).encode("anything")


def test_repeated_queries_are_cached(embedder: Embedder) -> None:
    first = embedder.encode_query("kinship carers and transitions")
    assert embedder.encode_query("kinship carers and transitions") is first
