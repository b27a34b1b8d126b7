"""Turning errors raised in search and ingest into HTTP statuses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from ingest.errors import (
    FileTooLarge,
    IngestError,
    MetadataError,
    NoTextError,
    UnreadableFile,
    UnsupportedFileType,
)
from store.errors import DocumentNotFoundError, VectorStoreUnavailable

STATUS_FOR: dict[type[Exception], int] = {
    UnsupportedFileType: 415,
    FileTooLarge: 413,
    UnreadableFile: 422,
    NoTextError: 422,
    MetadataError: 422,
    DocumentNotFoundError: 404,
    VectorStoreUnavailable: 503,
}


def status_for(exc: BaseException) -> int:
    for kind, code in STATUS_FOR.items():
        if isinstance(exc, kind):
            return code
    return 422 if isinstance(exc, IngestError) else 500


def install(app: FastAPI) -> None:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=status_for(exc))

    app.add_exception_handler(IngestError, handle)
    app.add_exception_handler(DocumentNotFoundError, handle)
    app.add_exception_handler(VectorStoreUnavailable, handle)
