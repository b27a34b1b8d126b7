"""Health, statistics and background jobs."""

from __future__ import annotations

import os
from collections import Counter

from fastapi import APIRouter, HTTPException

from service.deps import Caller, CallerDep, JobsDep, ReaderDep, Role, RuntimeDep, visible_document
from service.jobs import JobQueue
from service.runtime import Runtime
from service.schemas import DocumentOut, ErrorOut, HealthOut, JobOut, StatsOut
from store.errors import DocumentNotFoundError
from store.jobs import JobStatus
from store.records import Filters

router = APIRouter(tags=["system"])


@router.get("/health", response_model=HealthOut)
def health(runtime: RuntimeDep, caller: CallerDep) -> HealthOut:
    """Model, index size (the whole index for admins) and whether data can be written."""
    index = runtime.index
    writable = os.access(index.data_dir, os.W_OK)
    admin = caller.role is Role.ADMIN
    problems = [] if writable else ["the data folder cannot be written"]
    if index.vector_error is not None:
        detail = f" ({index.vector_error})" if admin else ""
        problems.append(f"the vector index cannot be used{detail}: search matches words "
                        "only until an administrator runs `commons reindex`")
    return HealthOut(
        status="degraded" if problems else "ok",
        model=index.embedder.name, dimension=index.embedder.dimension,
        documents=index.catalog.count(Filters(viewer=caller.viewer)),
        chunks=index.catalog.chunk_count() if admin else None,
        data_writable=writable,
        vectors="ok" if index.vector_error is None else "unavailable",
        problems=problems,
    )


@router.get("/stats", response_model=StatsOut)
def stats(runtime: RuntimeDep, caller: ReaderDep) -> StatsOut:
    """Counts of the documents the caller may see, by kind, community and year."""
    docs = runtime.index.catalog.documents(Filters(viewer=caller.viewer))
    admin = caller.role is Role.ADMIN
    return StatsOut(
        documents=len(docs),
        chunks=runtime.index.catalog.chunk_count() if admin else None,
        pending=len(runtime.index.catalog.pending()) if admin else None,
        by_kind=dict(Counter(d.kind.value for d in docs)),
        by_community=dict(Counter(d.community for d in docs if d.community)),
        by_year=dict(Counter(d.date[:4] for d in docs if d.date)),
    )


@router.get("/jobs/{job_id}", response_model=JobOut, responses={404: {"model": ErrorOut}})
def get_job(runtime: RuntimeDep, jobs: JobsDep, caller: ReaderDep, job_id: str) -> JobOut:
    """State of a background upload: queued, processing, done or failed with the reason.

    Only its uploader and admins see a job; to anyone else it does not exist.
    """
    found = job_status(runtime, jobs, caller, job_id)
    if found is None:
        raise HTTPException(404, f"No job with id '{job_id}'.")
    return found


def job_status(runtime: Runtime, jobs: JobQueue, caller: Caller, job_id: str,
               uploader: bool = False) -> JobOut | None:
    """The job as its uploader (or an admin) may see it, else None. `uploader`: the caller
    showed the job's key, which only its uploader was given."""
    job = jobs.get(job_id)
    if job is None:
        return None
    owner = uploader or bool(caller.user_id and job.owner == caller.user_id)
    if caller.role is not Role.ADMIN and not owner:
        return None
    if uploader and job.owner:  # see the result as the uploader would
        request = job.request or {}
        viewer = request.get("viewer", {})
        caller = Caller(Role.ADMIN if viewer.get("admin") else Role.CONTRIBUTOR,
                        viewer.get("user_id"), tuple(viewer.get("communities", ())))
    document = None
    if job.status is JobStatus.DONE and job.doc_id:
        try:
            document = DocumentOut.of(visible_document(runtime, caller, job.doc_id))
        except DocumentNotFoundError:  # deleted since, or no longer visible
            document = None
    return JobOut(id=job.id, status=job.status.value, filename=job.filename,
                  reason=job.reason, document=document, created_at=job.created_at,
                  updated_at=job.updated_at)
