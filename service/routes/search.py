"""GET /api/search: grouped hits with passages, snippets and facets."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from search.facets import facet_counts
from search.models import Method
from search.spelling import speller_for
from search.trust import trusted_search
from service.deps import Caller, ReaderDep, RuntimeDep
from service.runtime import Runtime
from service.schemas import HitOut, SearchOut
from store.records import Filters, Kind

router = APIRouter(tags=["search"])


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"

FACET_DEPTH = 50
WORDS_ONLY = ("Search by meaning is unavailable just now, so these results only match your "
              "words. An administrator can restore it with `commons reindex`.")


def filters_from(
    caller: Caller, kind: Kind | None, community: str | None, tag: list[str] | None,
    date_from: date | None, date_to: date | None,
) -> Filters:
    """Filters from query parameters, always restricted to what the caller may see."""
    return Filters(
        viewer=caller.viewer,
        kind=kind, community=community or None, tags=tuple(t for t in tag or [] if t),
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )


@router.get("/search", response_model=SearchOut)
async def search_documents(
    runtime: RuntimeDep,
    caller: ReaderDep,
    q: Annotated[str, Query(max_length=1000, description="Plain-language query.")] = "",
    kind: Kind | None = None,
    community: str | None = None,
    tag: Annotated[list[str] | None, Query()] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    method: Annotated[Method | None, Query(description="Default: rerank if a reranker is "
                                             "configured, else hybrid.")] = None,
    as_typed: Annotated[bool, Query(description="Search the query as typed, never a "
                                    "spelling correction of it.")] = False,
    sort: Annotated[SortOrder, Query(description="relevance (best first) or date (the "
                                     "best k, newest first).")] = SortOrder.RELEVANCE,
) -> Response:
    """Documents answering the query, best first, each with up to three passages."""

    def answer_json() -> str:
        # made on a search thread, and already a SearchOut: no second validation
        found = answer(runtime, caller, q, kind, community, tag, date_from, date_to, k, method,
                       as_typed, sort)
        return found.model_dump_json()

    return Response(await runtime.on_search_thread(answer_json), media_type="application/json")


def answer(
    runtime: Runtime, caller: Caller, q: str, kind: Kind | None, community: str | None,
    tag: list[str] | None, date_from: date | None, date_to: date | None, k: int,
    method: Method | None, as_typed: bool = False, sort: SortOrder = SortOrder.RELEVANCE,
) -> SearchOut:
    """The search's answer (for the API, the web page and the command line)."""
    filters = filters_from(caller, kind, community, tag, date_from, date_to)
    notice = WORDS_ONLY if runtime.index.vector_error is not None else None
    if not q.strip():
        documents = runtime.index.catalog.documents(filters, sort="-date")
        return SearchOut(query=q, results=[], facets=facet_counts(documents), notice=notice)
    # facets count the first FACET_DEPTH documents; passages are read for the first k only
    options = runtime.search_options(k=max(k, FACET_DEPTH), passage_hits=k,
                                     method=method or runtime.default_method)
    speller = None if as_typed else speller_for(runtime.index.catalog)
    found = trusted_search(runtime.index, q, filters, options, runtime.reranker, speller)
    shown = found.hits[:k]
    if sort is SortOrder.DATE:  # the same answers, newest first (undated last)
        shown = sorted(shown, key=lambda h: h.document.date or "", reverse=True)
    return SearchOut(
        query=q,
        results=[HitOut.of(h) for h in shown],
        facets=facet_counts(h.document for h in found.hits),
        notice=" ".join(n for n in (notice, found.notice) if n) or None,
        confidence=found.confidence,
        did_you_mean=found.did_you_mean,
        searched_for=found.searched_for,
    )
