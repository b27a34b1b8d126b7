"""GET /api/search: grouped hits with passages, snippets and facets."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from search.listing import LIST_DEPTH
from search.models import Method
from service.deps import Caller, CredentialDep, ReaderDep, RuntimeDep
from service.operations import searching
from service.operations.searching import SearchRequest, SortOrder
from service.runtime import Runtime
from service.schemas import HitOut, SearchOut
from store.records import Kind

router = APIRouter(tags=["search"])


@router.get("/search", response_model=SearchOut)
async def search_documents(
    runtime: RuntimeDep,
    caller: ReaderDep,
    credential: CredentialDep,
    q: Annotated[str, Query(max_length=1000, description="Plain-language query.")] = "",
    kind: Kind | None = None,
    community: str | None = None,
    tag: Annotated[list[str] | None, Query()] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
    offset: Annotated[int, Query(ge=0, le=LIST_DEPTH, description="Skip this many of the "
                                 "listed documents (the next page starts at offset + k).")] = 0,
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
                       as_typed, sort, offset, credential)
        return found.model_dump_json()

    return Response(await runtime.on_search_thread(answer_json), media_type="application/json")


def answer(
    runtime: Runtime, caller: Caller, q: str, kind: Kind | None, community: str | None,
    tag: list[str] | None, date_from: date | None, date_to: date | None, k: int,
    method: Method | None, as_typed: bool = False, sort: SortOrder = SortOrder.RELEVANCE,
    offset: int = 0, credential: str | None = None,
) -> SearchOut:
    """The search's answer in the API's shape (service.operations.searching does the work)."""
    found = searching.search(runtime, caller, SearchRequest(
        q, kind=kind, community=community, tags=tuple(tag or ()), date_from=date_from,
        date_to=date_to, k=k, offset=offset, method=method, as_typed=as_typed, sort=sort),
        credential)
    return SearchOut(
        query=q, results=[HitOut.of(h) for h in found.hits], facets=found.facets,
        notice=found.notice, confidence=found.confidence, did_you_mean=found.did_you_mean,
        searched_for=found.searched_for, total=found.total, offset=found.offset,
        search_id=found.search_id,
    )
