"""The trash: a deleted document waits here, restorable, for COMMONS_TRASH_DAYS days.

Deleting (service.operations.documents.delete) takes a document out of every index at once
and keeps its record and original. Whoever may change a document may restore it (its owner,
its community's facilitator, an admin): it is indexed again from its original, fully
searchable. Admins empty the trash; documents past their days go at the next clean-up (each
listing of the trash, and when the hub starts). Every step is in the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ingest.errors import IngestError
from ingest.models import Outcome
from service.accounts import Caller
from service.operations.audit import AuditAction, record
from service.operations.permissions import require_admin, require_writer
from service.runtime import Runtime
from store.errors import DocumentNotFoundError
from store.records import DocumentRecord, TrashedDocument

EXPIRY_ACTOR = "trash clean-up"


def in_trash(runtime: Runtime, caller: Caller) -> list[TrashedDocument]:
    """The documents in the trash that the caller may restore, most recently deleted first."""
    require_writer(caller)
    purge_expired(runtime)
    return [t for t in runtime.index.catalog.trashed() if caller.may_change(t.document)]


def restore(runtime: Runtime, caller: Caller, doc_id: str) -> DocumentRecord:
    """Bring a document back from the trash, searchable again (audited)."""
    require_writer(caller)
    found = runtime.index.catalog.trashed(doc_id)
    if not found or not caller.may_change(found[0].document):
        raise DocumentNotFoundError(doc_id)  # as for any document the caller may not see
    result = runtime.restore(doc_id)
    if result.outcome is Outcome.FAILED or result.document is None:
        raise IngestError(f"'{found[0].document.title}' could not be restored: "
                          f"{result.reason or 'indexing failed'}. It is still in the trash.")
    record(runtime, caller, AuditAction.RESTORE, doc_id, result.document.source)
    return result.document


def empty(runtime: Runtime, caller: Caller) -> list[DocumentRecord]:
    """Remove every document in the trash for good (admins only); the ones removed."""
    require_admin(caller)
    gone = [runtime.purge(t.document.id) for t in runtime.index.catalog.trashed()]
    for doc in gone:
        record(runtime, caller, AuditAction.PURGE, doc.id, doc.source)
    return gone


def expired(trashed: list[TrashedDocument], days: int, now: datetime) -> list[TrashedDocument]:
    """The documents that have been in the trash longer than `days`."""
    cutoff = now - timedelta(days=days)
    return [t for t in trashed if datetime.fromisoformat(t.trashed_at) <= cutoff]


def purge_expired(runtime: Runtime, now: datetime | None = None) -> list[DocumentRecord]:
    """Remove for good the documents past COMMONS_TRASH_DAYS (audited as the clean-up)."""
    due = expired(runtime.index.catalog.trashed(), runtime.settings.trash_days,
                  now or datetime.now(UTC))
    gone = []
    for t in due:
        doc = runtime.purge(t.document.id)
        runtime.audit.append(EXPIRY_ACTOR, AuditAction.PURGE, doc.id,
                             f"{doc.source}, {runtime.settings.trash_days} days in the trash")
        gone.append(doc)
    return gone
