"""Who may do what, checked in one place for every way a person acts.

A refusal is a `NotAllowed` with a sentence the person can act on; the API turns it into
401 (not signed in) or 403, the page into a message. A document the caller may not see is
answered exactly as a missing one (DocumentNotFoundError), so its existence is not revealed.
"""

from __future__ import annotations

from service.accounts import Caller, Role
from service.runtime import Runtime
from store.errors import DocumentNotFoundError
from store.records import DocumentRecord, Filters


class NotAllowed(Exception):
    """The caller may not do this; `sign_in`: signing in (with a token) could change that."""

    def __init__(self, message: str, *, sign_in: bool = False) -> None:
        super().__init__(message)
        self.sign_in = sign_in


def require_writer(caller: Caller) -> Caller:
    """The caller, if it may add and change documents."""
    if not caller.at_least(Role.CONTRIBUTOR):
        raise NotAllowed("Changing documents needs a bearer token: a contributor's, or one "
                         "from COMMONS_API_TOKENS.", sign_in=caller.role is Role.ANONYMOUS)
    return caller


def require_admin(caller: Caller) -> Caller:
    if caller.role is not Role.ADMIN:
        raise NotAllowed("Only an admin may do this.", sign_in=caller.role is Role.ANONYMOUS)
    return caller


def require_write_into(caller: Caller, community: str | None) -> None:
    """Only admins put documents into a community they are not a member of."""
    if not caller.viewer.writes_into(community):
        raise NotAllowed(f"You may add documents only to your own communities, not to "
                         f"'{community}'.")


def require_change(caller: Caller, doc: DocumentRecord) -> None:
    if not caller.may_change(doc):
        raise NotAllowed("Only its owner, its community's facilitator or an admin may change "
                         "this document.")


def visible_document(runtime: Runtime, caller: Caller, doc_id: str) -> DocumentRecord:
    """The document if this caller may see it; otherwise exactly as if it did not exist."""
    found = runtime.index.catalog.documents(Filters(doc_ids=(doc_id,), viewer=caller.viewer))
    if not found:
        raise DocumentNotFoundError(doc_id)
    return found[0]
