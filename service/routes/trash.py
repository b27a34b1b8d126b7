"""The trash: deleted documents, restorable for COMMONS_TRASH_DAYS days.

Each route translates HTTP to a call of service.operations.trash and its answer back.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from service.deps import RuntimeDep, WriterDep
from service.operations import trash
from service.schemas import DocumentOut, ErrorOut
from store.records import TrashedDocument

router = APIRouter(prefix="/trash", tags=["trash"])

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (401, 403, 404, 409, 422)
}


class TrashedOut(BaseModel):
    document: DocumentOut
    trashed_at: str = Field(description="When it was deleted (UTC).")
    trashed_by: str = Field(description="Who deleted it.")
    purge_after: str = Field(description="When it leaves the trash for good, unless restored.")

    @classmethod
    def of(cls, t: TrashedDocument, days: int) -> TrashedOut:
        until = datetime.fromisoformat(t.trashed_at) + timedelta(days=days)
        return cls(document=DocumentOut.of(t.document), trashed_at=t.trashed_at,
                   trashed_by=t.trashed_by, purge_after=until.isoformat(timespec="seconds"))


class TrashOut(BaseModel):
    days: int = Field(description="Days a document stays in the trash (COMMONS_TRASH_DAYS).")
    items: list[TrashedOut]


class EmptiedOut(BaseModel):
    removed: list[DocumentOut]


@router.get("", response_model=TrashOut, responses=ERRORS)
def list_trash(runtime: RuntimeDep, caller: WriterDep) -> TrashOut:
    """Deleted documents you may restore (yours; facilitators: their communities'; admins:
    all), most recently deleted first."""
    days = runtime.settings.trash_days
    return TrashOut(days=days, items=[TrashedOut.of(t, days)
                                      for t in trash.in_trash(runtime, caller)])


@router.post("/{doc_id}/restore", response_model=DocumentOut, responses=ERRORS)
def restore_document(runtime: RuntimeDep, caller: WriterDep, doc_id: str) -> DocumentOut:
    """Bring a document back, searchable again, with its metadata as it was when deleted."""
    return DocumentOut.of(trash.restore(runtime, caller, doc_id))


@router.post("/empty", response_model=EmptiedOut, responses=ERRORS)
def empty_trash(runtime: RuntimeDep, caller: WriterDep) -> EmptiedOut:
    """Remove every document in the trash for good, with its original (admins only)."""
    return EmptiedOut(removed=[DocumentOut.of(d) for d in trash.empty(runtime, caller)])
