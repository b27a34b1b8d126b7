"""The upload form without JavaScript: its fields go to the API's own upload function, so a
note sent from the page takes exactly the path of POST /api/documents."""

from __future__ import annotations

import json
from dataclasses import dataclass

from fastapi import HTTPException, UploadFile
from fastapi.security import HTTPAuthorizationCredentials

from ingest.errors import IngestError
from service.deps import identify, writer
from service.errors import status_for
from service.jobs import JobQueue
from service.routes.documents import upload_document
from service.runtime import Runtime
from service.web.forms import parse_date
from store.records import Kind


@dataclass(frozen=True)
class UploadFields:
    """The form's text fields, as typed (kept to refill the form after an error)."""

    title: str = ""
    kind: Kind | None = None  # None: the file's own kind, else session-note
    community: str = ""
    tags: str = ""
    date: str = ""
    authors: str = ""
    pii: str = ""  # "", "redact" or "keep": what to do if personal data is found


@dataclass(frozen=True)
class UploadOutcome:
    """Where to send the browser next, or the reason to show on the form (with its status)."""

    location: str | None = None
    error: str | None = None
    status: int = 303
    job_id: str | None = None  # a background job's, when the upload became one


def upload_from_form(
    runtime: Runtime, jobs: JobQueue, token: str, file: UploadFile | None, fields: UploadFields,
    session: str | None = None,
) -> UploadOutcome:
    if file is None or not file.filename:
        return UploadOutcome(error="Choose a file to upload.", status=422)
    day = parse_date(fields.date)
    if fields.date and day is None:
        return UploadOutcome(error="The date should look like 2026-03-12.", status=422)
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token) if token \
        else None
    try:
        caller = writer(identify(runtime, credentials, session))
        response = upload_document(
            runtime, jobs, caller, file, title=fields.title or None, kind=fields.kind,
            community=fields.community or None, tags=fields.tags or None, date=day,
            authors=fields.authors or None,
            pii="redact" if fields.pii == "redact" else "keep" if fields.pii == "keep" else None,
        )
    except HTTPException as exc:
        return UploadOutcome(error=str(exc.detail), status=exc.status_code)
    except IngestError as exc:
        return UploadOutcome(error=str(exc), status=status_for(exc))
    body = json.loads(bytes(response.body))
    if response.status_code == 202:
        return UploadOutcome(location=f"/upload/jobs/{body['id']}", job_id=body["id"])
    added = "duplicate" if body.get("duplicate") else "new"
    return UploadOutcome(location=f"/documents/{body['id']}?added={added}")
