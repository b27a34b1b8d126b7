"""The English word list that symspellpy ships (82,765 words with their corpus counts)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

DICTIONARY = "frequency_dictionary_en_82_765.txt"


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """Lower-case English words with their counts, read once from the package's dictionary."""
    text = (files("symspellpy") / DICTIONARY).read_text(encoding="utf-8")
    pairs = (line.split(" ", 1) for line in text.splitlines() if line)
    return {word: int(count) for word, count in pairs}


def english_words() -> frozenset[str]:
    return _words()


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    return frozenset(english_counts())
