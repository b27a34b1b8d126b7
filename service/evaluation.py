"""Retrieval quality on a BEIR dataset, measured through the real pipeline and index."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.beir import corpus_items, load_dataset
from ingest.chunking import ChunkingOptions
from ingest.models import IngestResult, Outcome
from ingest.pipeline import Pipeline
from search.metrics import evaluate_run
from search.models import Method
from search.retrieval import Reranker, SearchOptions, search
from store.embedded import open_store
from store.embedder import Embedder
from store.index import Index


@dataclass(frozen=True)
class EvalReport:
    dataset: str
    method: Method
    documents: int
    chunks: int
    queries: int
    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float
    chunks_per_s: float
    query_ms_p50: float
    query_ms_p95: float

    def as_json(self) -> dict[str, float | str | int]:
        return {
            "dataset": self.dataset,
            "method": self.method.value,
            "documents": self.documents,
            "chunks": self.chunks,
            "queries": self.queries,
            "ndcg@10": round(self.ndcg_at_10, 4),
            "recall@100": round(self.recall_at_100, 4),
            "mrr@10": round(self.mrr_at_10, 4),
            "chunks_per_s": round(self.chunks_per_s, 1),
            "query_ms_p50": round(self.query_ms_p50, 1),
            "query_ms_p95": round(self.query_ms_p95, 1),
        }


def _percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def build_index(
    folder: Path,
    data_dir: Path,
    embedder: Embedder,
    chunking: ChunkingOptions = ChunkingOptions(),
    progress: Callable[[IngestResult], None] | None = None,
    database_url: str | None = None,
) -> tuple[Index, float]:
    """Ingest a dataset's corpus into `data_dir` (with `database_url`, an empty PostgreSQL
    database and `data_dir`'s vectors); returns the index and chunks per second."""
    dataset = load_dataset(folder)
    store = open_store(data_dir, embedder, database_url=database_url)
    index = store.index
    if index.catalog.chunk_count():
        index.close()
        raise ValueError("measuring needs an empty database: COMMONS_DATABASE_URL holds "
                         "documents; point it at a new database")
    pipeline = Pipeline(index, store.originals, chunking=chunking, batch_chunks=512)
    started = time.perf_counter()
    results = pipeline.ingest(corpus_items(dataset), progress=progress)
    elapsed = time.perf_counter() - started
    failed = [r for r in results if r.outcome is Outcome.FAILED]
    if len(failed) == len(results):
        raise RuntimeError(f"no document of {folder} could be ingested: {failed[0].reason}")
    return index, index.catalog.chunk_count() / elapsed if elapsed else 0.0


def run_queries(
    index: Index,
    folder: Path,
    method: Method,
    options: SearchOptions = SearchOptions(),
    reranker: Reranker | None = None,
    chunks_per_s: float = 0.0,
) -> EvalReport:
    dataset = load_dataset(folder)
    options = replace(options, method=method, k=100, passages_per_hit=1, snippets=False)
    index.embedder.clear_query_cache()  # every method pays for its own query embeddings
    run: dict[str, list[str]] = {}
    latencies: list[float] = []
    for qid, text in dataset.queries.items():
        started = time.perf_counter()
        hits = search(index, text, options=options, reranker=reranker)
        latencies.append((time.perf_counter() - started) * 1000)
        run[qid] = [h.document.source for h in hits]
    scores = evaluate_run(run, dataset.qrels)
    return EvalReport(
        dataset=dataset.name,
        method=method,
        documents=index.catalog.count(),
        chunks=index.catalog.chunk_count(),
        queries=len(dataset.queries),
        ndcg_at_10=scores["ndcg@10"],
        recall_at_100=scores["recall@100"],
        mrr_at_10=scores["mrr@10"],
        chunks_per_s=chunks_per_s,
        query_ms_p50=statistics.median(latencies) if latencies else 0.0,
        query_ms_p95=_percentile(latencies, 95),
    )


def evaluate(
    folder: Path,
    embedder: Embedder,
    methods: list[Method],
    options: SearchOptions = SearchOptions(),
    reranker: Reranker | None = None,
    progress: Callable[[IngestResult], None] | None = None,
    database_url: str | None = None,
) -> list[EvalReport]:
    """Build a temporary index of the dataset and measure each method on it."""
    with tempfile.TemporaryDirectory(prefix="commons-eval-") as tmp:
        index, rate = build_index(folder, Path(tmp), embedder, progress=progress,
                                  database_url=database_url)
        try:
            return [run_queries(index, folder, m, options, reranker, rate) for m in methods]
        finally:
            index.close()
