"""Opening the hub's parts from settings: model, index, originals and pipeline."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.models import IngestResult
from ingest.originals import OriginalStore
from ingest.pipeline import Item, Pipeline, Prepared
from search.embedder import Embedder
from search.index import Index
from search.models import DocumentRecord, Filters, Hit, Method
from search.rerank import load_reranker
from search.retrieval import Reranker, SearchOptions, search
from service.settings import Settings


def make_embedder(settings: Settings) -> Embedder:
    """The configured embedding backend; the int8 export is made once in the data folder."""
    if settings.embed_backend == "onnx-int8":
        from search.onnx_backend import OnnxEmbedder

        return OnnxEmbedder(settings.data_dir / "models" / "onnx-int8", settings.model_path)
    return Embedder(settings.model_path)


def search_options(settings: Settings, **changes: Any) -> SearchOptions:
    """Search options from the settings (fusion mode and weights), with changes."""
    base = SearchOptions(
        fusion=settings.fusion, weights=(settings.lexical_weight, settings.dense_weight)
    )
    return replace(base, **changes)


@dataclass
class Runtime:
    """The open hub. Writes go through the methods here, one at a time."""

    settings: Settings
    index: Index
    pipeline: Pipeline
    reranker: Reranker | None = None
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    search_slots: threading.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.search_slots = threading.Semaphore(self.settings.search_threads)

    @property
    def default_method(self) -> Method:
        return Method.RERANK if self.reranker is not None else Method.HYBRID

    def search(self, query: str, filters: Filters, **options: Any) -> list[Hit]:
        """Search with the configured fusion, weights and reranker, a few searches at a time.

        Waiting threads sleep. With a slot per concurrent request, 50 clients got a third less
        throughput than 4 did (GIL hand-offs); with slots, throughput holds as clients grow.
        """
        options.setdefault("method", self.default_method)
        with self.search_slots:
            return search(
                self.index, query, filters, self.search_options(**options), self.reranker
            )

    def ingest_one(self, item: Item) -> IngestResult:
        with self.write_lock:
            return self.pipeline.ingest([item])[0]

    def write_one(self, prepared: Prepared) -> IngestResult:
        """Embed and index a prepared document (writes are serialised)."""
        with self.write_lock:
            return self.pipeline.write([prepared])[0]

    def delete(self, doc_id: str) -> DocumentRecord:
        with self.write_lock:
            return self.pipeline.delete(doc_id)

    def update_metadata(self, doc_id: str, **fields: Any) -> DocumentRecord:
        with self.write_lock:
            return self.index.update_metadata(doc_id, **fields)

    def search_options(self, **changes: Any) -> SearchOptions:
        return search_options(self.settings, **changes)

    def close(self) -> None:
        self.index.close()


def open_runtime(
    settings: Settings, *, adopt_model: bool = False, embedder: Embedder | None = None
) -> Runtime:
    """Load the model once and open the data folder (refusing a model mismatch)."""
    embedder = embedder or make_embedder(settings)
    data = settings.data_dir
    index = Index(data, embedder, adopt_model=adopt_model, chroma_url=settings.chroma_url,
                  collection=settings.chroma_collection)
    pipeline = Pipeline(
        index,
        OriginalStore(data / "originals"),
        max_bytes=settings.max_upload_mb * 1024 * 1024,
        pii_policy=settings.pii_policy,
        pii_names=settings.pii_names,
    )
    return Runtime(settings, index, pipeline, load_reranker(settings.reranker_path))
