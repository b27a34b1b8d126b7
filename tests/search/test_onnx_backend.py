"""The ONNX backends (fp32, int8): exported here from the packaged model, checked against torch."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.retrieval import SearchOptions, search
from store.embedder import Embedder
from store.errors import ModelMismatchError
from store.index import Index
from store.onnx_backend import MIN_AGREEMENT, OnnxEmbedder
from store.originals import OriginalStore
from store.records import Kind


@pytest.fixture(scope="module")
def onnx(tmp_path_factory: pytest.TempPathFactory) -> OnnxEmbedder:
    return OnnxEmbedder(tmp_path_factory.mktemp("models") / "onnx-int8", precision="int8")


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> OnnxEmbedder:
    return OnnxEmbedder(tmp_path_factory.mktemp("models") / "onnx-fp32")


def test_export_agrees_with_torch(onnx: OnnxEmbedder, embedder: Embedder) -> None:
    assert onnx.export_agreement >= MIN_AGREEMENT
    texts = ["Kid shuts down after a fight at home.", "Graded return to school after anxiety."]
    ours, reference = onnx.encode(texts), embedder.encode(texts)
    assert ours.shape == (2, embedder.dimension)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    assert (ours * reference).sum(axis=1).min() >= MIN_AGREEMENT
    assert onnx.name == "all-MiniLM-L6-v2 (onnx-int8)"


def test_full_precision_is_the_model_itself(full: OnnxEmbedder, embedder: Embedder) -> None:
    texts = ["Kid shuts down after a fight at home.", "Graded return to school after anxiety."]
    assert full.name == "all-MiniLM-L6-v2 (onnx-fp32)"
    assert full.export_agreement > 0.9999
    assert (full.encode(texts) * embedder.encode(texts)).sum(axis=1).min() > 0.9999
    assert (full.encode_queries(texts) * embedder.encode(texts)).sum(axis=1).min() > 0.9999


def test_an_export_opens_only_in_its_own_precision(onnx: OnnxEmbedder) -> None:
    with pytest.raises(ValueError, match="holds the model in int8, not fp32"):
        OnnxEmbedder(onnx.folder)  # full precision asked of an int8 folder
    with pytest.raises(ValueError, match="precision must be one of"):
        OnnxEmbedder(onnx.folder, precision="int4")


def test_reopening_reuses_the_export(onnx: OnnxEmbedder) -> None:
    folder = onnx.folder
    before = (folder / "model.onnx").stat().st_mtime
    again = OnnxEmbedder(folder, precision="int8")
    assert (folder / "model.onnx").stat().st_mtime == before
    assert again.export_agreement == onnx.export_agreement


def test_search_with_onnx_and_no_mixing(onnx: OnnxEmbedder, embedder: Embedder,
                                        tmp_path: Path) -> None:
    index = Index(tmp_path / "data", onnx)
    pipeline = Pipeline(index, OriginalStore(tmp_path / "data" / "originals"))
    note = b"# Calm Corner kit\n\nA small tent with sensory bottles for an overwhelmed child."
    other = b"# Budget\n\nThe community agreed the catering budget for next year."
    pipeline.ingest([
        Item("a.md", lambda: note, Overrides(kind=Kind.PRACTICE)),
        Item("b.md", lambda: other, Overrides(kind=Kind.PRACTICE)),
    ])
    hits = search(index, "child overwhelmed needs a quiet space", options=SearchOptions(k=1))
    assert hits[0].document.source == "a.md"
    index.close()
    with pytest.raises(ModelMismatchError):
        Index(tmp_path / "data", embedder)  # a torch index and int8 vectors are not mixed


def test_counting_tokens_while_embedding_is_safe(onnx: OnnxEmbedder) -> None:
    """Chunking counts tokens (no padding) while searches embed (padding) on other threads.

    With one shared tokenizer the padding setting flips under the embedder and the model gets
    a ragged batch ("setting an array element with a sequence"), as seen under load.
    """
    texts = ["a short query", "a longer passage about children and families " * 20]
    errors: list[BaseException] = []

    def count() -> None:
        for _ in range(1500):
            try:
                assert onnx.count_tokens(texts)[0] == 3
            except BaseException as exc:  # collected, asserted below
                errors.append(exc)

    def embed() -> None:
        for _ in range(200):
            try:
                assert onnx.encode(texts).shape == (2, onnx.dimension)
            except BaseException as exc:  # collected, asserted below
                errors.append(exc)

    threads = [threading.Thread(target=count), threading.Thread(target=embed)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
