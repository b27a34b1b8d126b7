"""Which backend embeds: full precision for a new hub; a hub keeps its own until a reindex."""

from __future__ import annotations

from pathlib import Path

from service.runtime import embed_backend, open_runtime
from service.settings import Settings
from store.embedded import recorded_model
from store.records import Filters
from tests.search.test_related import item

NOTE = ("# Calm corner kit\n\nA small tent with sensory bottles gives an overwhelmed child a "
        "quiet space to settle before talking.")
QUERY = "child overwhelmed needs a quiet space"


def test_a_new_hub_embeds_in_full_precision(tmp_path: Path) -> None:
    assert embed_backend(Settings(data_dir=tmp_path / "new")) == "onnx-fp32"
    assert embed_backend(Settings(data_dir=tmp_path / "new", embed_backend="torch")) == "torch"


def test_an_int8_hub_keeps_int8_until_it_is_reindexed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # a hub built before full precision became the default
    runtime = open_runtime(Settings(data_dir=data, embed_backend="onnx-int8"))
    runtime.pipeline.ingest([item("practices/calm-corner.md", NOTE, "practice")])
    runtime.close()
    assert recorded_model(data) == "all-MiniLM-L6-v2 (onnx-int8)"

    unset = Settings(data_dir=data)  # nothing configured: no model mismatch, int8 goes on
    assert embed_backend(unset) == "onnx-int8"
    runtime = open_runtime(unset)
    assert runtime.index.embedder.name == "all-MiniLM-L6-v2 (onnx-int8)"
    assert runtime.search(QUERY, Filters())[0].document.source == "practices/calm-corner.md"
    runtime.close()

    # `commons reindex` embeds again with the default, and the hub then keeps that
    runtime = open_runtime(unset, adopt_model=True)
    runtime.pipeline.reindex()
    runtime.close()
    assert recorded_model(data) == "all-MiniLM-L6-v2 (onnx-fp32)"
    runtime = open_runtime(Settings(data_dir=data))
    assert runtime.index.embedder.name == "all-MiniLM-L6-v2 (onnx-fp32)"
    assert runtime.search(QUERY, Filters())[0].document.source == "practices/calm-corner.md"
    runtime.close()
