"""Search as a practitioner asks it: the caller's view only, judged, spelled, sorted."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from search.confidence import Confidence
from search.facets import facet_counts
from search.listing import LIST_DEPTH, every_word_documents, listed
from search.models import Hit, Method
from search.retrieval import diverse
from search.spelling import speller_for
from search.trust import trusted_search
from service.accounts import Caller
from service.operations import insights
from service.operations.documents import document_filters
from service.runtime import Runtime
from store.records import Filters, Kind

WORDS_ONLY = ("Search by meaning is unavailable just now, so these results only match your "
              "words. An administrator can restore it with `commons reindex`.")
READING_CANDIDATES = 12  # related readings are chosen from this many


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


@dataclass(frozen=True)
class SearchRequest:
    query: str
    kind: Kind | None = None
    community: str | None = None
    tags: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    k: int = 10
    offset: int = 0  # the first listed document to return (paging through the answer)
    method: Method | None = None  # None: the hub's default (rerank if configured, else hybrid)
    as_typed: bool = False  # never search a spelling correction instead
    sort: SortOrder = SortOrder.RELEVANCE

    def filters(self, caller: Caller) -> Filters:
        """The request's filters, always restricted to what the caller may see."""
        chosen = document_filters(self.kind, self.community, self.tags, self.date_from,
                                  self.date_to)
        return replace(chosen, viewer=caller.viewer)


@dataclass(frozen=True)
class SearchAnswer:
    query: str
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # counts by kind, community, tags and year
    notice: str | None = None
    confidence: Confidence = Confidence.NONE
    did_you_mean: str | None = None
    searched_for: str | None = None
    total: int = 0  # documents that match well enough to list (at most LIST_DEPTH)
    offset: int = 0
    search_id: str | None = None  # the kept record of this search (feedback names it)

    @property
    def more(self) -> bool:
        """Whether listed documents follow this page."""
        return self.offset + len(self.hits) < self.total and self.confidence is not \
            Confidence.NONE


def search(runtime: Runtime, caller: Caller, request: SearchRequest,
           credential: str | None = None, kept: str | None = None) -> SearchAnswer:
    """Documents answering the query, best first (or newest first), with confidence.

    The first page of an answer is kept for the facilitators' view (redacted, no identity:
    service.operations.insights); `credential` is the secret of the searcher's session (its
    cookie or bearer token), of which only a keyed hash is kept; `kept`: this session's record
    of the same search, reused."""
    filters = request.filters(caller)
    notice = WORDS_ONLY if runtime.index.vector_error is not None else None
    if not request.query.strip():
        documents = runtime.index.catalog.documents(filters, sort="-date")
        return SearchAnswer(request.query, [], facet_counts(documents), notice)
    # the whole answer is ranked (for its count and facets); passages up to this page (all,
    # when newest first: any of them may come first)
    reach = LIST_DEPTH if request.sort is SortOrder.DATE else request.offset + request.k
    options = runtime.search_options(k=LIST_DEPTH, passage_hits=reach, snippet_hits=reach,
                                     method=request.method or runtime.default_method)
    speller = None if request.as_typed else speller_for(runtime.index.catalog)
    found = trusted_search(runtime.index, request.query, filters, options, runtime.reranker,
                           speller)
    if found.confidence is Confidence.NONE:  # nothing listed: the nearest few, to fold away
        answer, total, offset = found.hits[: request.k], 0, 0
    else:
        searched = found.searched_for or request.query
        answer = listed(found.hits, every_word_documents(runtime.index, searched,
                                                             Filters(viewer=caller.viewer)),
                        by_meaning=found.evidence.best_cosine is not None)
        total, offset = len(answer), request.offset
    if request.sort is SortOrder.DATE:  # the same answers, newest first (undated last)
        answer = sorted(answer, key=lambda h: h.document.date or "", reverse=True)
    page = answer[offset: offset + request.k]
    search_id = None if offset else insights.record_search(
        runtime, caller, request.query, found.confidence, [h.document.id for h in page],
        credential, kept)
    return SearchAnswer(
        request.query, page,
        facet_counts(h.document for h in answer),
        notice=" ".join(n for n in (notice, found.notice) if n) or None,
        confidence=found.confidence, did_you_mean=found.did_you_mean,
        searched_for=found.searched_for, total=total, offset=offset, search_id=search_id,
    )


def related_readings(runtime: Runtime, caller: Caller, query: str, shown: list[str],
                     k: int = 3) -> list[Hit]:
    """Readings on the query that the results do not show already, none a near-copy of another.

    A dozen candidates, of which maximal marginal relevance keeps `k` (search.diversity).
    """
    filters = Filters(kind=Kind.READING, viewer=caller.viewer, exclude_doc_ids=tuple(shown))
    candidates = runtime.search(query, filters, k=READING_CANDIDATES, snippets=False,
                                passage_hits=0)
    return diverse(runtime.index, candidates, k)

