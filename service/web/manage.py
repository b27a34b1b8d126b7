"""Changing and removing documents on the page, and the trash: plain forms (no JavaScript
needed), each carrying the page's CSRF token (service/csrf.py).

The change, the move to the trash, the restore and emptying the trash are the operations of
service.operations.documents and service.operations.trash, with their permissions and audit
entries, exactly as for the API and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from ingest.errors import IngestError
from ingest.metadata import parse_list
from service.accounts import Caller, Role
from service.csrf import CSRF_FIELD, EXPIRED, form_allowed
from service.deps import ReaderDep, RuntimeDep
from service.errors import status_for
from service.operations import documents, trash
from service.operations.permissions import NotAllowed, visible_document
from service.runtime import Runtime
from service.web.forms import parse_date, parse_kind, parse_visibility
from service.web.pages import upload_page
from service.web.render import render
from store.errors import DocumentNotFoundError
from store.records import DocumentRecord

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=1000)]
Token = Annotated[str, Form(alias=CSRF_FIELD, max_length=200)]


@dataclass(frozen=True)
class EditFields:
    """The edit form's fields as typed (kept to refill the form after an error)."""

    title: str
    kind: str
    community: str
    tags: str
    authors: str
    date: str
    visibility: str

    @classmethod
    def of(cls, doc: DocumentRecord) -> EditFields:
        return cls(doc.title, doc.kind.value, doc.community or "", ", ".join(doc.tags),
                   ", ".join(doc.authors), doc.date or "", doc.visibility.value)


def changes(doc: DocumentRecord, typed: EditFields) -> dict[str, Any]:
    """What the form changes, as the operation takes it (IngestError for a value it cannot
    read); fields left as they were are not sent, so the audit names only real changes."""
    kind, visibility = parse_kind(typed.kind), parse_visibility(typed.visibility)
    if kind is None or visibility is None:
        raise IngestError("Choose a kind and who may see it.")
    day = parse_date(typed.date)
    if typed.date.strip() and day is None:
        raise IngestError("The date should look like 2026-03-12.")
    wanted: dict[str, Any] = {
        "title": typed.title.strip(), "kind": kind, "community": typed.community.strip() or None,
        "tags": parse_list(typed.tags), "authors": parse_list(typed.authors),
        "date": day.isoformat() if day else None, "visibility": visibility,
    }
    current: dict[str, Any] = {
        "title": doc.title, "kind": doc.kind, "community": doc.community,
        "tags": list(doc.tags), "authors": list(doc.authors), "date": doc.date,
        "visibility": doc.visibility,
    }
    return {key: value for key, value in wanted.items() if value != current[key]}


def _changeable(runtime: Runtime, caller: Caller, doc_id: str) -> DocumentRecord:
    doc = visible_document(runtime, caller, doc_id)
    if not caller.may_change(doc):
        raise NotAllowed("Only its owner, its community's facilitator or an admin may change "
                         "this document. Sign in on the upload page with your token first.",
                         sign_in=caller.role is Role.ANONYMOUS)
    return doc


def _edit_form(request: Request, runtime: Runtime, caller: Caller, doc: DocumentRecord,
               typed: EditFields, error: str | None = None, status: int = 200) -> Response:
    return render(request, "document_edit.html", status=status, section="browse", doc=doc,
                  fields=typed, error=error, page=upload_page(runtime, caller))


def _refused(request: Request, exc: NotAllowed | DocumentNotFoundError) -> Response:
    """The page for a document one may not change (or see: then exactly as a missing one)."""
    if isinstance(exc, DocumentNotFoundError):
        return render(request, "not_found.html", status=404, section="")
    return render(request, "message.html", status=status_for(exc), section="",
                  heading="Not yours to change", message=str(exc))


@router.get("/documents/{doc_id}/edit")
def edit_view(request: Request, runtime: RuntimeDep, caller: ReaderDep, doc_id: str) -> Response:
    try:
        doc = _changeable(runtime, caller, doc_id)
    except (NotAllowed, DocumentNotFoundError) as exc:
        return _refused(request, exc)
    return _edit_form(request, runtime, caller, doc, EditFields.of(doc))


@router.post("/documents/{doc_id}/edit")
def edit_submit(
    request: Request, runtime: RuntimeDep, caller: ReaderDep, doc_id: str,
    title: Annotated[str, Form(max_length=300)] = "", kind: Text = "", community: Text = "",
    tags: Text = "", authors: Text = "", date: Annotated[str, Form(max_length=20)] = "",
    visibility: Text = "", csrf_token: Token = "",
) -> Response:
    try:
        doc = _changeable(runtime, caller, doc_id)
    except (NotAllowed, DocumentNotFoundError) as exc:
        return _refused(request, exc)
    typed = EditFields(title, kind, community, tags, authors, date, visibility)
    if not form_allowed(request, csrf_token, always=True):
        return _edit_form(request, runtime, caller, doc, typed, EXPIRED, 403)
    try:
        wanted = changes(doc, typed)
        if wanted:
            documents.change(runtime, caller, doc_id, wanted)
    except (IngestError, NotAllowed) as exc:
        return _edit_form(request, runtime, caller, doc, typed, str(exc), status_for(exc))
    done = "changed" if wanted else "unchanged"
    return RedirectResponse(f"/documents/{doc_id}?edited={done}", status_code=303)


@router.get("/documents/{doc_id}/delete")
def delete_view(request: Request, runtime: RuntimeDep, caller: ReaderDep,
                doc_id: str) -> Response:
    try:
        doc = _changeable(runtime, caller, doc_id)
    except (NotAllowed, DocumentNotFoundError) as exc:
        return _refused(request, exc)
    return render(request, "document_delete.html", section="browse", doc=doc,
                  days=runtime.settings.trash_days, error=None)


@router.post("/documents/{doc_id}/delete")
def delete_submit(request: Request, runtime: RuntimeDep, caller: ReaderDep, doc_id: str,
                  csrf_token: Token = "") -> Response:
    try:
        doc = _changeable(runtime, caller, doc_id)
    except (NotAllowed, DocumentNotFoundError) as exc:
        return _refused(request, exc)
    if not form_allowed(request, csrf_token, always=True):
        return render(request, "document_delete.html", status=403, section="browse", doc=doc,
                      days=runtime.settings.trash_days, error=EXPIRED)
    documents.delete(runtime, caller, doc_id)
    return RedirectResponse(f"/trash?deleted={doc_id}", status_code=303)


def _trash_page(request: Request, runtime: Runtime, caller: Caller, *, deleted: str = "",
                outcome: str | None = None, error: str | None = None,
                status: int = 200) -> Response:
    may_list = caller.at_least(Role.CONTRIBUTOR)
    items = trash.in_trash(runtime, caller) if may_list else []
    just = next((t for t in items if t.document.id == deleted), None)
    return render(request, "trash.html", status=status, section="browse", items=items,
                  days=runtime.settings.trash_days, may_list=may_list, just=just,
                  may_empty=caller.role is Role.ADMIN, outcome=outcome, error=error)


@router.get("/trash")
def trash_view(request: Request, runtime: RuntimeDep, caller: ReaderDep,
               deleted: str = "") -> Response:
    return _trash_page(request, runtime, caller, deleted=deleted)


@router.post("/trash/{doc_id}/restore")
def restore_submit(request: Request, runtime: RuntimeDep, caller: ReaderDep, doc_id: str,
                   csrf_token: Token = "") -> Response:
    if not form_allowed(request, csrf_token, always=True):
        return _trash_page(request, runtime, caller, error=EXPIRED, status=403)
    try:
        doc = trash.restore(runtime, caller, doc_id)
    except (IngestError, NotAllowed, DocumentNotFoundError) as exc:
        reason = ("That document is no longer in the trash, or it is not yours to restore."
                  if isinstance(exc, DocumentNotFoundError) else str(exc))
        return _trash_page(request, runtime, caller, error=reason, status=status_for(exc))
    return RedirectResponse(f"/documents/{doc.id}?restored=1", status_code=303)


@router.post("/trash/empty")
def empty_submit(request: Request, runtime: RuntimeDep, caller: ReaderDep,
                 confirm: Annotated[str, Form(max_length=10)] = "",
                 csrf_token: Token = "") -> Response:
    if not form_allowed(request, csrf_token, always=True):
        return _trash_page(request, runtime, caller, error=EXPIRED, status=403)
    if confirm != "yes":
        return _trash_page(request, runtime, caller, status=422,
                           error="Tick the box to confirm: emptying the trash cannot be undone.")
    try:
        gone = trash.empty(runtime, caller)
    except NotAllowed as exc:
        return _trash_page(request, runtime, caller, error=str(exc), status=status_for(exc))
    said = f"Removed {len(gone)} document{'s' if len(gone) != 1 else ''} for good."
    return _trash_page(request, runtime, caller, outcome=said)
