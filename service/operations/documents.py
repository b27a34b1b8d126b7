"""Documents: upload, list, read, download, change, delete, related; export and import.

Every surface (API, page, command line) calls these; each checks the caller's rights first and
writes the audit entry only once the action has happened.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from ingest import fields
from ingest.backup import export_archive, import_archive
from ingest.chunking import sections_from_chunks
from ingest.errors import FileTooLarge, MetadataError, UnsupportedFileType
from ingest.loaders import recognition_pages
from ingest.loaders.pdf import MAX_PAGES
from ingest.models import IngestResult, Outcome, Overrides, PiiDecision, Section
from ingest.ocr import recognised_pages
from ingest.uploads import pdf_page_count, safe_filename, saved_overrides, upload_item
from search.models import Hit
from search.retrieval import related as related_hits
from service.accounts import Caller
from service.jobs import JobQueue
from service.operations.audit import AuditAction, record
from service.operations.permissions import (
    NotAllowed,
    require_admin,
    require_change,
    require_write_into,
    require_writer,
    visible_document,
)
from service.runtime import Runtime
from store.jobs import JobRecord
from store.records import DocumentRecord, Filters, Kind, Visibility

CHANGEABLE = ("title", "kind", "community", "tags", "authors", "date", "visibility")


@dataclass(frozen=True)
class UploadRequest:
    """A file and the metadata its uploader gave (None: the file's own, else the default)."""

    filename: str
    data: bytes
    title: str | None = None
    kind: Kind | None = None  # None: the file's own kind, else a session note
    community: str | None = None
    tags: Sequence[str] | None = None
    authors: Sequence[str] | None = None
    date: date | None = None
    visibility: Visibility | None = None  # None: the file's own, else the kind's default
    pii: PiiDecision | None = None  # None: the hub's policy (COMMONS_PII_POLICY)


@dataclass(frozen=True)
class Uploaded:
    """The upload went through now: added, or already here (`result.outcome`)."""

    result: IngestResult

    @property
    def duplicate(self) -> bool:
        return self.result.outcome in (Outcome.DUPLICATE, Outcome.UNCHANGED)


@dataclass(frozen=True)
class Queued:
    """The upload is large: a background job reads and indexes it."""

    job: JobRecord


class UploadRefused(Exception):
    """The pipeline refused the file (unreadable, no text, personal data...): `result` says why."""

    def __init__(self, result: IngestResult) -> None:
        super().__init__(result.reason or "the upload was refused")
        self.result = result


def read_limited(stream: BinaryIO, filename: str, max_mb: int) -> bytes:
    """An upload's bytes, refused (FileTooLarge) past the limit without reading further."""
    limit = max_mb * 1_048_576
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(f"'{safe_filename(filename)}' is over the {max_mb} MB upload limit")
    return data


def upload(runtime: Runtime, jobs: JobQueue, caller: Caller,
           request: UploadRequest) -> Uploaded | Queued:
    """Check, then index a file now, or queue it when it is large; audited once written."""
    require_writer(caller)
    settings = runtime.settings
    name = safe_filename(request.filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in settings.allowed_types:
        raise UnsupportedFileType(
            f"'{name}' cannot be uploaded; allowed types are {', '.join(settings.allowed_types)}"
        )
    limit = settings.max_upload_mb * 1_048_576
    if len(request.data) > limit:
        raise FileTooLarge(f"'{name}' is over the {settings.max_upload_mb} MB upload limit")
    overrides = upload_overrides(caller, request, settings.default_visibility)
    require_write_into(caller, overrides.community)
    item = upload_item(name, request.data, overrides, may_see=caller.viewer.sees)
    pages = pdf_page_count(request.data) if suffix == ".pdf" else None
    if pages is not None and settings.sync_pdf_pages < pages <= MAX_PAGES:
        return Queued(_queue(jobs, caller, name, request.data, overrides))
    if recognition_pages(request.data, name):  # OCR takes seconds a page: never in a request
        return Queued(_queue(jobs, caller, name, request.data, overrides))
    prepared = runtime.pipeline.prepare(item)  # loads and checks; writes nothing
    if isinstance(prepared, IngestResult):  # refused, or already here
        return _answered(prepared)
    require_write_into(caller, prepared.doc.community)
    if len(prepared.chunks) > settings.sync_chunks:
        return Queued(_queue(jobs, caller, name, request.data, overrides))
    done = _answered(runtime.write_one(prepared))
    if not done.duplicate and done.result.document is not None:
        doc = done.result.document
        record(runtime, caller, AuditAction.UPLOAD, doc.id, doc.source)
    return done


def _answered(result: IngestResult) -> Uploaded:
    """The upload's result, or UploadRefused when the pipeline refused it."""
    if result.outcome is Outcome.FAILED or result.document is None:
        raise UploadRefused(result)
    return Uploaded(result)


def upload_overrides(caller: Caller, request: UploadRequest,
                     default_visibility: tuple[tuple[Kind, Visibility], ...] = ()) -> Overrides:
    """The request's metadata, cleaned and bounded as on every other way in."""
    overrides = Overrides(
        default_visibility=default_visibility,
        kind=request.kind, default_kind=Kind.SESSION_NOTE,
        community=fields.community(request.community),
        title=fields.clean_text(request.title or "") or None,
        tags=fields.tags(request.tags) if request.tags else None,
        authors=fields.authors(request.authors) if request.authors else None,
        date=fields.day(request.date), pii=request.pii, visibility=request.visibility,
        owner=caller.user_id,
    )
    if request.visibility is Visibility.COMMUNITY and not overrides.community:
        raise MetadataError("community visibility needs a community")
    return overrides


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


def document_filters(kind: Kind | None = None, community: str | None = None,
                     tags: Sequence[str] = (), date_from: date | None = None,
                     date_to: date | None = None) -> Filters:
    """Filters from what a person chose (empty choices are no restriction); the caller's
    view is added by the operation that uses them."""
    return Filters(
        kind=kind, community=community or None,
        tags=tuple(dict.fromkeys(t for t in map(fields.tag, tags) if t)),
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )


def list_documents(runtime: Runtime, caller: Caller, filters: Filters, sort: str = "title",
                   limit: int = 50, offset: int = 0) -> tuple[list[DocumentRecord], int]:
    """A page of the documents the caller may see, and how many there are in all."""
    visible = dataclasses.replace(filters, viewer=caller.viewer)
    catalog = runtime.index.catalog
    return catalog.documents(visible, sort=sort, limit=limit, offset=offset), \
        catalog.count(visible)


def read_document(runtime: Runtime, caller: Caller,
                  doc_id: str) -> tuple[DocumentRecord, list[Section]]:
    """A document the caller may see, with its text by section (and page, for PDFs)."""
    doc = visible_document(runtime, caller, doc_id)
    if recognised_pages(doc.warnings):  # its text as recognised then, not recognised again
        return doc, sections_from_chunks(runtime.index.catalog.chunks_of(doc.id))
    pipeline = runtime.pipeline
    loaded = pipeline.loader(pipeline.originals.get(doc.content_hash), doc.filename)
    return doc, loaded.sections


def passage_text(runtime: Runtime, caller: Caller, doc_id: str, chunk_id: str) -> str | None:
    """The text of one passage of a document the caller may see (None: not one of its own)."""
    visible_document(runtime, caller, doc_id)
    chunk = runtime.index.catalog.chunks_by_id([chunk_id]).get(chunk_id)
    return chunk.text if chunk is not None and chunk.doc_id == doc_id else None


def download(runtime: Runtime, caller: Caller, doc_id: str) -> tuple[DocumentRecord, bytes]:
    """The original file of a document the caller may see (audited)."""
    doc = visible_document(runtime, caller, doc_id)
    data = runtime.pipeline.originals.get(doc.content_hash)
    record(runtime, caller, AuditAction.DOWNLOAD, doc.id, doc.filename)
    return doc, data


def clean_changes(given: Mapping[str, Any]) -> dict[str, Any]:
    """Metadata changes, cleaned and bounded as on every other way in (MetadataError if not)."""
    unknown = set(given) - set(CHANGEABLE)
    if unknown:
        raise MetadataError(f"these cannot be changed: {', '.join(sorted(unknown))}")
    cleaners: dict[str, Callable[[Any], Any]] = {
        "title": fields.title, "community": fields.community,
        "tags": lambda v: fields.tags(v or ()), "authors": lambda v: fields.authors(v or ()),
        "date": fields.day,
    }
    return {key: cleaners[key](value) if key in cleaners else value
            for key, value in given.items()}


def change(runtime: Runtime, caller: Caller, doc_id: str,
           given: Mapping[str, Any]) -> DocumentRecord:
    """Change title, kind, community, tags, authors, date or visibility; no re-embedding."""
    require_writer(caller)
    doc = visible_document(runtime, caller, doc_id)
    require_change(caller, doc)
    changes = clean_changes(given)
    if "community" in changes:
        require_write_into(caller, changes["community"])
    visibility = changes.get("visibility", doc.visibility)
    if visibility is Visibility.COMMUNITY and not changes.get("community", doc.community):
        raise MetadataError("community visibility needs a community")
    changed = runtime.update_metadata(doc_id, **changes)
    record(runtime, caller, AuditAction.CHANGE, doc_id, ", ".join(sorted(changes)))
    return changed


def delete(runtime: Runtime, caller: Caller, doc_id: str) -> DocumentRecord:
    """Move a document to the trash: out of every index at once, restorable for
    COMMONS_TRASH_DAYS (service.operations.trash); audited once done."""
    require_writer(caller)
    doc = visible_document(runtime, caller, doc_id)
    require_change(caller, doc)
    runtime.trash(doc_id, caller.name)
    record(runtime, caller, AuditAction.DELETE, doc_id, f"{doc.source}, to the trash")
    return doc


def related(runtime: Runtime, caller: Caller, doc_id: str, kind: Kind | None = None,
            k: int = 5) -> list[Hit]:
    """The documents nearest to one the caller may see, among those they may see."""
    visible_document(runtime, caller, doc_id)
    return related_hits(runtime.index, doc_id, Filters(kind=kind, viewer=caller.viewer), k=k)


def export_all(runtime: Runtime, caller: Caller, target: Path) -> int:
    """Every original and the catalog into one archive (admins only); the number written."""
    require_admin(caller)
    count = export_archive(runtime.pipeline, target)
    record(runtime, caller, AuditAction.EXPORT, None, f"{count} documents to {target.name}")
    return count


def import_all(runtime: Runtime, caller: Caller, source: Path,
               progress: Callable[[IngestResult], None] | None = None) -> list[IngestResult]:
    """Restore an archive written by export into this hub (admins only)."""
    require_admin(caller)
    results = import_archive(runtime.pipeline, source, progress=progress)
    done = sum(r.outcome is not Outcome.FAILED for r in results)
    record(runtime, caller, AuditAction.IMPORT, None, f"{done} documents from {source.name}")
    return results


__all__ = ["NotAllowed", "Queued", "UploadRefused", "UploadRequest", "Uploaded"]
