"""JSON routes: each reads its parameters, calls one function of search or ingest, shapes it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from search.models import Filters, Hit, Kind
from search.retrieval import search

router = APIRouter(prefix="/api")


def _hit(hit: Hit) -> dict[str, Any]:
    doc = hit.document
    return {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind.value,
        "source": doc.source,
        "score": hit.score,
        "passages": [
            {
                "text": p.text,
                "snippet": p.snippet,
                "heading_path": list(p.heading_path),
                "page_start": p.page_start,
                "page_end": p.page_end,
            }
            for p in hit.passages
        ],
    }


@router.get("/health")
def health(request: Request) -> dict[str, Any]:
    runtime = request.app.state.runtime
    return {
        "status": "ok",
        "model": runtime.index.embedder.name,
        "documents": runtime.index.catalog.count(),
        "chunks": runtime.index.catalog.chunk_count(),
    }


@router.get("/search")
def search_documents(
    request: Request,
    q: Annotated[str, Query(max_length=1000)] = "",
    kind: Kind | None = None,
    community: str | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    runtime = request.app.state.runtime
    filters = Filters(kind=kind, community=community)
    hits = search(runtime.index, q, filters, runtime.search_options(k=k))
    return {"query": q, "results": [_hit(h) for h in hits]}
