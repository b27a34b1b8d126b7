"""The upload form without JavaScript: its fields go to the same operation as
POST /api/documents (service.operations.documents.upload), so a note sent from the page takes
exactly the API's path, one file or several."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import PurePath

from fastapi import HTTPException, UploadFile
from fastapi.security import HTTPAuthorizationCredentials

from ingest.errors import IngestError
from ingest.metadata import parse_list
from ingest.models import PiiDecision
from service.accounts import Caller
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


class Result(StrEnum):
    """What became of one file (the page's script marks its rows with the same words)."""

    ADDED = "added"
    DUPLICATE = "duplicate"
    NEEDS_CHOICE = "choice"
    QUEUED = "queued"
    REFUSED = "refused"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class FileOutcome:
    """One file's result: where to see it (the document, or its background job), or why not."""

    filename: str
    result: Result
    message: str = ""  # the reason, for a refused, skipped or personal-data file
    title: str = ""  # the document's
    href: str | None = None
    job_id: str | None = None
    status: int = 200  # a refusal's HTTP status


# How the summary line counts each result: one file, several.
COUNTED = {
    Result.ADDED: ("added", "added"),
    Result.DUPLICATE: ("already here", "already here"),
    Result.NEEDS_CHOICE: ("needs your choice", "need your choice"),
    Result.QUEUED: ("being indexed in the background", "being indexed in the background"),
    Result.REFUSED: ("refused", "refused"),
    Result.SKIPPED: ("skipped", "skipped"),
}


def upload_summary(outcomes: Sequence[FileOutcome]) -> str:
    """One line for the lot: "5 added, 1 already here, 1 needs your choice, 2 skipped."."""
    counts = Counter(o.result for o in outcomes)
    return ", ".join(f"{counts[r]} {one if counts[r] == 1 else many}"
                     for r, (one, many) in COUNTED.items() if counts[r]) + "."


class FormProblem(Exception):
    """Something wrong with the whole form (a bad date, a token that is not valid)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def personal_data_message(filename: str, findings: list[str]) -> str:
    """The refusal in the form's own words (the API's speaks of pii=redact and pii=keep)."""
    shown = "; ".join(f.rstrip(".") for f in findings[:10]) + ("; …" if len(findings) > 10 else "")
    return (f"'{filename}' contains personal data: {shown}. Choose what to do under “If the "
            "note holds personal data” (replace it with placeholders, or keep it as it is) "
            "and upload the file again.")


def skip_reason(filename: str, allowed_types: Sequence[str]) -> str | None:
    """Why a file among several is left out: a hidden file (.DS_Store, a folder's
    .git), or a type the hub does not take. None: send it."""
    parts = filename.replace("\\", "/").split("/")
    if any(part.startswith(".") for part in parts):
        return "A hidden file (such as .DS_Store), not a note."
    if PurePath(parts[-1]).suffix.lower() not in allowed_types:
        return f"Only {', '.join(allowed_types)} files can be uploaded."
    return None


def upload_from_form(
    runtime: Runtime, jobs: JobQueue, token: str, file: UploadFile | None, fields: UploadFields,
    session: str | None = None,
) -> UploadOutcome:
    """One file: where to go next (the document or its job), or the reason for the form."""
    if file is None or not file.filename:
        return UploadOutcome(error="Choose a file to upload.", status=422)
    try:
        caller, day = _uploader(runtime, token, fields, session)
    except FormProblem as exc:
        return UploadOutcome(error=str(exc), status=exc.status)
    done = upload_file(runtime, jobs, caller, file, fields, day)
    if done.result in (Result.REFUSED, Result.NEEDS_CHOICE):
        return UploadOutcome(error=done.message, status=done.status)
    if done.job_id:
        return UploadOutcome(location=done.href, job_id=done.job_id)
    added = "duplicate" if done.result is Result.DUPLICATE else "new"
    return UploadOutcome(location=f"{done.href}?added={added}")


def upload_many_from_form(
    runtime: Runtime, jobs: JobQueue, token: str, files: Sequence[UploadFile],
    fields: UploadFields, session: str | None = None,
) -> list[FileOutcome] | UploadOutcome:
    """Several files with the same fields, one after another, each with its own outcome (a
    refusal does not stop the rest); the title is each file's own. UploadOutcome: the form
    itself was wrong, nothing was sent."""
    try:
        caller, day = _uploader(runtime, token, fields, session)
    except FormProblem as exc:
        return UploadOutcome(error=str(exc), status=exc.status)
    shared = dataclasses.replace(fields, title="")
    allowed = runtime.settings.allowed_types
    return [
        FileOutcome(file.filename or "", Result.SKIPPED, reason)
        if (reason := skip_reason(file.filename or "", allowed)) is not None
        else upload_file(runtime, jobs, caller, file, shared, day)
        for file in files
    ]


def upload_file(runtime: Runtime, jobs: JobQueue, caller: Caller, file: UploadFile,
                fields: UploadFields, day: date | None) -> FileOutcome:
    """One file through documents.upload, its answer or refusal as a FileOutcome."""
    name = file.filename or ""
    try:
        data = documents.read_limited(file.file, name, runtime.settings.max_upload_mb)
        done = documents.upload(runtime, jobs, caller, UploadRequest(
            filename=name, data=data, title=fields.title or None, kind=fields.kind,
            community=fields.community or None,
            tags=parse_list(fields.tags) if fields.tags else None,
            authors=parse_list(fields.authors) if fields.authors else None, date=day,
            visibility=fields.visibility,
            pii=PiiDecision(fields.pii) if fields.pii in set(PiiDecision) else None,
        ))
    except (NotAllowed, UploadRefused, IngestError) as exc:
        if (found := personal_data_of(exc)) is not None:
            return FileOutcome(name, Result.NEEDS_CHOICE, personal_data_message(name, found.lines),
                               status=status_for(exc))
        return FileOutcome(name, Result.REFUSED, str(exc), status=status_for(exc))
    if isinstance(done, Queued):
        return FileOutcome(name, Result.QUEUED, href=f"/upload/jobs/{done.job.id}",
                           job_id=done.job.id)
    doc = done.result.document
    assert doc is not None
    return FileOutcome(name, Result.DUPLICATE if done.duplicate else Result.ADDED,
                       title=doc.title, href=f"/documents/{doc.id}")


def _uploader(runtime: Runtime, token: str, fields: UploadFields,
              session: str | None) -> tuple[Caller, date | None]:
    """Who is uploading, and the form's date; FormProblem when either is wrong."""
    day = parse_date(fields.date)
    if fields.date and day is None:
        raise FormProblem("The date should look like 2026-03-12.", 422)
    credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=token) if token \
        else None
    try:
        return identify(runtime, credentials, session), day
    except HTTPException as exc:  # a token that is not valid
        raise FormProblem(str(exc.detail), exc.status_code) from exc

