"""Background ingest jobs for large uploads: persisted, run one at a time, resumed after a crash.

An accepted job (HTTP 202) is a row in the catalog's database before the answer is sent, so
a crash loses nothing: at start-up, jobs that were being processed go back in the queue.
Several server processes on one database share the queue; each job has one taker.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

from ingest.models import IngestResult, Outcome
from store.jobs import JobRecord, JobStatus
from store.protocol import JobStore

log = logging.getLogger(__name__)

Work = Callable[[JobRecord, bytes], IngestResult]
POLL_SECONDS = 2.0  # how often an idle worker looks for jobs other processes queued


class JobQueue:
    """A persistent FIFO of uploads; a worker thread runs `work` on each."""

    def __init__(self, table: JobStore, work: Work) -> None:
        self._table = table
        self._work = work
        self._wake = threading.Event()
        self._stop = threading.Event()
        resumed = table.resume_interrupted()
        if resumed:
            log.warning("resuming %d upload job(s) a restart interrupted", resumed)
        table.forget_finished()
        self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._worker.start()

    def submit(self, filename: str, payload: bytes, owner: str | None,
               request: dict[str, Any]) -> JobRecord:
        """Queue an upload; once this returns, the job survives a crash."""
        job = JobRecord(id=uuid.uuid4().hex, filename=filename, status=JobStatus.QUEUED,
                        owner=owner, request=request)
        self._table.add(job, payload)
        self._wake.set()
        return job

    def get(self, job_id: str) -> JobRecord | None:
        return self._table.get(job_id)

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        self._worker.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                claimed = self._table.claim()
            except Exception:
                log.exception("could not read the job queue")
                claimed = None
            if claimed is None:
                self._wake.wait(POLL_SECONDS)
                self._wake.clear()
                continue
            job, payload = claimed
            try:
                result = self._work(job, payload)
            except Exception as exc:
                log.exception("upload job %s failed", job.id)
                self._table.finish(job.id, JobStatus.FAILED, f"indexing failed: {exc}")
                continue
            if result.outcome is Outcome.FAILED:
                self._table.finish(job.id, JobStatus.FAILED, result.reason)
            else:
                doc = result.document
                self._table.finish(job.id, JobStatus.DONE, doc_id=doc.id if doc else None)
