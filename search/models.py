"""What a search returns: the retrieval method, hits and their passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from store.records import DocumentRecord


class Method(StrEnum):
    """How candidates are retrieved."""

    BM25 = "bm25"
    DENSE = "dense"
    HYBRID = "hybrid"
    RERANK = "rerank"


@dataclass(frozen=True)
class Passage:
    """One retrieved chunk of a hit, with where it comes from."""

    chunk_id: str
    text: str
    score: float
    heading_path: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    snippet: str = ""


@dataclass(frozen=True)
class Hit:
    """A document answering a query, with its best passages."""

    document: DocumentRecord
    score: float
    passages: tuple[Passage, ...] = field(default_factory=tuple)
    cosine: float | None = None  # its nearest passage's closeness to the query, when known
