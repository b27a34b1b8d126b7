"""Micro-batching: callers on many threads share one call made on a worker thread.

On a small CPU, fifty searches that each run the model (and each query the vector store)
alone spend most of their time waiting for each other; one call over every waiting request
costs little more than one.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

class MicroBatcher(Generic[In, Out]):
    """Calls `process` on a worker thread with every request waiting (up to `max_batch`).

    With several workers, one batch is processed while the next gathers: a batch whose work
    releases the GIL (a model, a vector index) then overlaps the next. `linger`, if given,
    says how long (seconds) a batch may wait for more requests once it has one; by default
    it takes only those already waiting.

    `process` returns one result per request, in order; a result that is an exception is
    raised to that request's caller only. If `process` itself raises, every caller of the
    batch gets the error.
    """

    def __init__(
        self, process: Callable[[list[In]], Sequence[Out | BaseException]],
        max_batch: int = 64, name: str = "batcher", workers: int = 1,
        linger: Callable[[], float] | None = None,
    ) -> None:
        self._process = process
        self._max_batch = max_batch
        self._name = name
        self._workers = workers
        self._linger = linger
        self._queue: queue.SimpleQueue[tuple[In, Future[Out]] | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, request: In) -> Future[Out]:
        """The request's future result; the workers start on the first request."""
        future: Future[Out] = Future()
        with self._lock:
            if not self._threads:
                self._threads = [
                    threading.Thread(target=self._run, name=f"{self._name}-{i}", daemon=True)
                    for i in range(self._workers)
                ]
                for thread in self._threads:
                    thread.start()
            self._queue.put((request, future))
        return future

    def __call__(self, request: In) -> Out:
        return self.submit(request).result()

    def close(self) -> None:
        """Stop the workers once the requests already queued are done."""
        with self._lock:
            for _ in self._threads:
                self._queue.put(None)  # a worker's signal to stop
            for thread in self._threads:
                thread.join()
            self._threads = []

    def _run(self) -> None:
        while True:
            batch: list[tuple[In, Future[Out]]] = []
            item = self._queue.get()
            until = time.monotonic() + (self._linger() if self._linger else 0.0)
            while item is not None:
                batch.append(item)
                if len(batch) == self._max_batch:
                    break
                try:
                    wait = until - time.monotonic()
                    item = self._queue.get(timeout=wait) if wait > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._answer(batch)
            if item is None:
                return

    def _answer(self, batch: list[tuple[In, Future[Out]]]) -> None:
        try:
            results = self._process([request for request, _ in batch])
        except Exception as exc:
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), result in zip(batch, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
