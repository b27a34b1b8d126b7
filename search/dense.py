"""Dense retrieval for concurrent searches: one model call, and one vector query per filter."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from search.batcher import MicroBatcher
from search.feedback import DenseFeedback, rocchio
from search.fusion import Ranking
from search.per_store import OnePer
from store.embedder import Embedder
from store.index import Index
from store.protocol import VectorIndex
from store.records import Filters

# query, filters, how many chunks, and the feedback to search with (None: the query alone)
Request = tuple[str, Filters, int, DenseFeedback | None]


@dataclass(frozen=True)
class DenseFound:
    """A dense search: the ranking to fuse, and the query's own nearest chunks (cosine)."""

    ranking: Ranking  # with feedback when it was asked for, else the same as `nearest`
    nearest: Ranking  # how close each chunk is to what was typed: for judging the answer


class DenseRetriever:
    """Nearest chunks of queries, answered in batches on one worker thread.

    Under load, the searches waiting at one moment are embedded together and those with the
    same filters (most are) share one Chroma query: on two cores this roughly halves the
    CPU a dense search costs.
    """

    def __init__(self, embedder: Embedder, vectors: VectorIndex) -> None:
        self._embedder = embedder
        self._vectors = vectors
        self._batcher: MicroBatcher[Request, DenseFound] = MicroBatcher(
            self._retrieve, name="dense-retrieval", workers=2
        )

    def submit(self, query: str, filters: Filters, limit: int,
               feedback: DenseFeedback | None = None) -> Future[DenseFound]:
        return self._batcher.submit((query, filters, limit, feedback))

    def close(self) -> None:
        self._batcher.close()

    def _retrieve(self, requests: list[Request]) -> list[DenseFound | BaseException]:
        vectors = self._embedder.query_vectors([query for query, *_ in requests])
        groups: dict[Filters, list[int]] = {}
        for i, (_, filters, _, _) in enumerate(requests):
            groups.setdefault(filters, []).append(i)
        found: list[DenseFound | BaseException] = [DenseFound([], []) for _ in requests]
        for filters, members in groups.items():
            limit = max(requests[i][2] for i in members)
            try:
                nearest = self._vectors.query_many(vectors[members], filters, limit)
                moved = self._with_feedback(requests, members, vectors, nearest, filters, limit)
            except Exception as exc:  # the searches with this filter fail, not the whole batch
                for i in members:
                    found[i] = exc
                continue
            for i, own in zip(members, nearest, strict=True):
                cut = requests[i][2]
                found[i] = DenseFound(moved.get(i, own)[:cut], own[:cut])
        return found

    def _with_feedback(self, requests: list[Request], members: list[int], vectors: np.ndarray,
                       nearest: Sequence[Ranking], filters: Filters, limit: int
                       ) -> dict[int, Ranking]:
        """The rankings of the members that asked for feedback, searched with moved vectors."""
        asking = [(i, own, fb) for i, own in zip(members, nearest, strict=True)
                  if (fb := requests[i][3]) is not None and fb.weight > 0 and own]
        if not asking:
            return {}
        tops = [[cid for cid, _ in own[: fb.chunks]] for _, own, fb in asking]
        known = self._vectors.vectors_of([cid for top in tops for cid in top])
        if len(known) != sum(map(len, tops)):  # a chunk left meanwhile: the queries alone
            return {}
        rows = iter(known)
        moved = np.stack([
            rocchio(vectors[i], np.stack([next(rows) for _ in top]), fb.weight)
            for (i, _, fb), top in zip(asking, tops, strict=True)
        ])
        again = self._vectors.query_many(moved, filters, limit)
        return {i: ranking for (i, _, _), ranking in zip(asking, again, strict=True)}


def _open_retriever(index: Index) -> DenseRetriever:
    retriever = DenseRetriever(index.embedder, index.vectors)
    index.on_close(retriever.close)
    return retriever


# The one dense retriever (and worker threads) of an open index, stopped when it closes.
retriever_for: OnePer[Index, DenseRetriever] = OnePer(_open_retriever)
