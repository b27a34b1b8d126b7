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


class Normalisation(StrEnum):
    """How convex fusion puts the retrievers' scores on one scale."""

    MINMAX = "minmax"  # (s - min) / (max - min) over the candidates
    MAX = "max"  # s / max: keeps how far below the best each candidate is
    ZSCORE = "zscore"  # (s - mean) / standard deviation
    NONE = "none"  # as the retriever scored it (cosine similarity already is on 0-1)


def normalise(ranking: Ranking, how: Normalisation = Normalisation.MINMAX) -> dict[str, float]:
    """Scores of one retriever's candidates on a common scale (the best is highest)."""
    if not ranking:
        return {}
    values = [s for _, s in ranking]
    if how is Normalisation.NONE:
        return dict(ranking)
    if how is Normalisation.MAX:
        top = max(values)
        return {key: score / top if top > 0 else 1.0 for key, score in ranking}
    if how is Normalisation.ZSCORE:
        centre = sum(values) / len(values)
        spread = (sum((v - centre) ** 2 for v in values) / len(values)) ** 0.5 or 1.0
        return {key: (score - centre) / spread for key, score in ranking}
    low, high = min(values), max(values)
    if high == low:
        return dict.fromkeys((key for key, _ in ranking), 1.0)
    return {key: (score - low) / (high - low) for key, score in ranking}


def convex_fusion(
    rankings: Sequence[Ranking], weights: Sequence[float] | None = None,
    how: Normalisation | Sequence[Normalisation] = Normalisation.MINMAX,
) -> list[tuple[str, float]]:
    """Weighted sum of normalised scores (`how`: one normalisation, or one per list); an item
    missing from a list gets that list's lowest normalised score (it ranked below every
    candidate there)."""
    weights = weights or [1.0] * len(rankings)
    hows = [how] * len(rankings) if isinstance(how, Normalisation) else list(how)
    tables = [normalise(r, h) for r, h in zip(rankings, hows, strict=True)]
    floors = [min(t.values(), default=0.0) for t in tables]
    keys = {key for table in tables for key in table}
    scores = {
        key: sum(w * t.get(key, floor) for t, w, floor in zip(tables, weights, floors,
                                                                strict=True))
        for key in keys
    }
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def fuse(
    rankings: Sequence[Ranking],
    mode: FusionMode = FusionMode.RRF,
    weights: Sequence[float] | None = None,
    how: Normalisation | Sequence[Normalisation] = Normalisation.MINMAX,
    rrf_k: int = RRF_K,
) -> list[tuple[str, float]]:
    if mode is FusionMode.CONVEX:
        return convex_fusion(rankings, weights, how)
    return reciprocal_rank_fusion(rankings, weights, rrf_k)
