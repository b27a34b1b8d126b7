"""Questions about the latest meeting: notice them, and favour the most recent documents.

"what did we decide last session about transitions" should put the newest meeting first,
not the one whose words match best. Pure functions: the retriever applies them to its own
candidates (best first) once it knows their dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from search.fusion import Normalisation, normalise

_RECENT = re.compile(
    r"\b(?:latest|newest|most\s+recent(?:ly)?|recent(?:ly)?|last\s+(?:session|meeting|time|"
    r"week|month|term|catch[\s-]?up|get[\s-]?together|cop|gathering|call)s?|"
    r"(?:this|past)\s+(?:week|month|term)|just\s+(?:met|decided|agreed)|"
    r"previous\s+(?:session|meeting))\b",
    re.I,
)

RECENCY_WEIGHT = 1.0  # the newest note gains this, on a 0-1 scale of relevance in the head
HEAD = 10  # only the best candidates are reordered: recency never lifts a poor match
CLOSE = 0.3  # within the head, only documents at least this relevant (0-1) take part


def wants_recent(query: str) -> bool:
    """The query asks about the latest meeting or what is new."""
    return bool(_RECENT.search(query))


def favour_recent(
    ranking: Sequence[tuple[str, float]], dates: Mapping[str, str | None],
    weight: float = RECENCY_WEIGHT, head: int = HEAD,
) -> list[tuple[str, float]]:
    """The ranking with its best matches reordered by relevance and recency.

    Relevance is rescaled to 0-1 within the first `head` documents (whatever the fusion's
    scale); those at least `CLOSE` relevant take part: each dated one adds `weight * r`,
    where r runs from 0 for the oldest of their dates to 1 for the newest; undated ones add
    nothing. A newer meeting on another subject is not close, so it does not jump ahead.
    Everything else keeps its order below, and the scores keep their scale.
    """
    top = list(ranking[:head])
    if not top:
        return list(ranking)
    relevance = normalise(top, Normalisation.MINMAX)
    close = [(k, relevance[k]) for k, _ in top if relevance[k] >= CLOSE]
    ordered = sorted({d for d in (dates.get(k) for k, _ in close) if d})
    if len(ordered) < 2:
        return list(ranking)
    position = {d: i / (len(ordered) - 1) for i, d in enumerate(ordered)}
    blended = sorted(close, key=lambda kv: -(kv[1] + weight * position.get(
        dates.get(kv[0]) or "", 0.0)))
    scores = [s for _, s in top[: len(close)]]  # the close ones are the head's first
    return [(k, score) for (k, _), score in zip(blended, scores, strict=True)] + list(
        ranking[len(close):])
