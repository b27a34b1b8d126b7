"""Health, statistics and background jobs."""

from __future__ import annotations

import os
from collections import Counter

from fastapi import APIRouter, HTTPException

from service.deps import CallerDep, JobsDep, ReaderDep, Role, RuntimeDep
from service.operations.jobs import job_state
from service.schemas import ErrorOut, HealthOut, JobOut, StatsOut
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
    state = job_state(runtime, jobs, caller, job_id)
    if state is None:
        raise HTTPException(404, f"No job with id '{job_id}'.")
    return JobOut.of(state.job, state.document)
