"""Opening the hub's parts from settings: model, index, originals and pipeline."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ingest.originals import OriginalStore
from ingest.pipeline import Pipeline
from search.embedder import Embedder
from search.index import Index
from search.retrieval import SearchOptions
from service.settings import Settings


def search_options(settings: Settings, **changes: Any) -> SearchOptions:
    """Search options from the settings (fusion mode and weights), with changes."""
    base = SearchOptions(
        fusion=settings.fusion, weights=(settings.lexical_weight, settings.dense_weight)
    )
    return replace(base, **changes)


@dataclass
class Runtime:
    settings: Settings
    index: Index
    pipeline: Pipeline

    def search_options(self, **changes: Any) -> SearchOptions:
        return search_options(self.settings, **changes)

    def close(self) -> None:
        self.index.close()


def open_runtime(settings: Settings, *, adopt_model: bool = False) -> Runtime:
    """Load the model once and open the data folder (refusing a model mismatch)."""
    embedder = Embedder(settings.model_path)
    data = settings.data_dir
    index = Index(data, embedder, adopt_model=adopt_model)
    pipeline = Pipeline(
        index,
        OriginalStore(data / "originals"),
        max_bytes=settings.max_upload_mb * 1024 * 1024,
    )
    return Runtime(settings, index, pipeline)
