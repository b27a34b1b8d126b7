"""The upload form without JavaScript: its fields go to the same operation as
POST /api/documents (service.operations.documents.upload), so a note sent from the page takes
exactly the API's path."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import HTTPException, UploadFile
from fastapi.security import HTTPAuthorizationCredentials

from ingest.errors import IngestError
from ingest.metadata import parse_list
from ingest.models import PiiDecision
from service.deps import identify
from service.errors import personal_data_of, status_for
from service.jobs import JobQueue
from service.operations import documents
from service.operations.documents import Queued, UploadRefused, UploadRequest
from service.operations.permissions import NotAllowed
from service.runtime import Runtime
from service.web.forms import parse_date
from store.records import Kind, Visibility


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
    visibility: Visibility | None = None  # None: the kind's default (Settings.*_visibility)


@dataclass(frozen=True)
class UploadOutcome:
    """Where to send the browser next, or the reason to show on the form (with its status)."""

    location: str | None = None
    error: str | None = None
    status: int = 303
    job_id: str | None = None  # a background job's, when the upload became one


def personal_data_message(filename: str, findings: list[str]) -> str:
    """The refusal in the form's own words (the API's speaks of pii=redact and pii=keep)."""
    shown = "; ".join(findings[:10]) + ("; …" if len(findings) > 10 else "")
    return (f"'{filename}' contains personal data: {shown}. Choose what to do under “If the "
            "note holds personal data” (replace it with placeholders, or keep it as it is) "
            "and upload the file again.")


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
        caller = identify(runtime, credentials, session)
        data = documents.read_limited(file.file, file.filename, runtime.settings.max_upload_mb)
        done = documents.upload(runtime, jobs, caller, UploadRequest(
            filename=file.filename, data=data, title=fields.title or None, kind=fields.kind,
            community=fields.community or None,
            tags=parse_list(fields.tags) if fields.tags else None,
            authors=parse_list(fields.authors) if fields.authors else None, date=day,
            visibility=fields.visibility,
            pii=PiiDecision(fields.pii) if fields.pii in set(PiiDecision) else None,
        ))
    except HTTPException as exc:  # a token that is not valid
        return UploadOutcome(error=str(exc.detail), status=exc.status_code)
    except (NotAllowed, UploadRefused, IngestError) as exc:
        if (found := personal_data_of(exc)) is not None:
            return UploadOutcome(error=personal_data_message(file.filename, found.lines),
                                 status=status_for(exc))
        return UploadOutcome(error=str(exc), status=status_for(exc))
    if isinstance(done, Queued):
        return UploadOutcome(location=f"/upload/jobs/{done.job.id}", job_id=done.job.id)
    assert done.result.document is not None
    added = "duplicate" if done.duplicate else "new"
    return UploadOutcome(location=f"/documents/{done.result.document.id}?added={added}")
