"""Pseudo-relevance feedback: words the best lexical matches share, searched for as well.

A short query often misses the words its answers use ("flow over a wing" where the answers
say "boundary layer" and "airfoil"). The best few lexical matches are mostly on topic, so
the words they use most are a cheap second query; its scores are added, at a weight, to the
first query's (in the spirit of RM3, Lavrenko and Croft 2001; Abdul-Jaleel et al. 2004).
A long request already says what it means and feedback can drift from it, so the weight
may fall past a number of terms. Weight 0.2, ten documents and ten words, the same for
every query, is the setting with the best mean nDCG@10 over SciFact, Cranfield, CISI and
the practitioner queries, with the dense leg's feedback on (bench/fusion.py; the table is
in docs/benchmarks.md). The fall past ten terms, which was best at weight 0.3 before the
dense leg had feedback, is not part of it. Words more than a fifth of the chunks hold are
not added (measured at shares 0.5, 0.2, 0.1, 0.07 and 0.03 of the chunks: 0.2 has the best
mean over SciFact train, Cranfield, CISI and the practitioner queries; docs/benchmarks.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from search.fusion import Ranking


@dataclass(frozen=True)
class Feedback:
    """How much feedback the lexical leg of a search takes; weight 0 turns it off."""

    documents: int = 10  # best lexical matches read for feedback words
    terms: int = 10  # words added as a second query
    # words more than this share of the chunks hold are not added: they say little of the
    # topic (BM25 gives a word in over half the chunks no weight at all) and make every
    # chunk one to score, which at 100k chunks cost most of a search's time
    common: float = 0.2
    weight: float = 0.2  # of the second query's scores
    # queries longer than this many terms get proportionally less; None: the same for all
    full_weight_terms: int | None = None


@dataclass(frozen=True)
class DenseFeedback:
    """The dense leg's feedback: the query's vector moved toward its nearest chunks.

    Rocchio's method on embeddings (as in vector pseudo-relevance feedback, Li et al. 2021):
    the query's vector plus `weight` times the mean of its `chunks` nearest chunks' vectors,
    searched again. It finds passages that say what the nearest ones say in other words.
    Three chunks at weight 0.3, with lexical feedback at 0.2 and fusion's dense weight at
    0.6, is the setting with the best mean nDCG@10 over SciFact, Cranfield, CISI and the
    practitioner queries of all those measured (bench/fusion.py; the tables are in
    docs/benchmarks.md).
    """

    chunks: int = 3
    weight: float = 0.3


def rocchio(query: np.ndarray, nearest: np.ndarray, weight: float) -> np.ndarray:
    """The query's unit vector moved toward the mean of `nearest` (rows), unit length again."""
    if not len(nearest) or weight <= 0:
        return query
    moved = query + weight * nearest.mean(axis=0)
    norm = float(np.linalg.norm(moved))
    return (moved / norm).astype(np.float32) if norm > 0 else query


def expansion_terms(
    top: Sequence[tuple[Sequence[str], float]], query: Collection[str], count: int
) -> list[str]:
    """The `count` words most used by the best matches (weighted by score), not in the query.

    `top` holds each match's analysed terms with its BM25 score, best first. A match's
    weight falls exponentially with its score's distance from the best, and each word
    counts by its share of the match's words, so one long chunk does not dominate.
    """
    if not top or count <= 0:
        return []
    best = max(score for _, score in top)
    weights: dict[str, float] = {}
    for terms, score in top:
        if not terms:
            continue
        share = math.exp(score - best) / len(terms)
        for term, n in Counter(terms).items():
            if term not in query:
                weights[term] = weights.get(term, 0.0) + share * n
    ranked = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))
    return [term for term, _ in ranked[:count]]


def informative(terms: Sequence[str], frequencies: Mapping[str, int], chunks: int,
                share: float) -> list[str]:
    """The terms, in order, without those more than `share` of the chunks hold."""
    return [t for t in terms if frequencies.get(t, 0) <= share * chunks]


def weight_for(feedback: Feedback, query_terms: int) -> float:
    """The feedback weight for a query of this many distinct terms."""
    if query_terms <= 0:
        return 0.0
    if feedback.full_weight_terms is None:
        return feedback.weight
    return feedback.weight * min(1.0, feedback.full_weight_terms / query_terms)


def combine(first: Ranking, second: Ranking, weight: float, limit: int) -> list[tuple[str, float]]:
    """First-query scores plus `weight` times the feedback query's, best first."""
    scores: dict[str, float] = {}
    for key, score in first:
        scores[key] = score
    for key, score in second:
        scores[key] = scores.get(key, 0.0) + weight * score
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def top_terms(ranking: Ranking, terms: Mapping[str, Sequence[str]]
              ) -> list[tuple[Sequence[str], float]]:
    """The matches of `ranking` paired with their analysed terms, in ranking order."""
    return [(terms[key], score) for key, score in ranking if key in terms]
