"""The embedding model run by ONNX Runtime, in full precision (the default) or int8.

The packaged sentence-transformers model is exported once with `torch.onnx.export`. In int8,
its MatMul weights are then quantised per channel with onnxruntime's `quantize_dynamic`:
about 1.8 times the passages a second, ranking a little lower on the practitioner queries
(docs/retrieval.md). Either export is accepted only if its embeddings agree with torch's
(mean cosine >= 0.98).
"""

from __future__ import annotations

import json
import logging
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from store.embedder import Embedder, Vectors

MIN_AGREEMENT = 0.98
AGREEMENT_TEXTS = [
    "A calm, predictable bedtime routine helps children in residential care settle.",
    "Parents who work shifts rarely come to review meetings; offer a home visit instead.",
    "Legitimate peripheral participation: newcomers learn from the edge of a practice.",
    "The STEPS re-entry plan names a worker the young person can text in the first week.",
    "Adverse childhood experiences are linked to heart disease and early death in adults.",
    "Motivational interviewing explores ambivalence without lecturing or arguing.",
    "Year 8 student, school refusal, graded return starting with ten minutes in the library.",
    "Microstructural development of newborn cerebral white matter assessed by MRI.",
]


class AgreementError(RuntimeError):
    """The quantised model's embeddings drift too far from the original's."""


PRECISIONS = ("fp32", "int8")


def _export(source: Embedder, target: Path, precision: str) -> None:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(source.path), attn_implementation="eager").eval()

    class Encoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            out = self.model(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids)
            return out.last_hidden_state  # type: ignore[no-any-return]

    sample = source.tokenizer(["a sample sentence", "another one"], padding=True,
                              return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fp32 = target / ("model.onnx" if precision == "fp32" else "model-fp32.onnx")
    with warnings.catch_warnings():  # the tracer's advice is for model authors, not for us
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Encoder(), tuple(sample[n] for n in names), str(fp32), input_names=names,
            output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]},
        )
    if precision == "fp32":
        return
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic's advice to pre-process is not for us
    try:
        quantize_dynamic(str(fp32), str(target / "model.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, op_types_to_quantize=["MatMul"])
    finally:
        root.setLevel(level)
    fp32.unlink()


def needs_export(folder: Path) -> bool:
    """Whether opening an OnnxEmbedder on `folder` first exports the model (seconds, once)."""
    return not (folder / "model.onnx").exists() or not (folder / "export.json").exists()


class OnnxEmbedder(Embedder):
    """Same tokenizer, pooling and normalisation as the model, run by ONNX Runtime."""

    def __init__(self, folder: Path, model_path: Path | None = None, batch_size: int = 32,
                 threads: int = 0, precision: str = "fp32") -> None:
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        super().__init__(model_path, batch_size)
        self.backend = f"onnx-{precision}"
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        manifest = folder / "export.json"
        if needs_export(folder):
            _export(self, folder, precision)
            self._open(folder, threads)
            agreement = self.agreement()
            if agreement < MIN_AGREEMENT:
                (folder / "model.onnx").unlink()
                raise AgreementError(
                    f"the {precision} export agrees with torch at cosine {agreement:.3f} < "
                    f"{MIN_AGREEMENT}; use COMMONS_EMBED_BACKEND=torch"
                )
            manifest.write_text(json.dumps({"source": self.name, "agreement": agreement,
                                            "precision": precision}))
        else:
            made = json.loads(manifest.read_text()).get("precision", "int8")  # int8 came first
            if made != precision:
                raise ValueError(f"{folder} holds the model in {made}, not {precision}")
            self._open(folder, threads)
        self.name = f"{self.name} ({self.backend})"
        self.export_agreement = float(json.loads(manifest.read_text())["agreement"])

    def _open(self, folder: Path, threads: int) -> None:
        """Two sessions on one model file: batches use every core, queries one.

        Spinning is off in both: ONNX Runtime's idle threads otherwise busy-wait, which doubled
        the CPU a query costs and took it from concurrent searches. A query on one thread costs
        the least CPU; concurrent queries already use the other core.
        """
        import onnxruntime

        def session(intra_op_threads: int) -> onnxruntime.InferenceSession:
            options = onnxruntime.SessionOptions()
            if intra_op_threads:
                options.intra_op_num_threads = intra_op_threads
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return onnxruntime.InferenceSession(
                str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
            )

        self._session = session(threads)
        self._query_session = session(1)

    def agreement(self) -> float:
        """Mean cosine between this backend's and torch's embeddings of sample texts."""
        reference = super().encode(AGREEMENT_TEXTS)
        return float((self.encode(AGREEMENT_TEXTS) * reference).sum(axis=1).mean())

    def encode(self, texts: Sequence[str]) -> Vectors:
        return self._run(self._session, texts)

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        return self._run(self._query_session, texts)

    def _run(self, session: Any, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts])  # similar lengths share a batch
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            index = order[start : start + self.batch_size]
            batch = self.tokenizer([texts[i] for i in index], padding=True, truncation=True,
                                   max_length=self.max_tokens, return_tensors="np")
            feeds = {n: batch[n].astype(np.int64)
                     for n in ("input_ids", "attention_mask", "token_type_ids")}
            hidden = session.run(None, feeds)[0]
            mask = batch["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[index] = pooled / np.clip(norms, 1e-12, None)
        return out
