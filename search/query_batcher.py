"""Micro-batching of query embeddings: concurrent searches share one model call.

On a small CPU, fifty searches that each run the model alone spend most of their time
waiting for each other; one forward pass over all waiting queries costs little more than one.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class QueryBatcher:
    """Encodes queries on one worker thread, taking every query waiting (up to max_batch)."""

    def __init__(self, encode: Callable[[Sequence[str]], Vectors], max_batch: int = 64) -> None:
        self._encode = encode
        self._max_batch = max_batch
        self._queue: queue.Queue[tuple[str, Future[Vectors]]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="query-batcher", daemon=True)
        self._thread.start()

    def encode(self, text: str) -> Vectors:
        future: Future[Vectors] = Future()
        self._queue.put((text, future))
        return future.result()

    def _run(self) -> None:
        while True:
            batch = [self._queue.get()]
            while len(batch) < self._max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            try:
                vectors = self._encode([text for text, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for (_, future), vector in zip(batch, vectors, strict=True):
                future.set_result(vector)
