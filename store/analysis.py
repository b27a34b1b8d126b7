"""How text becomes full-text index terms: English stemming and stop words (as bm25s does)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_EN


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # bm25s' (and scikit-learn's) token pattern
_STOPWORDS = frozenset(STOPWORDS_EN)


def analyze(texts: list[str]) -> list[list[str]]:
    """Lower-cased, stop-word-free, stemmed terms of each text.

    The same analysis as `bm25s.tokenize(..., stopwords="en", stemmer=Snowball English)`,
    without its per-call set-up, which dominated snippet building at query time.
    """
    stem = _stemmer().stemWords
    return [
        stem([t for t in _TOKEN.findall(text.lower()) if t not in _STOPWORDS]) for text in texts
    ]


_TERM_CACHE_SIZE = 200_000
_term_cache: dict[str, str] = {}


def _analyze_word(word: str) -> str:
    lowered = word.lower()
    if len(lowered) < 2 or lowered in _STOPWORDS:
        return ""
    return str(_stemmer().stemWord(lowered))


def _cache() -> dict[str, str]:
    """The word -> term cache; replaced (not cleared) when full, so readers never race."""
    global _term_cache
    if len(_term_cache) > _TERM_CACHE_SIZE:
        _term_cache = {}
    return _term_cache


def term_of(word: str) -> str:
    """The index term of one word token, or "" for a stop word or a one-letter word.

    `[term_of(w) for w in re.findall(r"\\w+", text)]`, without the empty strings, equals
    `analyze([text])[0]` (but for the rare letters whose lower case is two characters).
    Cached, because snippets look up the same words again and again.
    """
    cache = _cache()
    term = cache.get(word)
    if term is None:
        term = cache[word] = _analyze_word(word)
    return term


def terms_of(words: Iterable[str]) -> set[str]:
    """The distinct terms of word tokens (with "" for stop words), looked up in bulk."""
    cache = _cache()
    unique = set(words)
    for word in unique.difference(cache):
        cache[word] = _analyze_word(word)
    return set(map(cache.__getitem__, unique))


def index_terms(text: str) -> str:
    """The space-joined terms stored in the FTS5 table for one chunk."""
    return " ".join(analyze([text])[0])
