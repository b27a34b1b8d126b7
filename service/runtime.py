"""Opening the hub's parts from settings: model, index, originals and pipeline."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from ingest.models import IngestResult
from ingest.ocr import OcrLimits
from ingest.parse_worker import ParseWorker
from ingest.pipeline import Item, Pipeline, Prepared
from search.batcher import MicroBatcher
from search.models import Hit, Method
from search.rerank import load_reranker
from search.retrieval import Reranker, SearchOptions, search
from service.settings import Settings
from store.embedded import open_store, recorded_model
from store.embedder import Embedder
from store.index import Index
from store.protocol import AccountStore, AuditStore, InsightStore, JobStore
from store.records import DocumentRecord, Filters

T = TypeVar("T")
ONNX_BACKENDS = ("onnx-fp32", "onnx-int8")


def embed_backend(settings: Settings, *, configured_only: bool = False) -> str:
    """The backend to embed with: the configured one or, when none is configured, the one
    the hub was built with (a hub built in int8 keeps its vectors until `commons reindex`),
    and the default for a new hub. `configured_only` ignores the hub's (for a reindex)."""
    if configured_only or "embed_backend" in settings.model_fields_set:
        return settings.embed_backend
    recorded = recorded_model(settings.data_dir, settings.database_url)
    if recorded is None:
        return settings.embed_backend
    for backend in ONNX_BACKENDS:
        if recorded.endswith(f"({backend})"):
            return backend
    return "torch"  # the model as is: its name carries no backend


def onnx_folder(settings: Settings, backend: str) -> Path:
    return settings.data_dir / "models" / backend


def model_needs_preparing(settings: Settings, *, configured_only: bool = False) -> bool:
    """Whether opening the hub first exports the model to ONNX (once per data folder)."""
    from store.onnx_backend import needs_export

    backend = embed_backend(settings, configured_only=configured_only)
    return backend in ONNX_BACKENDS and needs_export(onnx_folder(settings, backend))


def make_embedder(settings: Settings, *, configured_only: bool = False) -> Embedder:
    """The backend's embedder; an ONNX export is made once in the data folder."""
    backend = embed_backend(settings, configured_only=configured_only)
    if backend in ONNX_BACKENDS:
        from store.onnx_backend import OnnxEmbedder

        return OnnxEmbedder(onnx_folder(settings, backend), settings.model_path,
                            precision=backend.removeprefix("onnx-"))
    return Embedder(settings.model_path)


def search_options(settings: Settings, **changes: Any) -> SearchOptions:
    """Search options from the settings (fusion mode and weights), with changes."""
    base = SearchOptions(
        fusion=settings.fusion, weights=(settings.lexical_weight, settings.dense_weight)
    )
    return replace(base, **changes)


@dataclass
class Runtime:
    """The open hub: its store and query side. Writes go through the methods here, one at a
    time; what a person may do goes through service.operations."""

    settings: Settings
    index: Index
    pipeline: Pipeline
    accounts: AccountStore
    audit: AuditStore
    job_table: JobStore
    insights: InsightStore
    reranker: Reranker | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    search_threads: ThreadPoolExecutor = field(init=False)
    searches: int = 0  # in flight: computing or waiting for a search thread
    writer: MicroBatcher[Prepared, IngestResult] = field(init=False)

    def __post_init__(self) -> None:
        self.search_threads = ThreadPoolExecutor(
            self.settings.search_threads, thread_name_prefix="search"
        )
        self.writer = MicroBatcher(
            self._write_batch, max_batch=16, name="writer", linger=self._write_linger
        )

    @property
    def default_method(self) -> Method:
        return Method.RERANK if self.reranker is not None else Method.HYBRID

    def search(self, query: str, filters: Filters, **options: Any) -> list[Hit]:
        """Search with the configured fusion, weights and reranker."""
        options.setdefault("method", self.default_method)
        return search(self.index, query, filters, self.search_options(**options), self.reranker)

    async def on_search_thread(self, work: Callable[[], T]) -> T:
        """Run `work` (a search and the making of its answer) on the search threads.

        At most `search_threads` run at once; the others wait their turn, first come first
        served. Most of a search holds Python's GIL: with a thread per request, 50 clients got
        a third less throughput than 4 did, and a few unlucky requests waited far longer.
        """
        self.searches += 1  # only the event loop's thread counts
        try:
            return await asyncio.wrap_future(self.search_threads.submit(work))
        finally:
            self.searches -= 1

    def ingest_one(self, item: Item) -> IngestResult:
        with self.write_lock:
            return self.pipeline.ingest([item])[0]

    def write_large(self, prepared: Prepared) -> IngestResult:
        """Embed a large document outside the write lock, then write it under the lock.

        Embedding thousands of passages takes minutes on a CPU; small uploads are written
        meanwhile instead of waiting behind it.
        """
        parts = self.pipeline.embed([prepared])
        with self.write_lock:
            return self.pipeline.write([prepared], parts)[0]

    def write_one(self, prepared: Prepared) -> IngestResult:
        """Embed and index a prepared document, with the uploads waiting alongside it.

        One model call and one vector-store write per group, one group at a time.
        """
        return self.writer(prepared)

    def _write_linger(self) -> float:
        """How long an upload waits for others to be written with: only while searches queue.

        An embedded Chroma write holds Python's GIL for about 10 ms (longer on a busy CPU)
        whatever its size; under load, writing uploads in groups leaves that time to searches.
        """
        busy = self.searches > self.settings.search_threads
        return self.settings.write_group_ms / 1000 if busy else 0.0

    def _write_batch(self, batch: list[Prepared]) -> list[IngestResult]:
        with self.write_lock:
            return self.pipeline.write(batch)

    def delete(self, doc_id: str) -> DocumentRecord:
        with self.write_lock:
            return self.pipeline.delete(doc_id)

    def trash(self, doc_id: str, by: str) -> DocumentRecord:
        with self.write_lock:
            return self.pipeline.trash(doc_id, by)

    def restore(self, doc_id: str) -> IngestResult:
        with self.write_lock:
            return self.pipeline.restore(doc_id)

    def purge(self, doc_id: str) -> DocumentRecord:
        with self.write_lock:
            return self.pipeline.purge(doc_id)

    def update_metadata(self, doc_id: str, **fields: Any) -> DocumentRecord:
        with self.write_lock:
            return self.index.update_metadata(doc_id, **fields)

    def search_options(self, **changes: Any) -> SearchOptions:
        return search_options(self.settings, **changes)

    def close(self) -> None:
        self.writer.close()
        self.search_threads.shutdown(cancel_futures=True)
        if isinstance(self.pipeline.loader, ParseWorker):
            self.pipeline.loader.close()
        self.index.close()


def open_runtime(
    settings: Settings, *, adopt_model: bool = False, embedder: Embedder | None = None
) -> Runtime:
    """Load the model once and open the data folder (refusing a model mismatch)."""
    embedder = embedder or make_embedder(settings, configured_only=adopt_model)
    store = open_store(settings.data_dir, embedder, adopt_model=adopt_model,
                       chroma_url=settings.chroma_url, collection=settings.chroma_collection,
                       database_url=settings.database_url)
    pipeline = Pipeline(
        store.index,
        store.originals,
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        pii_policy=settings.pii_policy,
        pii_names=settings.pii_names,
        loader=ParseWorker(settings.parse_timeout_s, settings.parse_memory_mb,
                           settings.parse_workers,
                           OcrLimits(page_timeout_s=settings.ocr_page_timeout_s,
                                     low_confidence=settings.ocr_low_confidence)),
        max_chunks=settings.max_chunks,
    )
    return Runtime(settings, store.index, pipeline, store.accounts, store.audit, store.jobs,
                   store.insights, load_reranker(settings.reranker_path))
