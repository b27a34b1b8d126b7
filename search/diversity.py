"""Maximal marginal relevance (Carbonell & Goldstein, 1998): a short list that adds something.

Each pick is the candidate with the best `LAMBDA * relevance - (1 - LAMBDA) * similarity` to
the nearest item already picked, so five notes of one meeting series give way to a slightly
less relevant document on another subject.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

LAMBDA = 0.5  # 1: by relevance alone; 0: as unlike each other as possible


def unit_rows(vectors: NDArray[np.floating]) -> NDArray[np.float64]:
    """Each row scaled to length 1 (a row of zeros stays zeros: like nothing)."""
    rows = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    unit: NDArray[np.float64] = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return unit


def relative(scores: Sequence[float]) -> list[float]:
    """Each score as a share of the best (0..1), to weigh against cosine similarities.

    Fused scores are on no fixed scale, and z-scores can be negative: they are first shifted
    so that the lowest would sit one spread below the candidates (never at 0, which min-max
    scaling would give the last candidate however close it came), then taken as a share of
    the best, which keeps their gaps in proportion.
    """
    if not scores:
        return []
    low, high = min(scores), max(scores)
    spread = (high - low) or 1.0
    shifted = [s - low + spread for s in scores]
    best = max(shifted)
    return [s / best for s in shifted]


def mmr(
    relevance: Sequence[float],
    vectors: NDArray[np.floating],
    k: int,
    lambda_: float = LAMBDA,
) -> list[int]:
    """Indices of up to `k` candidates in the order MMR picks them.

    `relevance` should be on the scale of a cosine similarity (0..1); `vectors` has one row per
    candidate and is compared by cosine. Ties go to the earlier candidate.
    """
    n = len(relevance)
    if len(vectors) != n:
        raise ValueError(f"{n} relevance scores but {len(vectors)} vectors")
    if n == 0 or k <= 0:
        return []
    rows = unit_rows(vectors)
    similarity = rows @ rows.T
    gain = np.asarray(relevance, dtype=np.float64)
    nearest = np.full(n, -np.inf)  # similarity to the nearest picked candidate
    free = np.ones(n, dtype=bool)
    picked: list[int] = []
    while len(picked) < min(k, n):
        penalty = np.where(np.isfinite(nearest), nearest, 0.0)
        score = lambda_ * gain - (1.0 - lambda_) * penalty
        score[~free] = -np.inf
        best = int(np.argmax(score))
        picked.append(best)
        free[best] = False
        nearest = np.maximum(nearest, similarity[best])
    return picked
