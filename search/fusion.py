"""Rank fusion of lexical and dense candidate lists."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

Ranking = Sequence[tuple[str, float]]

RRF_K = 60


class FusionMode(StrEnum):
    RRF = "rrf"
    CONVEX = "convex"


def reciprocal_rank_fusion(
    rankings: Sequence[Ranking], weights: Sequence[float] | None = None, k: int = RRF_K
) -> list[tuple[str, float]]:
    """Sum of weight / (k + rank) over the lists in which an item appears, best first."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (key, _) in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def _min_max(ranking: Ranking) -> dict[str, float]:
    if not ranking:
        return {}
    values = [s for _, s in ranking]
    low, high = min(values), max(values)
    span = high - low or 1.0
    return {key: (score - low) / span for key, score in ranking}


def convex_fusion(
    rankings: Sequence[Ranking], weights: Sequence[float] | None = None
) -> list[tuple[str, float]]:
    """Weighted sum of min-max normalised scores; an item missing from a list scores 0 there."""
    weights = weights or [1.0] * len(rankings)
    scores: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for key, value in _min_max(ranking).items():
            scores[key] = scores.get(key, 0.0) + weight * value
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(
    rankings: Sequence[Ranking],
    mode: FusionMode = FusionMode.RRF,
    weights: Sequence[float] | None = None,
) -> list[tuple[str, float]]:
    if mode is FusionMode.CONVEX:
        return convex_fusion(rankings, weights)
    return reciprocal_rank_fusion(rankings, weights)
