"""Background uploads: running a queued one with its uploader's rights, and its state."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ingest.models import IngestResult, Outcome
from ingest.uploads import upload_item, upload_overrides
from service.accounts import Caller, Role
from service.jobs import JobQueue
from service.operations.audit import AuditAction, record
from service.operations.permissions import NotAllowed, require_write_into, visible_document
from service.runtime import Runtime
from store.errors import DocumentNotFoundError
from store.jobs import JobRecord, JobStatus
from store.records import DocumentRecord, Viewer


def uploader_of(job: JobRecord) -> Caller:
    """The uploader of a queued upload, with the rights they had when it was queued."""
    viewer = Viewer(**(job.request or {}).get("viewer", {}))
    return Caller(Role.ADMIN if viewer.admin else Role.CONTRIBUTOR, viewer.user_id,
                  tuple(viewer.communities))


def run_upload(runtime: Runtime, job: JobRecord, payload: bytes) -> IngestResult:
    """A queued upload, checked and indexed like any other (the uploader's rights apply)."""
    request = job.request or {}
    uploader = uploader_of(job)
    viewer = uploader.viewer
    overrides = upload_overrides(request.get("overrides", {}))
    item = upload_item(job.filename, payload, overrides, may_see=viewer.sees)

    def pages_read(done: int, total: int) -> None:  # shown on the job's page, on any replica
        runtime.job_table.pages_read(job.id, done, total)

    prepared = runtime.pipeline.prepare(replace(item, pages_read=pages_read))
    if isinstance(prepared, IngestResult):
        return prepared
    try:
        require_write_into(uploader, prepared.doc.community)
    except NotAllowed as exc:
        return IngestResult(item.source, Outcome.FAILED, reason=str(exc), error=exc)
    result = runtime.write_large(prepared)
    if result.outcome in (Outcome.ADDED, Outcome.UPDATED) and result.document is not None:
        record(runtime, uploader, AuditAction.UPLOAD, result.document.id,
               result.document.source)
    return result


@dataclass(frozen=True)
class JobState:
    job: JobRecord
    document: DocumentRecord | None  # once done, if the caller may (still) see it


def job_state(runtime: Runtime, jobs: JobQueue, caller: Caller, job_id: str,
              uploader: bool = False) -> JobState | None:
    """The job as its uploader (or an admin) may see it, else None. `uploader`: the caller
    showed the job's key, which only its uploader was given."""
    job = jobs.get(job_id)
    if job is None:
        return None
    owner = uploader or bool(caller.user_id and job.owner == caller.user_id)
    if caller.role is not Role.ADMIN and not owner:
        return None
    if uploader and job.owner:  # see the result as the uploader would
        caller = uploader_of(job)
    document = None
    if job.status is JobStatus.DONE and job.doc_id:
        try:
            document = visible_document(runtime, caller, job.doc_id)
        except DocumentNotFoundError:  # deleted since, or no longer visible
            document = None
    return JobState(job, document)
