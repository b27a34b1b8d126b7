"""One query-side helper per open store object (a speller per catalog, a retriever per index).

Built on first use, kept as long as the store object lives, never two for the same object
even when searches ask at the same moment.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class OnePer(Generic[K, V]):
    def __init__(self, make: Callable[[K], V]) -> None:
        self._make = make
        self._made: weakref.WeakKeyDictionary[K, V] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, key: K) -> V:
        with self._lock:
            made = self._made.get(key)
            if made is None:
                made = self._made[key] = self._make(key)
            return made
