"""Grouping queries by meaning, and naming the groups without exposing anyone's words.

Pure functions over unit-normalised query embeddings (one row per distinct text):

- `group`: average-linkage agglomerative clustering on cosine distance, cut at a distance
  threshold (scikit-learn). Clustering costs the square of the texts, so past `max_texts` the
  most asked are clustered and the rest join the nearest group's centroid when close enough
  (else each stands alone).
- `label`: the group's most distinctive words, c-TF-IDF style (a word's weight in the group,
  times the log of how much rarer it is across all groups), counting only words that at
  least `min_searchers` different searchers used, so no label repeats one person's words.
- `verbatim`: which texts may be shown as typed: those that, with their close variants
  (cosine >= `close`), were asked by at least `min_searchers` different searchers.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from bm25s.stopwords import STOPWORDS_EN

from store.embedder import Vectors

THRESHOLD = 0.66  # cosine distance at which groups stop merging (bench/insights.py)
CLOSE = 0.85  # cosine similarity at which two texts count as variants of one question
MAX_TEXTS = 2000  # texts clustered at most (3,000 took 4x as long); the rest join the nearest
LABEL_WORDS = 3

_PLACEHOLDER = re.compile(r"\[[^\]]*\]")  # what the personal-data guard put in
_WORD = re.compile(r"[a-z][a-z'-]*[a-z]")
_STOPWORDS = frozenset(STOPWORDS_EN) | {
    "how", "what", "when", "why", "who", "can", "could", "should", "would", "do", "does",
    "help", "helping", "ways", "way", "tips", "ideas", "get", "need", "someone", "something",
}


@dataclass(frozen=True)
class Asked:
    """One distinct query text: its embedding, how often it was asked and by whom."""

    text: str
    vector: Vectors
    count: int
    searchers: frozenset[str]  # pseudonyms; empty for searches without a session


def words(text: str) -> list[str]:
    """The content words of a query, placeholders and stop words left out."""
    return [w for w in _WORD.findall(_PLACEHOLDER.sub(" ", text.lower()))
            if w not in _STOPWORDS]


def group(vectors: Vectors, counts: Sequence[int], threshold: float = THRESHOLD,
          max_texts: int = MAX_TEXTS) -> list[int]:
    """A group number for each row of `vectors` (unit length); groups are numbered from 0."""
    n = len(vectors)
    if n == 0:
        return []
    if n == 1:
        return [0]
    order = sorted(range(n), key=lambda i: -counts[i])
    core, rest = order[:max_texts], order[max_texts:]
    labels = [-1] * n
    if len(core) == 1:
        labels[core[0]] = 0
    else:
        from sklearn.cluster import AgglomerativeClustering

        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=threshold)
        for i, found in zip(core, model.fit_predict(vectors[core]), strict=True):
            labels[i] = int(found)
    if rest:
        known = max(labels) + 1
        centroids = np.stack([vectors[[i for i in core if labels[i] == g]].mean(axis=0)
                              for g in range(known)])
        centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
        similarity = vectors[rest] @ centroids.T
        nearest = similarity.argmax(axis=1)
        for row, i in enumerate(rest):
            if similarity[row, nearest[row]] >= 1 - threshold:
                labels[i] = int(nearest[row])
            else:
                labels[i] = known
                known += 1
    return labels


def verbatim(members: Sequence[Asked], min_searchers: int, close: float = CLOSE) -> list[bool]:
    """For each text of one group: may it be shown as typed?"""
    if not members:
        return []
    vectors = np.stack([m.vector for m in members])
    similar = vectors @ vectors.T >= close
    shown = []
    for i in range(len(members)):
        askers: set[str] = set()
        for j in np.flatnonzero(similar[i]):
            askers |= members[int(j)].searchers
        shown.append(len(askers) >= min_searchers)
    return shown


def labels(groups: Sequence[Sequence[Asked]], min_searchers: int,
           n_words: int = LABEL_WORDS) -> list[list[str]]:
    """The most distinctive words of each group that enough different searchers used."""
    weights: list[Counter[str]] = []
    users: list[dict[str, set[str]]] = []
    for members in groups:
        counted: Counter[str] = Counter()
        used: dict[str, set[str]] = {}
        for asked in members:
            for word in set(words(asked.text)):
                counted[word] += asked.count
                used.setdefault(word, set()).update(asked.searchers)
        weights.append(counted)
        users.append(used)
    overall: Counter[str] = Counter()
    for counted in weights:
        overall.update(counted)
    total = sum(overall.values()) or 1
    average = total / max(len(groups), 1)
    named = []
    for counted, used in zip(weights, users, strict=True):
        size = sum(counted.values()) or 1
        scored = {w: (n / size) * math.log(1 + average / overall[w]) for w, n in counted.items()
                  if len(used[w]) >= min_searchers}
        named.append(sorted(scored, key=lambda w: (-scored[w], w))[:n_words])
    return named

