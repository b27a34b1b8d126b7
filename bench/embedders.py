"""The embedder a benchmark measures with: the hub's default backend unless told otherwise.

ONNX exports are made once into bench/.cache/<backend>/, as `commons serve` makes them in
its data folder.
"""

from __future__ import annotations

from pathlib import Path

from service.settings import Settings
from store.embedder import Embedder

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("onnx-fp32", "onnx-int8", "torch")
DEFAULT = Settings.model_fields["embed_backend"].default


def make_embedder(backend: str = DEFAULT) -> Embedder:
    """The bundled model run by `backend` (one of BACKENDS)."""
    if backend == "torch":
        return Embedder()
    from store.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(ROOT / "bench" / ".cache" / backend,
                        precision=backend.removeprefix("onnx-"))
