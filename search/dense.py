"""Dense retrieval for concurrent searches: one model call, and one vector query per filter."""

from __future__ import annotations

from concurrent.futures import Future

from search.batcher import MicroBatcher
from search.fusion import Ranking
from search.per_store import OnePer
from store.embedder import Embedder
from store.index import Index
from store.protocol import VectorIndex
from store.records import Filters

Request = tuple[str, Filters, int]  # query, filters, how many chunks


class DenseRetriever:
    """Nearest chunks of queries, answered in batches on one worker thread.

    Under load, the searches waiting at one moment are embedded together and those with the
    same filters (most are) share one Chroma query: on two cores this roughly halves the
    CPU a dense search costs.
    """

    def __init__(self, embedder: Embedder, vectors: VectorIndex) -> None:
        self._embedder = embedder
        self._vectors = vectors
        self._batcher: MicroBatcher[Request, Ranking] = MicroBatcher(
            self._retrieve, name="dense-retrieval", workers=2
        )

    def submit(self, query: str, filters: Filters, limit: int) -> Future[Ranking]:
        return self._batcher.submit((query, filters, limit))

    def close(self) -> None:
        self._batcher.close()

    def _retrieve(self, requests: list[Request]) -> list[Ranking | BaseException]:
        vectors = self._embedder.query_vectors([query for query, _, _ in requests])
        groups: dict[Filters, list[int]] = {}
        for i, (_, filters, _) in enumerate(requests):
            groups.setdefault(filters, []).append(i)
        rankings: list[Ranking | BaseException] = [[] for _ in requests]
        for filters, members in groups.items():
            limit = max(requests[i][2] for i in members)
            try:
                found = self._vectors.query_many(vectors[members], filters, limit)
            except Exception as exc:  # the searches with this filter fail, not the whole batch
                for i in members:
                    rankings[i] = exc
                continue
            for i, ranking in zip(members, found, strict=True):
                rankings[i] = ranking[: requests[i][2]]
        return rankings


def _open_retriever(index: Index) -> DenseRetriever:
    retriever = DenseRetriever(index.embedder, index.vectors)
    index.on_close(retriever.close)
    return retriever


# The one dense retriever (and worker threads) of an open index, stopped when it closes.
retriever_for: OnePer[Index, DenseRetriever] = OnePer(_open_retriever)
