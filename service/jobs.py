"""Background ingest jobs for large uploads: persisted, run one at a time, resumed after a crash.

An accepted job (HTTP 202) is a row in the catalog's database before the answer is sent, so
a crash loses nothing. Several server processes (replicas) on one database share the queue;
each job has one taker, which renews its lease while it works. A job whose lease was not
renewed for `lease_seconds` lost its taker (killed, or its machine gone): whichever process
looks next puts it back in the queue. The same look runs the hub's other upkeep (`maintain`).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from ingest.models import IngestResult, Outcome
from store.jobs import JobRecord, JobStatus
from store.protocol import JobStore

log = logging.getLogger(__name__)

Work = Callable[[JobRecord, bytes], IngestResult]
POLL_SECONDS = 2.0  # how often an idle worker looks for jobs other processes queued
LEASE_SECONDS = 60.0  # a processing job not renewed for this long lost its taker


class JobQueue:
    """A persistent FIFO of uploads; a worker thread runs `work` on each."""

    def __init__(self, table: JobStore, work: Work, lease_seconds: float = LEASE_SECONDS,
                 maintain: Callable[[], object] | None = None) -> None:
        self._table = table
        self._work = work
        self._lease = lease_seconds
        self._maintain = maintain
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._last_upkeep = 0.0
        table.forget_finished()
        self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._worker.start()

    def _upkeep(self) -> None:
        """Every half lease: requeue jobs whose taker died, then the hub's other upkeep."""
        now = time.monotonic()
        if now - self._last_upkeep < self._lease / 2:
            return
        self._last_upkeep = now
        try:
            resumed = self._table.resume_interrupted(self._lease)
            if resumed:
                log.warning("resuming %d upload job(s) whose process stopped", resumed)
            if self._maintain is not None:
                self._maintain()
        except Exception:
            log.exception("upkeep failed; trying again in %.0f s", self._lease / 2)

    def _renewing(self, job_id: str) -> threading.Event:
        """Renew a job's lease every quarter lease until the returned event is set."""
        done = threading.Event()

        def renew() -> None:
            while not done.wait(self._lease / 4):
                try:
                    self._table.touch(job_id)
                except Exception:
                    log.exception("could not renew the lease of job %s", job_id)

        threading.Thread(target=renew, name=f"lease-{job_id[:8]}", daemon=True).start()
        return done

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
            self._upkeep()
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
            renewing = self._renewing(job.id)
            try:
                result = self._work(job, payload)
            except Exception as exc:
                log.exception("upload job %s failed", job.id)
                self._table.finish(job.id, JobStatus.FAILED, f"indexing failed: {exc}")
                continue
            finally:
                renewing.set()
            if result.outcome is Outcome.FAILED:
                self._table.finish(job.id, JobStatus.FAILED, result.reason)
            else:
                doc = result.document
                self._table.finish(job.id, JobStatus.DONE, doc_id=doc.id if doc else None)
