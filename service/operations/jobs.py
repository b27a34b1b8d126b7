"""Background uploads: running a queued one with its uploader's rights, and its state."""

from __future__ import annotations

from dataclasses import dataclass

from ingest.models import IngestResult, Outcome
from ingest.uploads import upload_item, upload_overrides
from service.accounts import Caller, Role
from service.jobs import JobQueue
from service.operations.audit import AuditAction, record
from service.operations.permissions import visible_document
from service.runtime import Runtime
from store.errors import DocumentNotFoundError
from store.jobs import JobRecord, JobStatus
from store.records import DocumentRecord, Viewer


def run_upload(runtime: Runtime, job: JobRecord, payload: bytes) -> IngestResult:
    """A queued upload, checked and indexed like any other (the uploader's rights apply)."""
    request = job.request or {}
    viewer = Viewer(**request.get("viewer", {}))
    overrides = upload_overrides(request.get("overrides", {}))
    item = upload_item(job.filename, payload, overrides, may_see=viewer.sees)
    prepared = runtime.pipeline.prepare(item)
    if isinstance(prepared, IngestResult):
        return prepared
    if not viewer.writes_into(prepared.doc.community):
        reason = (f"you may add documents only to your own communities, not to "
                  f"'{prepared.doc.community}'")
        return IngestResult(item.source, Outcome.FAILED, reason=reason)
    result = runtime.write_large(prepared)
    if result.outcome in (Outcome.ADDED, Outcome.UPDATED) and result.document is not None:
        uploader = Caller(Role.ADMIN if viewer.admin else Role.CONTRIBUTOR, viewer.user_id,
                          viewer.communities)
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
        viewer = (job.request or {}).get("viewer", {})
        caller = Caller(Role.ADMIN if viewer.get("admin") else Role.CONTRIBUTOR,
                        viewer.get("user_id"), tuple(viewer.get("communities", ())))
    document = None
    if job.status is JobStatus.DONE and job.doc_id:
        try:
            document = visible_document(runtime, caller, job.doc_id)
        except DocumentNotFoundError:  # deleted since, or no longer visible
            document = None
    return JobState(job, document)
