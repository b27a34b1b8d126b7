"""Questions about the latest meeting: notice them, and favour the most recent documents.

"what did we decide last session about transitions" should put the newest meeting first,
not the one whose words match best. Pure functions: the retriever applies them to its own
candidates (best first) once it knows their dates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

_RECENT = re.compile(
    r"\b(?:latest|newest|most\s+recent(?:ly)?|recent(?:ly)?|last\s+(?:session|meeting|time|"
    r"week|month|term|catch[\s-]?up|get[\s-]?together|cop|gathering|call)s?|"
    r"(?:this|past)\s+(?:week|month|term)|just\s+(?:met|decided|agreed)|"
    r"previous\s+(?:session|meeting))\b",
    re.I,
)

RECENCY_WEIGHT = 0.5  # how far the newest candidate moves up, in units of the top score
HEAD = 30  # only the best candidates are reordered: recency never lifts a poor match


def wants_recent(query: str) -> bool:
    """The query asks about the latest meeting or what is new."""
    return bool(_RECENT.search(query))


def favour_recent(
    ranking: Sequence[tuple[str, float]], dates: Mapping[str, str | None],
    weight: float = RECENCY_WEIGHT, head: int = HEAD,
) -> list[tuple[str, float]]:
    """The ranking with dated documents lifted by how recent they are among the head.

    Each of the first `head` documents gets `weight * top score * r`, where r runs from 1
    for the newest date to 0 for the oldest; undated documents get nothing. The rest of the
    ranking keeps its order below.
    """
    top = list(ranking[:head])
    if not top:
        return list(ranking)
    ordered = sorted({d for d in (dates.get(k) for k, _ in top) if d})
    if len(ordered) < 2:
        return list(ranking)
    position = {d: i / (len(ordered) - 1) for i, d in enumerate(ordered)}
    best = max(abs(s) for _, s in top) or 1.0
    lifted = [(k, s + weight * best * position.get(dates.get(k) or "", 0.0)) for k, s in top]
    lifted.sort(key=lambda kv: -kv[1])
    floor = min(s for _, s in lifted)
    rest = [(k, min(s, floor - 1e-9 * (i + 1))) for i, (k, s) in enumerate(ranking[head:])]
    return lifted + rest
