"""The English word list that symspellpy ships (82,765 words with their corpus counts)."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from symspellpy import SymSpell

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


@lru_cache(maxsize=1)
def english_symspell(max_edits: int) -> SymSpell:
    """A SymSpell index of the English words, built once (about a second) and shared.

    General English is no secret of the hub: its words may be suggested to anyone.
    """
    symspell = SymSpell(max_dictionary_edit_distance=max_edits, prefix_length=7)
    for word, count in english_counts().items():
        symspell.create_dictionary_entry(word, count)
    return symspell
