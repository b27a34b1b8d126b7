"""A search practitioners can trust: how confident it is, its language, and its spelling.

One operation for the API, the page, the command line and the benchmark: search, judge the
answer (search.confidence), say when the query is not English (search.language), and when its
spelling correction matches better (more confidently, or as confidently and closer), answer
the correction instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.confidence import STRONG_COSINE, Confidence, Evidence, judge
from search.language import LanguageGuess, guess_language, language_notice
from search.lexical import match_expression
from search.models import Hit
from search.retrieval import Reranker, Searched, SearchOptions, search_with_signals
from search.spelling import Speller
from store.index import Index
from store.records import Filters

RANK = {Confidence.NONE: 0, Confidence.WEAK: 1, Confidence.STRONG: 2}
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class TrustedAnswer:
    hits: list[Hit]
    confidence: Confidence
    evidence: Evidence
    language: LanguageGuess
    did_you_mean: str | None = None  # a corrected query worth offering, or None
    searched_for: str | None = None  # the corrected query whose results these are, or None
    unmatched_phrases: tuple[str, ...] = ()  # quoted, found nowhere, so not required

    @property
    def notice(self) -> str | None:
        notices = (language_notice(self.language), phrases_notice(self.unmatched_phrases))
        return " ".join(n for n in notices if n) or None


def phrases_notice(phrases: tuple[str, ...]) -> str | None:
    """What to tell a practitioner whose quoted phrases no document contains, else None."""
    if not phrases:
        return None
    quoted = " and ".join(f"“{p}”" for p in phrases)
    return (f"No document here contains {quoted} word for word, so these results are for "
            "the words without the quotes.")


BEST_DOCUMENTS = 3  # the documents whose share of the query's words counts


def _word_terms(query: str) -> set[tuple[str, ...]]:
    """Each distinct word's index terms (a word's own: stems are not re-stemmed)."""
    return {e.terms for w in _WORDS.findall(query) if (e := match_expression(w)) is not None}


def share_found(words: set[tuple[str, ...]], present: set[str]) -> float:
    """The share of the words with an index term among `present`."""
    return sum(any(t in present for t in w) for w in words) / len(words) if words else 0.0


def coverage(index: Index, query: str, filters: Filters) -> float:
    """Share of the query's index terms found in some document the caller may see."""
    words = _word_terms(query)
    if not words:
        return 0.0
    terms = {t for w in words for t in w}
    return share_found(words, index.catalog.terms_found(terms, Filters(viewer=filters.viewer)))


def in_one_document(index: Index, query: str, hits: list[Hit]) -> float:
    """The largest share of the query's index terms that one of the best documents holds."""
    words = _word_terms(query)
    best = [h.document.id for h in hits[:BEST_DOCUMENTS]]
    if not words or not best:
        return 0.0
    terms = {t for w in words for t in w}
    return max(share_found(words, index.catalog.terms_found(terms, Filters(doc_ids=(d,))))
               for d in best)


def _judged(index: Index, query: str, filters: Filters, searched: Searched,
            english: bool) -> tuple[Evidence, Confidence]:
    evidence = Evidence(searched.observed.best_cosine, coverage(index, query, filters), english,
                        in_one_document(index, query, searched.hits))
    return evidence, judge(evidence)


def trusted_search(
    index: Index,
    query: str,
    filters: Filters = Filters(),
    options: SearchOptions = SearchOptions(),
    reranker: Reranker | None = None,
    speller: Speller | None = None,
) -> TrustedAnswer:
    """Hits with a confidence, a language notice and a spelling correction where they apply."""
    language = guess_language(query)
    searched = search_with_signals(index, query, filters, options, reranker)
    evidence, confidence = _judged(index, query, filters, searched, language.english)
    answer = TrustedAnswer(searched.hits, confidence, evidence, language,
                           unmatched_phrases=searched.observed.unmatched_phrases)
    if speller is None or not language.english or not query.strip():
        return answer
    corrected = speller.correct(query, filters)
    if corrected is not None and corrected != query:
        fixed = search_with_signals(index, corrected, filters, options, reranker)
        fixed_evidence, fixed_confidence = _judged(index, corrected, filters, fixed, True)
        if RANK[fixed_confidence] > RANK[answer.confidence] or (
            fixed_confidence is answer.confidence is not Confidence.NONE
            and _closer(fixed_evidence, answer.evidence)
        ):
            answer = TrustedAnswer(fixed.hits, fixed_confidence, fixed_evidence, language,
                                   did_you_mean=corrected, searched_for=corrected,
                                   unmatched_phrases=fixed.observed.unmatched_phrases)
    if answer.confidence is Confidence.STRONG:
        return answer
    # still not strong: read uncommon words the hub lacks as slips ("dyed" for "died"),
    # kept only when that answers strongly (such guesses are often wrong)
    slipped = speller.correct(answer.searched_for or query, filters, slips=True)
    if slipped is None or slipped in (query, answer.searched_for):
        return answer
    fixed = search_with_signals(index, slipped, filters, options, reranker)
    fixed_evidence, fixed_confidence = _judged(index, slipped, filters, fixed, True)
    # strong by closeness: words read as the hub's own always cover the hub ("dog barks"
    # read as "dog banks" knows every word), so coverage cannot vouch for the reading
    close = fixed_evidence.best_cosine is None or fixed_evidence.best_cosine >= STRONG_COSINE
    if fixed_confidence is Confidence.STRONG and close:
        return TrustedAnswer(fixed.hits, fixed_confidence, fixed_evidence, language,
                             did_you_mean=slipped, searched_for=slipped,
                             unmatched_phrases=fixed.observed.unmatched_phrases)
    return answer


def _closer(new: Evidence, old: Evidence) -> bool:
    """Whether the new query's nearest passage is closer (or, words only, more words found)."""
    if new.best_cosine is not None and old.best_cosine is not None:
        return new.best_cosine > old.best_cosine
    return new.coverage > old.coverage
