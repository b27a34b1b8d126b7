"""Which passages of a hit to show first: content before citations, reference lists and
bare headings, which match many queries (titles, authors) but answer none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from search.models import Passage

# Sections that hold references whatever their text looks like.
REFERENCE_HEADINGS = re.compile(
    r"(?:references?|bibliography|citations?|works cited|"
    r"(?:further|related|recommended|suggested) readings?|reading list)",
    re.IGNORECASE,
)
# Marks of a reference: each match is one cue.
_CUES = re.compile(
    r"\(\s*(?:1[89]|20)\d\d[a-z]?\s*\)"  # (1998)  (2011a)
    r"|\b[A-Z][\w'\u2019-]+,\s+(?:[A-Z]\.\s*){1,3}"  # Wenger, E.   Masten, A. S.
    r"|&\s+[A-Z][\w'\u2019-]+,"  # & Rollnick,
    r"|\bet al\."
    r"|\bdoi\b|https?://"
    r"|\b\d+\s*\(\d+\)\s*,\s*e?\d+"  # 56(3), 227   129(1), e232
    r"|\bpp?\.\s*\d+"
    r"|\((?:Eds?\.|\d+(?:st|nd|rd|th) ed\.)\)"
    r"|\b(?:University Press|Press|Publishing|Publishers|Books|Journal|Routledge|Guilford"
    r"|Sage|Wiley|Springer|Elsevier)\b"
)
_WORD = re.compile(r"\w+")
CUE_WEIGHT = 5.0  # one cue in five words reads as a reference entry
MIN_WORDS = 8  # fewer words than this is a bare heading or a fragment
WEAK = 0.5  # from this likeness on, a passage is shown after the content passages


def reference_likeness(text: str, heading_path: Sequence[str] = ()) -> float:
    """0 for prose, 1 for a reference list, a citation line, a bare heading or nothing.

    A passage under a references heading is one; otherwise the density of reference cues
    (a year in brackets, "Surname, A.", "et al.", a DOI, "56(3), 227", a publisher) decides,
    so a citation followed by paragraphs of summary still reads as content.
    """
    if heading_path and REFERENCE_HEADINGS.fullmatch(heading_path[-1].strip()):
        return 1.0
    words = len(_WORD.findall(text))
    if words < MIN_WORDS:
        return 1.0
    return min(1.0, CUE_WEIGHT * len(_CUES.findall(text)) / words)


def content_first(passages: Sequence[Passage]) -> tuple[Passage, ...]:
    """The passages with reference-like ones moved after the rest, each group in its order.

    Nothing is dropped: when references are all a document matched, they are what it shows.
    """
    weak = [reference_likeness(p.text, p.heading_path) >= WEAK for p in passages]
    return tuple(
        [p for p, w in zip(passages, weak, strict=True) if not w]
        + [p for p, w in zip(passages, weak, strict=True) if w]
    )
