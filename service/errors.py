"""Turning errors raised in search and ingest into HTTP statuses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ingest.errors import (
    FileTooLarge,
    IngestError,
    MetadataError,
    NoTextError,
    RestoreConflict,
    UnreadableFile,
    UnsupportedFileType,
)
from ingest.pii_guard import PersonalDataFound
from service.operations.documents import UploadRefused
from service.operations.insights import SearchNotKept
from service.operations.permissions import NotAllowed
from store.errors import DocumentNotFoundError, VectorStoreUnavailable

STATUS_FOR: dict[type[Exception], int] = {
    UnsupportedFileType: 415,
    FileTooLarge: 413,
    UnreadableFile: 422,
    NoTextError: 422,
    MetadataError: 422,
    RestoreConflict: 409,
    DocumentNotFoundError: 404,
    SearchNotKept: 404,
    VectorStoreUnavailable: 503,
}


def status_for(exc: BaseException) -> int:
    if isinstance(exc, NotAllowed):
        return 401 if exc.sign_in else 403
    if isinstance(exc, UploadRefused):
        return status_for(exc.result.error or Exception())
    for kind, code in STATUS_FOR.items():
        if isinstance(exc, kind):
            return code
    return 422 if isinstance(exc, IngestError) else 500


def personal_data_of(exc: BaseException) -> PersonalDataFound | None:
    """The personal-data refusal behind an error, if that is what it is."""
    if isinstance(exc, UploadRefused):
        exc = exc.result.error or exc
    return exc if isinstance(exc, PersonalDataFound) else None


def install(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        code = status_for(exc)
        headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
        body: dict[str, object] = {"detail": str(exc)}
        if (found := personal_data_of(exc)) is not None:  # the page offers the two choices
            body |= {"code": "personal-data", "findings": found.lines}
        return JSONResponse(body, status_code=code, headers=headers)

    app.add_exception_handler(IngestError, handle)
    app.add_exception_handler(DocumentNotFoundError, handle)
    app.add_exception_handler(VectorStoreUnavailable, handle)
    app.add_exception_handler(NotAllowed, handle)
    app.add_exception_handler(SearchNotKept, handle)
    app.add_exception_handler(UploadRefused, handle)
