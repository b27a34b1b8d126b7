"""Background ingest jobs for large uploads, run one at a time by a worker thread."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

from ingest.models import IngestResult, Outcome

JobStatus = Literal["queued", "processing", "done", "failed"]


@dataclass
class Job:
    id: str
    filename: str
    status: JobStatus = "queued"
    reason: str | None = None
    result: IngestResult | None = None
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())


class JobQueue:
    """A FIFO of ingest callables; status is kept in memory for polling."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._queue: queue.Queue[tuple[Job, Callable[[], IngestResult]] | None] = queue.Queue()
        self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
        self._worker.start()

    def submit(self, filename: str, work: Callable[[], IngestResult]) -> Job:
        job = Job(id=uuid.uuid4().hex, filename=filename)
        self._jobs[job.id] = job
        self._queue.put((job, work))
        return job

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def close(self) -> None:
        self._queue.put(None)
        self._worker.join(timeout=30)

    def _run(self) -> None:
        while True:
            entry = self._queue.get()
            if entry is None:
                return
            job, work = entry
            job.status = "processing"
            try:
                result = work()
            except Exception as exc:
                job.status, job.reason = "failed", f"indexing failed: {exc}"
                continue
            job.result = result
            if result.outcome is Outcome.FAILED:
                job.status, job.reason = "failed", result.reason
            else:
                job.status = "done"
