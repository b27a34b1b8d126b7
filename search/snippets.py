"""Snippets: the best one to three sentences of a passage, query words highlighted, escaped.

A word is highlighted when a reader would see it as one of the query's own words: never a stop
word ("how", "do"), and only an inflection of a query word, not any word that happens to share
its Snowball stem (see `same_word`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from bm25s.stopwords import STOPWORDS_EN_PLUS

from store.analysis import term_of

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+", re.UNICODE)
_ESCAPED_WORD = re.compile(r"(?<![\w&])(?<!&#)(\w+)", re.UNICODE)
_LIST_ITEM = re.compile(r"(?:[-*\u2022\u2013]|\d{1,3}[.)])\s")  # as service.web.format reads lists

# Words a reader does not look for, even when the index keeps them ("how", "do", "after"): the
# NLTK English list that bm25s ships, larger than the one the BM25 index drops.
STOP_WORDS = frozenset(STOPWORDS_EN_PLUS)

# What may follow the part two forms of a word share: inflections ("parent"/"parents",
# "organise"/"organised", "family"/"families", "meet"/"meetings"), not derivations
# ("busy"/"business", "organise"/"organisation", "universe"/"university", "care"/"careful").
INFLECTIONS = frozenset({
    "", "s", "es", "d", "ed", "ing", "ings", "e", "y", "ies", "ied", "ier", "iest", "ily", "ly",
})


def same_word(word: str, query_word: str) -> bool:
    """Whether a reader sees `word` as a form of `query_word` (both lower-case).

    After their common prefix each must end in an inflection (`INFLECTIONS`); a consonant
    doubled before the ending ("running", "stopped") is part of the ending. The caller has
    already found the two share a stem, so "stem" and "stems" are the same word but "stem"
    and "system" never come here.
    """
    common = 0
    for a, b in zip(word, query_word, strict=False):
        if a != b:
            break
        common += 1
    if common == 0:
        return False
    return _ending(word, common) in INFLECTIONS and _ending(query_word, common) in INFLECTIONS


def _ending(word: str, common: int) -> str:
    rest = word[common:]
    last = word[common - 1]
    if len(rest) > 1 and rest[0] == last and last not in "aeiouy":
        return rest[1:]  # run-n-ing, stop-p-ed
    return rest


class QueryTerms(frozenset[str]):
    """A query's content terms (stems, as the index matches them) and the words they came from.

    A set of stems wherever one is expected; `words` are the query's own lower-case words,
    without stop words, which decide what is highlighted.
    """

    words: frozenset[str]
    pairs: tuple[tuple[str, str], ...]  # (word, its stem)

    def __new__(cls, words: Iterable[str] = ()) -> QueryTerms:
        content = {w for w in (w.lower() for w in words) if w not in STOP_WORDS}
        pairs = tuple((w, t) for w in sorted(content) if (t := term_of(w)))
        terms = super().__new__(cls, (t for _, t in pairs))
        terms.words = frozenset(w for w, _ in pairs)
        terms.pairs = pairs
        return terms

    def by_term(self) -> dict[str, frozenset[str]]:
        """The query words of each stem."""
        grouped: dict[str, set[str]] = {}
        for word, term in self.pairs:
            grouped.setdefault(term, set()).add(word)
        return {term: frozenset(ws) for term, ws in grouped.items()}


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


Forms = dict[str, frozenset[str]]  # index term -> the lower-case words that have it


@lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[tuple[str, ...], tuple[Forms, ...], frozenset[str]]:
    """A passage's sentences, the terms of each with its (lower-case, not stop) words, all terms.

    Cached by text: the same passages answer search after search, and analysing their every
    word was most of the time a search spent building snippets.
    """
    sentences = tuple(split_sentences(text))
    forms: list[Forms] = []
    for sentence in sentences:
        grouped: dict[str, set[str]] = {}
        for word in set(_WORD.findall(sentence.lower())).difference(STOP_WORDS):
            grouped.setdefault(term_of(word), set()).add(word)
        grouped.pop("", None)  # the index's stop words and one-letter words
        forms.append({term: frozenset(words) for term, words in grouped.items()})
    return sentences, tuple(forms), frozenset().union(*forms)


def _marked(words: Iterable[str], by_term: dict[str, frozenset[str]]) -> set[str]:
    """The words (as given) that are forms of a query word."""
    marked = set()
    for word in words:
        lowered = word.lower()
        query_words = by_term.get(term_of(lowered))
        if query_words and lowered not in STOP_WORDS and any(
            same_word(lowered, q) for q in query_words
        ):
            marked.add(word)
    return marked


def highlight(text: str, query_words: Iterable[str]) -> str:
    """HTML-escape the text and wrap the forms of the query's words in <mark>."""
    terms = query_words if isinstance(query_words, QueryTerms) else QueryTerms(query_words)
    # Escaping leaves word characters alone; skip the names inside entities (&amp; &#x27;).
    pieces = _ESCAPED_WORD.split(html.escape(text))
    words = pieces[1::2]
    marked = _marked(set(words), terms.by_term())
    if marked:
        pieces[1::2] = [f"<mark>{w}</mark>" if w in marked else w for w in words]
    return "".join(pieces)


def _best_window(
    lengths: list[int], matched: list[frozenset[str]], max_sentences: int, max_chars: int
) -> tuple[int, int]:
    """The run of sentences covering most distinct query words (then most matches)."""
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


def join_sentences(sentences: Iterable[str]) -> str:
    """Sentences as one text, a list item ("- ...") starting its own line."""
    text = ""
    for sentence in sentences:
        if text:
            text += "\n" if _LIST_ITEM.match(sentence) else " "
        text += sentence
    return text


def query_terms(query: str) -> QueryTerms:
    """The content terms of a query, as snippets match and highlight them."""
    return QueryTerms(_WORD.findall(query))


def make_snippet(text: str, query: str, max_sentences: int = 3, max_chars: int = 360) -> str:
    """Pick the window of up to `max_sentences` sentences with most query words; escape it."""
    return snippet_for(text, query_terms(query), max_sentences, max_chars)


def snippet_for(
    text: str, terms: QueryTerms, max_sentences: int = 3, max_chars: int = 360
) -> str:
    """`make_snippet` for query terms analysed once (a search makes up to 30 snippets).

    List items start their own line ("\\n" in the snippet; the page turns it into a break).
    """
    # A snippet depends only on which query words the passage may have: queries that differ
    # elsewhere (most do) share it.
    present = _analysed(text)[2]
    words = frozenset(w for w, t in terms.pairs if t in present)
    return _snippet(text, words, max_sentences, max_chars)


@lru_cache(maxsize=8192)
def _snippet(text: str, query_words: frozenset[str], max_sentences: int, max_chars: int) -> str:
    sentences, sentence_forms, _ = _analysed(text)
    if not sentences:
        return ""
    terms = QueryTerms(query_words)
    by_term = terms.by_term()
    matched = [
        frozenset(
            term for term in forms.keys() & by_term.keys()
            if any(same_word(w, q) for w in forms[term] for q in by_term[term])
        )
        for forms in sentence_forms
    ]
    start, end = _best_window([len(s) for s in sentences], matched, max_sentences, max_chars)
    chosen = join_sentences(sentences[start:end])
    if len(chosen) > max_chars:
        chosen = chosen[:max_chars].rsplit(" ", 1)[0] + " …"
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(sentences) and not chosen.endswith("…") else ""
    return prefix + highlight(chosen, terms) + suffix
