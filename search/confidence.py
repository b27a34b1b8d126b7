"""How far a search's answer can be trusted: strong, weak, or none.

Fused scores are relative, not evidence: they look the same for an off-topic query as for
a good one. The nearest chunk's cosine similarity does separate them, and the share of the
query's words the hub knows at all backs it up. A moderately close passage is strong only
when one of the best documents also holds at least half of the query's words: "dog barks
all night at the neighbours" comes near a note about nights in residential care, but no
document is about dogs and neighbours. Thresholds were calibrated on
bench/practitioner_queries.jsonl (bench/practitioner.py prints the shares); re-measure them
there whenever ranking, chunking or the model changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

# --- thresholds: all in one place, re-measured with bench/practitioner.py ------------------
ALONE_COSINE = 0.50  # the nearest passage is this close: a strong answer on its own
STRONG_COSINE = 0.40  # this close, and a best document holds half the query's words: strong
SUPPORTED_COSINE = 0.30  # ... or this close, and nearly every query word is in the hub too
IN_ONE_DOCUMENT = 0.5  # "half the query's words" in one of the best three documents
FULL_COVERAGE = 0.9  # "nearly every query word" (share of the query's index terms)
NONE_COSINE = 0.25  # below this nothing in the hub is about the query
WORDS_ONLY_COVERAGE = 0.9  # without meaning (no vectors), words alone can be strong


class Confidence(StrEnum):
    STRONG = "strong"
    WEAK = "weak"
    NONE = "none"


@dataclass(frozen=True)
class Evidence:
    """What a search observed about a query, cheap to get."""

    best_cosine: float | None  # nearest visible passage's cosine; None when dense did not run
    coverage: float  # share of the query's index terms found in documents the caller sees
    english: bool = True  # False when the query is clearly in another language
    # the largest share of the query's index terms that one of the best three documents holds
    in_one_document: float = 1.0


def judge(evidence: Evidence) -> Confidence:
    """Strong, weak or none, from the evidence alone (a pure function)."""
    if evidence.coverage == 0.0 and (evidence.best_cosine or 0.0) < STRONG_COSINE:
        found = Confidence.NONE
    elif evidence.best_cosine is None:
        found = Confidence.STRONG if evidence.coverage >= WORDS_ONLY_COVERAGE else Confidence.WEAK
    elif evidence.best_cosine >= ALONE_COSINE or (
        evidence.in_one_document >= IN_ONE_DOCUMENT and (
            evidence.best_cosine >= STRONG_COSINE
            or (evidence.best_cosine >= SUPPORTED_COSINE
                and evidence.coverage >= FULL_COVERAGE))
    ):
        found = Confidence.STRONG
    elif evidence.best_cosine < NONE_COSINE:
        found = Confidence.NONE
    else:
        found = Confidence.WEAK
    if not evidence.english:  # the model reads English: at best a partial answer
        return Confidence.WEAK if found is Confidence.STRONG else Confidence.NONE
    return found

