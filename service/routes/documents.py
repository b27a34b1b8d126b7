"""Documents: upload, list, read, download, change metadata, delete, related.

Each route translates HTTP to a call of service.operations.documents and its answer back.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse

from ingest.fields import LIMITS
from ingest.metadata import parse_list
from ingest.models import PiiDecision
from service.deps import JobsDep, ReaderDep, RuntimeDep, WriterDep
from service.operations import documents
from service.operations.documents import Queued, UploadRequest
from service.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentOut,
    ErrorOut,
    HitOut,
    JobOut,
    MetadataPatch,
    RelatedOut,
    UploadOut,
)
from store.jobs import JobRecord
from store.records import Kind, Visibility

router = APIRouter(prefix="/documents", tags=["documents"])

MAX_OFFSET = 1_000_000  # past every real hub's size; larger numbers overflow SQLite
MAX_LIST_CHARS = 5_000  # a comma-separated tags or authors field

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 404, 413, 415, 422)
}


@router.post(
    "", status_code=201, response_model=UploadOut,
    responses={**ERRORS, 200: {"model": UploadOut}, 202: {"model": JobOut}},
)
def upload_document(
    runtime: RuntimeDep,
    jobs: JobsDep,
    caller: WriterDep,
    file: Annotated[UploadFile, File(description="A .md, .txt, .pdf or .docx file.")],
    title: Annotated[str | None, Form(max_length=LIMITS.title)] = None,
    kind: Annotated[Kind | None, Form(description="Default: the file's own, else "
                                     "session-note.")] = None,
    community: Annotated[str | None, Form(max_length=LIMITS.community)] = None,
    tags: Annotated[str | None, Form(max_length=MAX_LIST_CHARS,
                                     description="Comma-separated.")] = None,
    date: Annotated[date | None, Form()] = None,
    authors: Annotated[str | None, Form(max_length=MAX_LIST_CHARS,
                                        description="Comma-separated roles or names.")] = None,
    visibility: Annotated[Visibility | None, Form(
        description="public, community (members of its community) or private (you and "
        "admins). Default: the file's own, else its kind's default (COMMONS_NOTE_VISIBILITY: "
        "community; COMMONS_PRACTICE_VISIBILITY and COMMONS_READING_VISIBILITY: public); a "
        "note with no community is public.")] = None,
    pii: Annotated[PiiDecision | None, Form(
        description="If the document holds personal data: redact it, or keep it as it is. "
        "Without a choice the hub's policy applies (COMMONS_PII_POLICY).")] = None,
) -> Any:
    """Upload a document; 201 once searchable, 200 if it was already here, 202 for big files."""
    data = documents.read_limited(file.file, file.filename or "", runtime.settings.max_upload_mb)
    request = UploadRequest(
        filename=file.filename or "", data=data, title=title, kind=kind, community=community,
        tags=parse_list(tags) if tags else None,
        authors=parse_list(authors) if authors else None, date=date, visibility=visibility,
        pii=pii,
    )
    done = documents.upload(runtime, jobs, caller, request)
    if isinstance(done, Queued):
        return _accepted(done.job)
    assert done.result.document is not None
    body = UploadOut(**DocumentOut.of(done.result.document).model_dump(),
                     duplicate=done.duplicate)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if done.duplicate else 201)


def _accepted(job: JobRecord) -> JSONResponse:
    body = JobOut.of(job)
    return JSONResponse(body.model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/jobs/{job.id}"})


@router.get("", response_model=DocumentList)
def list_documents(
    runtime: RuntimeDep,
    caller: ReaderDep,
    kind: Kind | None = None,
    community: str | None = None,
    tag: Annotated[list[str] | None, Query()] = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: Annotated[str, Query(pattern="^(title|date|-date|added)$")] = "title",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> DocumentList:
    """Documents by kind, community, tag and date; sorted by title, date, -date or added."""
    filters = documents.document_filters(kind, community, tag or (), date_from, date_to)
    items, total = documents.list_documents(runtime, caller, filters, sort=sort, limit=limit,
                                            offset=offset)
    return DocumentList.of(items, total, offset, limit)


@router.get("/{doc_id}", response_model=DocumentDetail, responses=ERRORS)
def get_document(runtime: RuntimeDep, caller: ReaderDep, doc_id: str) -> DocumentDetail:
    """Metadata and the document's sections (with their page for PDFs)."""
    return DocumentDetail.with_sections(*documents.read_document(runtime, caller, doc_id))


@router.get("/{doc_id}/file", responses=ERRORS, response_class=Response)
def download_original(runtime: RuntimeDep, caller: ReaderDep, doc_id: str) -> Response:
    """The original file, as an attachment."""
    doc, data = documents.download(runtime, caller, doc_id)
    media = doc.media_type + ("; charset=utf-8" if doc.media_type.startswith("text/") else "")
    return Response(
        data, media_type=media,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(doc.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.patch("/{doc_id}", response_model=DocumentOut, responses={**ERRORS, 403: {
    "model": ErrorOut}})
def patch_document(
    runtime: RuntimeDep, caller: WriterDep, doc_id: str, patch: MetadataPatch
) -> DocumentOut:
    """Change title, kind, community, tags, authors, date or visibility; no re-embedding.

    null clears community, tags, authors or date.
    """
    return DocumentOut.of(documents.change(runtime, caller, doc_id,
                                           patch.model_dump(exclude_unset=True)))


@router.delete("/{doc_id}", status_code=204, responses=ERRORS)
def delete_document(runtime: RuntimeDep, caller: WriterDep, doc_id: str) -> Response:
    """Move a document to the trash: out of every index at once, restorable for
    COMMONS_TRASH_DAYS days (POST /api/trash/{id}/restore)."""
    documents.delete(runtime, caller, doc_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{doc_id}/related", response_model=RelatedOut, responses=ERRORS)
def related_documents(
    runtime: RuntimeDep, caller: ReaderDep, doc_id: str, kind: Kind | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> RelatedOut:
    """The documents nearest to this one, optionally of one kind."""
    hits = documents.related(runtime, caller, doc_id, kind=kind, k=k)
    return RelatedOut(id=doc_id, results=[HitOut.of(h) for h in hits])
