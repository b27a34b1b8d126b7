"""Optional reranking with a local sentence-transformers CrossEncoder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class CrossEncoderReranker:
    """Scores (query, passage) pairs with a cross-encoder loaded from a local folder."""

    def __init__(self, path: Path, batch_size: int = 32) -> None:
        from sentence_transformers import CrossEncoder

        if not path.exists():
            raise FileNotFoundError(
                f"COMMONS_RERANKER_PATH '{path}' does not exist; point it at a local "
                "sentence-transformers CrossEncoder folder or unset it"
            )
        self.path = path
        self.batch_size = batch_size
        self._model = CrossEncoder(str(path), device="cpu", local_files_only=True)

    def score(self, query: str, passages: Sequence[str]) -> list[float]:
        if not passages:
            return []
        scores = self._model.predict(
            [(query, p) for p in passages], batch_size=self.batch_size, show_progress_bar=False
        )
        return [float(s) for s in scores]


def load_reranker(path: Path | None) -> CrossEncoderReranker | None:
    return CrossEncoderReranker(path) if path else None
