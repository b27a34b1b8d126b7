"""Background ingest jobs, kept in the catalog's database so that none is lost in a crash.

A job holds the uploaded bytes only until the worker has run the whole pipeline on them
(personal-data guard included); then the bytes are deleted, whatever the outcome. The
database overwrites deleted content (`secure_delete`), so a refused upload leaves no copy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from store.catalog import Catalog
from store.records import now_iso


class JobStatus(StrEnum):
    QUEUED = "queued"
    PROCESSING = "processing"
    DONE = "done"
    FAILED = "failed"


@dataclass(frozen=True)
class JobRecord:
    """A background upload: who sent it, what they asked for, and where it got to."""

    id: str
    filename: str
    status: JobStatus
    owner: str | None = None  # the uploader's id; only they and admins may see the job
    request: dict[str, Any] | None = None  # the upload's fields and the uploader's rights
    reason: str | None = None
    doc_id: str | None = None
    created_at: str = ""
    updated_at: str = ""
    pages_done: int = 0  # pages recognised so far (OCR), of
    pages_total: int = 0  # the pages the file has to recognise (0: none, or not known yet)


def _record(row: Any) -> JobRecord:
    return JobRecord(
        id=row["id"], filename=row["filename"], status=JobStatus(row["status"]),
        owner=row["owner"], request=json.loads(row["request"]), reason=row["reason"],
        doc_id=row["doc_id"], created_at=row["created_at"], updated_at=row["updated_at"],
        pages_done=row["pages_done"], pages_total=row["pages_total"],
    )


_COLUMNS = ("id, filename, owner, request, status, reason, doc_id, created_at, updated_at, "
            "pages_done, pages_total")


class JobTable:
    """The jobs table: add, claim the oldest queued, finish, and resume after a crash."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog  # whose schema holds the jobs table

    def add(self, job: JobRecord, payload: bytes) -> None:
        now = now_iso()
        with self._catalog.transaction() as db:
            db.execute(
                f"INSERT INTO jobs({_COLUMNS}, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (job.id, job.filename, job.owner, json.dumps(job.request or {}),
                 JobStatus.QUEUED.value, None, None, now, now, 0, 0, payload),
            )

    def get(self, job_id: str) -> JobRecord | None:
        rows = self._catalog.read(f"SELECT {_COLUMNS} FROM jobs WHERE id = ?", (job_id,))
        return _record(rows[0]) if rows else None

    def claim(self) -> tuple[JobRecord, bytes] | None:
        """The oldest queued job, now marked processing (atomically: one taker only)."""
        catalog = self._catalog
        with catalog.transaction() as db:
            row = db.execute(
                f"SELECT {_COLUMNS}, payload FROM jobs WHERE status = ? "
                f"ORDER BY {catalog.JOBS_ORDER} LIMIT 1{catalog.LOCK_ONE}",
                (JobStatus.QUEUED.value,),
            ).fetchone()
            if row is None:
                return None
            db.execute("UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?",
                       (JobStatus.PROCESSING.value, now_iso(), row["id"]))
        job = _record(row)
        return JobRecord(**{**job.__dict__, "status": JobStatus.PROCESSING}), bytes(row["payload"])

    def finish(self, job_id: str, status: JobStatus, reason: str | None = None,
               doc_id: str | None = None) -> None:
        """Record the outcome and delete the uploaded bytes."""
        with self._catalog.transaction() as db:
            db.execute(
                "UPDATE jobs SET status = ?, reason = ?, doc_id = ?, payload = NULL, "
                "updated_at = ? WHERE id = ?",
                (status.value, reason, doc_id, now_iso(), job_id),
            )

    def touch(self, job_id: str) -> None:
        """Renew a processing job's lease: its taker is alive."""
        with self._catalog.transaction() as db:
            db.execute("UPDATE jobs SET updated_at = ? WHERE id = ? AND status = ?",
                       (now_iso(), job_id, JobStatus.PROCESSING.value))

    def pages_read(self, job_id: str, done: int, total: int) -> None:
        """Record how many of its pages a processing job has recognised; renews its lease."""
        with self._catalog.transaction() as db:
            db.execute("UPDATE jobs SET pages_done = ?, pages_total = ?, updated_at = ? "
                       "WHERE id = ? AND status = ?",
                       (done, total, now_iso(), job_id, JobStatus.PROCESSING.value))

    def resume_interrupted(self, stale_seconds: float = 0) -> int:
        """Put back in the queue the processing jobs whose lease was not renewed for
        `stale_seconds` (their taker died); returns how many."""
        cutoff = (datetime.now(UTC) - timedelta(seconds=stale_seconds)).isoformat(
            timespec="seconds")
        with self._catalog.transaction() as db:
            return int(db.execute(
                "UPDATE jobs SET status = ?, updated_at = ?, pages_done = 0 "
                "WHERE status = ? AND updated_at <= ?",
                (JobStatus.QUEUED.value, now_iso(), JobStatus.PROCESSING.value, cutoff),
            ).rowcount)

    def forget_finished(self, days: int = 30) -> None:
        """Drop the records of jobs that ended more than `days` ago."""
        cutoff = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM jobs WHERE status IN (?, ?) AND updated_at < ?",
                       (JobStatus.DONE.value, JobStatus.FAILED.value, cutoff))

    def queued(self) -> int:
        rows = self._catalog.read("SELECT COUNT(*) AS n FROM jobs WHERE status = ?",
                                  (JobStatus.QUEUED.value,))
        return int(rows[0]["n"])
