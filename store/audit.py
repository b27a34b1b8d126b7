"""The audit log: who did what to which document, append-only (the database refuses changes).

Its table is created with the catalog's schema, with triggers that abort any UPDATE or
DELETE. What counts as an action is the operations layer's (service.operations.audit);
entries are written only after the action succeeded.
"""

from __future__ import annotations

from dataclasses import dataclass

from store.catalog import Catalog
from store.records import now_iso


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    doc_id: str | None
    detail: str


class AuditLog:
    """Append and read the audit entries of one catalog's database."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def append(self, actor: str, action: str, doc_id: str | None = None,
               detail: str = "") -> None:
        with self._catalog.transaction() as db:
            db.execute("INSERT INTO audit(at, actor, action, doc_id, detail) VALUES (?,?,?,?,?)",
                       (now_iso(), actor, str(action),
                        doc_id, detail))

    def entries(self, limit: int = 100) -> list[AuditEntry]:
        """The latest entries, newest first."""
        rows = self._catalog.read(
            "SELECT seq, at, actor, action, doc_id, detail FROM audit ORDER BY seq DESC LIMIT ?",
            (limit,))
        return [AuditEntry(int(r["seq"]), r["at"], r["actor"], r["action"], r["doc_id"],
                           r["detail"]) for r in rows]
