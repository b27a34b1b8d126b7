"""Waiting for a background upload job over HTTP, as a client polls `/api/jobs/{id}`."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any, Protocol


class Client(Protocol):
    """An HTTP client: httpx's, or FastAPI's TestClient."""

    def get(self, url: str, *, headers: Mapping[str, str]) -> Any: ...


def finished_job(http: Client, job_id: str, headers: Mapping[str, str],
                 seconds: float = 120) -> dict[str, Any]:
    """A background job's record once it is no longer queued or processing (or after
    `seconds`, as it then is)."""
    job: dict[str, Any] = http.get(f"/api/jobs/{job_id}", headers=headers).json()
    deadline = time.monotonic() + seconds
    while job["status"] in {"queued", "processing"} and time.monotonic() < deadline:
        time.sleep(0.3)
        job = http.get(f"/api/jobs/{job_id}", headers=headers).json()
    return job
