"""The actions the audit log records, written after the action succeeded (never before)."""

from __future__ import annotations

from enum import StrEnum

from service.accounts import Caller
from service.runtime import Runtime


class AuditAction(StrEnum):
    UPLOAD = "upload"
    CHANGE = "change"
    DELETE = "delete"  # into the trash
    RESTORE = "restore"  # out of the trash
    PURGE = "purge"  # out of the trash for good
    DOWNLOAD = "download"
    EXPORT = "export"
    IMPORT = "import"
    SIGN_IN = "sign-in"
    USER_ADD = "user-add"
    USER_REMOVE = "user-remove"
    TAG_MERGE = "tag-merge"


def record(runtime: Runtime, caller: Caller, action: AuditAction, doc_id: str | None = None,
           detail: str = "") -> None:
    """Append one entry for an action that has happened."""
    runtime.audit.append(caller.name, action, doc_id, detail)
