"""Accounts: add, list and remove users; sign in and out; read the audit log (admins)."""

from __future__ import annotations

from service.accounts import Caller, Role, add_user, authenticate, start_session, token_hash
from service.operations.audit import AuditAction, record
from service.operations.permissions import require_admin
from service.runtime import Runtime
from store.accounts import User
from store.audit import AuditEntry


def add(runtime: Runtime, caller: Caller, user_id: str, role: Role,
        communities: tuple[str, ...]) -> str:
    """Add a user (admins only) and return their API token, shown once."""
    require_admin(caller)
    token = add_user(runtime.accounts, user_id, role, communities)
    record(runtime, caller, AuditAction.USER_ADD, None, f"{user_id} ({role.value})")
    return token


def listing(runtime: Runtime, caller: Caller) -> list[User]:
    require_admin(caller)
    return runtime.accounts.users()


def remove(runtime: Runtime, caller: Caller, user_id: str) -> bool:
    """Remove a user and end their sessions (admins only); False when there was none."""
    require_admin(caller)
    removed = runtime.accounts.remove_user(user_id)
    if removed:
        record(runtime, caller, AuditAction.USER_REMOVE, None, user_id)
    return removed


def sign_in(runtime: Runtime, token: str, previous_session: str | None = None
            ) -> tuple[Caller, str] | None:
    """Open a web session for a valid token (ending the browser's previous one): the caller
    and the session id for the cookie, or None when the token is not valid."""
    settings = runtime.settings
    caller = authenticate(runtime.accounts, settings.tokens, None, token)
    if caller is None:
        return None
    if previous_session:
        runtime.accounts.end_session(token_hash(previous_session))
    session = start_session(runtime.accounts, caller, token)
    record(runtime, caller, AuditAction.SIGN_IN)
    return caller, session


def sign_out(runtime: Runtime, session: str) -> None:
    runtime.accounts.end_session(token_hash(session))


def audit_entries(runtime: Runtime, caller: Caller, limit: int = 100) -> list[AuditEntry]:
    """Who did what, newest first (admins only)."""
    require_admin(caller)
    return runtime.audit.entries(limit)
