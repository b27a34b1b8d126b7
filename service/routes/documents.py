"""Documents: upload, list, read, download, change metadata, delete, related."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse

from ingest import fields
from ingest.errors import FileTooLarge, MetadataError, UnsupportedFileType
from ingest.fields import LIMITS
from ingest.loaders.pdf import MAX_PAGES
from ingest.metadata import parse_list
from ingest.models import IngestResult, Outcome, Overrides
from ingest.uploads import pdf_page_count, safe_filename, saved_overrides, upload_item
from search.retrieval import related
from service.deps import Caller, JobsDep, ReaderDep, RuntimeDep, WriterDep, visible_document
from service.errors import status_for
from service.jobs import JobQueue
from service.routes.search import filters_from
from service.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentOut,
    ErrorOut,
    HitOut,
    JobOut,
    MetadataPatch,
    RelatedOut,
    SectionOut,
    UploadOut,
)
from store.jobs import JobRecord
from store.records import DocumentRecord, Filters, Kind, Visibility

router = APIRouter(prefix="/documents", tags=["documents"])

MAX_OFFSET = 1_000_000  # past every real hub's size; larger numbers overflow SQLite
MAX_LIST_CHARS = 5_000  # a comma-separated tags or authors field

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 404, 413, 415, 422)
}


def _read_limited(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(
            f"'{safe_filename(upload.filename or '')}' is over the {limit // 1_048_576} MB "
            "upload limit"
        )
    return data


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
    visibility: Annotated[Visibility, Form(
        description="public, community (members of its community) or private (you and "
        "admins).")] = Visibility.PUBLIC,
    pii: Annotated[Literal["redact", "keep"] | None, Form(
        description="If the document holds personal data: redact it, or keep it as it is. "
        "Without a choice the hub's policy applies (COMMONS_PII_POLICY).")] = None,
) -> Any:
    """Upload a document; 201 once searchable, 200 if it was already here, 202 for big files."""
    settings = runtime.settings
    name = safe_filename(file.filename or "")
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in settings.allowed_types:
        raise UnsupportedFileType(
            f"'{name}' cannot be uploaded; allowed types are {', '.join(settings.allowed_types)}"
        )
    data = _read_limited(file, settings.max_upload_mb * 1_048_576)
    overrides = Overrides(
        kind=kind.value if kind else None, default_kind=Kind.SESSION_NOTE.value,
        community=fields.community(community), title=fields.clean_text(title or "") or None,
        tags=fields.tags(parse_list(tags)) if tags else None,
        authors=fields.authors(parse_list(authors)) if authors else None,
        date=fields.day(date), pii=pii, visibility=visibility.value, owner=caller.user_id,
    )
    if visibility is Visibility.COMMUNITY and not overrides.community:
        raise MetadataError("community visibility needs a community")
    _may_write_into(caller, overrides.community)
    viewer = caller.viewer
    item = upload_item(name, data, overrides, may_see=viewer.sees)
    pages = pdf_page_count(data) if suffix == ".pdf" else None
    if pages is not None and settings.sync_pdf_pages < pages <= MAX_PAGES:
        return _accepted(_queue(jobs, caller, name, data, overrides))  # read in the background
    prepared = runtime.pipeline.prepare(item)  # loads and checks; writes nothing
    if isinstance(prepared, IngestResult):
        return _answer(prepared)
    _may_write_into(caller, prepared.doc.community)
    if len(prepared.chunks) > settings.sync_chunks:
        return _accepted(_queue(jobs, caller, name, data, overrides))
    result = runtime.write_one(prepared)
    if result.outcome is not Outcome.FAILED and result.document is not None:
        runtime.index.catalog.audit(caller.name, "upload", result.document.id,
                                    result.document.source)
    return _answer(result)


def _queue(jobs: JobQueue, caller: Caller, name: str, data: bytes,
           overrides: Overrides) -> JobRecord:
    """A background job for a large upload, with the uploader's rights at the time."""
    viewer = caller.viewer
    request = {
        "overrides": saved_overrides(overrides),
        "viewer": {"user_id": viewer.user_id, "communities": list(viewer.communities),
                   "admin": viewer.admin},
        "actor": caller.name,
    }
    return jobs.submit(name, data, owner=caller.user_id, request=request)


def _may_write_into(caller: Caller, community: str | None) -> None:
    if not caller.viewer.writes_into(community):
        raise HTTPException(403, f"You may add documents only to your own communities, not "
                                 f"to '{community}'.")


def _may_change(caller: Caller, doc: DocumentRecord) -> None:
    if not caller.may_change(doc):
        raise HTTPException(403, "Only its owner, its community's facilitator or an admin may "
                                 "change this document.")


def _accepted(job: JobRecord) -> JSONResponse:
    body = JobOut(id=job.id, status=job.status.value, filename=job.filename)
    return JSONResponse(body.model_dump(mode="json"), status_code=202,
                        headers={"Location": f"/api/jobs/{job.id}"})


def _answer(result: IngestResult) -> JSONResponse:
    """201 for a new document, 200 for content already here, the error's status otherwise."""
    if result.outcome is Outcome.FAILED:
        raise HTTPException(status_for(result.error or Exception()), result.reason)
    assert result.document is not None
    duplicate = result.outcome in (Outcome.DUPLICATE, Outcome.UNCHANGED)
    body = UploadOut(**DocumentOut.of(result.document).model_dump(), duplicate=duplicate)
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if duplicate else 201)


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
    filters = filters_from(caller, kind, community, tag, date_from, date_to)
    catalog = runtime.index.catalog
    items = catalog.documents(filters, sort=sort, limit=limit, offset=offset)
    return DocumentList(total=catalog.count(filters), offset=offset, limit=limit,
                        items=[DocumentOut.of(d) for d in items])


@router.get("/{doc_id}", response_model=DocumentDetail, responses=ERRORS)
def get_document(runtime: RuntimeDep, caller: ReaderDep, doc_id: str) -> DocumentDetail:
    """Metadata and the document's sections (with their page for PDFs)."""
    doc = visible_document(runtime, caller, doc_id)
    loaded = runtime.pipeline.loader(runtime.pipeline.originals.get(doc.content_hash), doc.filename)
    sections = [SectionOut(heading_path=list(s.heading_path), text=s.text, page=s.page)
                for s in loaded.sections]
    return DocumentDetail(**DocumentOut.of(doc).model_dump(), sections=sections)


@router.get("/{doc_id}/file", responses=ERRORS, response_class=Response)
def download_original(runtime: RuntimeDep, caller: ReaderDep, doc_id: str) -> Response:
    """The original file, as an attachment."""
    doc = visible_document(runtime, caller, doc_id)
    data = runtime.pipeline.originals.get(doc.content_hash)
    runtime.index.catalog.audit(caller.name, "download", doc.id, doc.filename)
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
    doc = visible_document(runtime, caller, doc_id)
    _may_change(caller, doc)
    changes = bounded_changes(patch)
    if "community" in changes:
        _may_write_into(caller, changes["community"])
    visibility = changes.get("visibility", doc.visibility)
    if visibility is Visibility.COMMUNITY and not changes.get("community", doc.community):
        raise MetadataError("community visibility needs a community")
    changed = runtime.update_metadata(doc_id, **changes)
    runtime.index.catalog.audit(caller.name, "change", doc_id, ", ".join(sorted(changes)))
    return DocumentOut.of(changed)


def bounded_changes(patch: MetadataPatch) -> dict[str, Any]:
    """The patch's fields, cleaned and bounded as on every other way in (422 otherwise)."""
    given = patch.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for key, value in given.items():
        if key == "title":
            changes[key] = fields.title(value)
        elif key == "community":
            changes[key] = fields.community(value)
        elif key == "tags":
            changes[key] = fields.tags(value or ())
        elif key == "authors":
            changes[key] = fields.authors(value or ())
        elif key == "date":
            changes[key] = fields.day(value)
        else:
            changes[key] = value
    return changes


@router.delete("/{doc_id}", status_code=204, responses=ERRORS)
def delete_document(runtime: RuntimeDep, caller: WriterDep, doc_id: str) -> Response:
    """Remove a document from every index, and its original."""
    doc = visible_document(runtime, caller, doc_id)
    _may_change(caller, doc)
    runtime.delete(doc_id)
    runtime.index.catalog.audit(caller.name, "delete", doc_id, doc.source)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{doc_id}/related", response_model=RelatedOut, responses=ERRORS)
def related_documents(
    runtime: RuntimeDep, caller: ReaderDep, doc_id: str, kind: Kind | None = None,
    k: Annotated[int, Query(ge=1, le=50)] = 5,
) -> RelatedOut:
    """The documents nearest to this one, optionally of one kind."""
    visible_document(runtime, caller, doc_id)
    hits = related(runtime.index, doc_id, Filters(kind=kind, viewer=caller.viewer), k=k)
    return RelatedOut(id=doc_id, results=[HitOut.of(h) for h in hits])
