"""Snippets: the best one to three sentences of a passage, query terms highlighted, escaped."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from search.lexical import analyze, term_of, terms_of

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)
_ESCAPED_WORD = re.compile(r"(?<![\w&])(?<!&#)(\w+)", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


@lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...], frozenset[str]]:
    """A passage's sentences, the index terms of each, and all its terms.

    Cached by text: the same passages answer search after search, and analysing their every
    word was most of the time a search spent building snippets.
    """
    sentences = tuple(split_sentences(text))
    terms = tuple(frozenset(terms_of(_WORD.findall(s))) for s in sentences)
    return sentences, terms, frozenset().union(*terms)


def highlight(text: str, query_terms: set[str] | frozenset[str]) -> str:
    """HTML-escape the text and wrap words whose stem is a query term in <mark>."""
    # Escaping leaves word characters alone; skip the names inside entities (&amp; &#x27;).
    pieces = _ESCAPED_WORD.split(html.escape(text))
    words = pieces[1::2]
    marked = {w for w in set(words) if term_of(w) in query_terms}
    if marked:
        pieces[1::2] = [f"<mark>{w}</mark>" if w in marked else w for w in words]
    return "".join(pieces)


def _best_window(
    lengths: list[int], matched: list[frozenset[str]], max_sentences: int, max_chars: int
) -> tuple[int, int]:
    """The run of sentences covering most distinct query terms (then most matches)."""
    best, best_score = (0, 1), -1
    for start in range(len(lengths)):
        covered: set[str] = set()
        hits = length = 0
        for end in range(start + 1, min(start + max_sentences, len(lengths)) + 1):
            length += lengths[end - 1]
            if end - start > 1 and length > max_chars:
                break
            covered |= matched[end - 1]
            hits += len(matched[end - 1])
            score = len(covered) * 10 + hits
            if score > best_score:
                best, best_score = (start, end), score
    return best


def query_terms(query: str) -> set[str]:
    """The index terms of a query, as snippets match them."""
    return set(analyze([query])[0])


def make_snippet(text: str, query: str, max_sentences: int = 3, max_chars: int = 360) -> str:
    """Pick the window of up to `max_sentences` sentences with most query terms; escape it."""
    return snippet_for(text, query_terms(query), max_sentences, max_chars)


def snippet_for(text: str, terms: set[str], max_sentences: int = 3, max_chars: int = 360) -> str:
    """`make_snippet` for query terms analysed once (a search makes up to 30 snippets)."""
    # A snippet depends only on which query terms the passage has: queries that differ
    # elsewhere (most do) share it.
    return _snippet(text, _analysed(text)[2] & terms, max_sentences, max_chars)


@lru_cache(maxsize=8192)
def _snippet(text: str, terms: frozenset[str], max_sentences: int, max_chars: int) -> str:
    sentences, sentence_terms, _ = _analysed(text)
    if not sentences:
        return ""
    matched = [found & terms for found in sentence_terms]
    start, end = _best_window([len(s) for s in sentences], matched, max_sentences, max_chars)
    chosen = " ".join(sentences[start:end])
    if len(chosen) > max_chars:
        chosen = chosen[:max_chars].rsplit(" ", 1)[0] + " …"
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(sentences) and not chosen.endswith("…") else ""
    return prefix + highlight(chosen, terms) + suffix
