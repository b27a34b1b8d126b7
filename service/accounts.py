"""Accounts, roles and API tokens (stored only as hashes), and what each role may do."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from store.accounts import Principal, Role
from store.catalog import ADMIN_TOKENS_OWNER, OPEN_HUB_OWNER
from store.protocol import AccountStore
from store.records import DocumentRecord, Viewer

__all__ = ["Caller", "Principal", "Role"]


@dataclass(frozen=True)
class Caller:
    """Who is calling: a role, a user id (for ownership) and the communities they belong to."""

    role: Role
    user_id: str | None = None
    communities: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.user_id or self.role.value

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.user_id, self.communities, admin=self.role is Role.ADMIN)

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    def may_change(self, doc: DocumentRecord) -> bool:
        """Admins change anything; facilitators their communities'; contributors their own."""
        if self.role is Role.ADMIN:
            return True
        if self.role is Role.FACILITATOR and doc.community in self.communities:
            return True
        return self.at_least(Role.CONTRIBUTOR) and bool(self.user_id) and doc.owner == self.user_id


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


_USER_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
# Callers that are not users get ids with a ':', which no user id can contain, so a user can
# never be taken for them (nor own what they uploaded).
ADMIN_TOKEN_ID = ADMIN_TOKENS_OWNER  # a token from COMMONS_API_TOKENS
OPEN_HUB_ID = OPEN_HUB_OWNER  # anyone, on a loopback hub without tokens or users
COMMAND_LINE_ID = "cli:local"  # whoever runs `commons` on the machine: they hold the data
COMMAND_LINE = Caller(Role.ADMIN, COMMAND_LINE_ID)


def add_user(accounts: AccountStore, user_id: str, role: Role, communities: tuple[str, ...]) -> str:
    """Create a user and return their API token (shown once; only its hash is kept)."""
    if not _USER_ID.match(user_id):
        raise ValueError("user ids are 2-63 lowercase letters, digits, '.', '_' or '-'")
    if role is Role.ANONYMOUS:
        raise ValueError("choose reader, contributor, facilitator or admin")
    if accounts.by_id(user_id) is not None:
        raise ValueError(f"a user '{user_id}' already exists; remove them first to replace them")
    token = secrets.token_urlsafe(32)
    accounts.add_user(user_id, role, communities, token_hash(token))
    return token


def authenticate(accounts: AccountStore, admin_tokens: set[str], read_token: str | None,
                 token: str) -> Caller | None:
    """The caller a bearer token stands for, or None when it is not valid."""
    if is_admin_token(admin_tokens, token):
        return Caller(Role.ADMIN, ADMIN_TOKEN_ID)
    user = accounts.by_token_hash(token_hash(token))
    if user is not None:
        return Caller(user.role, user.id, user.communities)
    if read_token and hmac.compare_digest(token, read_token):
        return Caller(Role.READER)
    return None


def is_admin_token(admin_tokens: set[str], token: str) -> bool:
    return any(hmac.compare_digest(token, t) for t in admin_tokens)


SESSION_COOKIE = "commons_session"
SESSION_HOURS = 12


def start_session(accounts: AccountStore, caller: Caller, token: str) -> str:
    """A random session id for the browser's cookie; only its hash is stored, beside the
    hash of the token that opened it, so the session ends when that token stops working."""
    if caller.user_id is None or caller.role is Role.ANONYMOUS:
        raise ValueError("only a user or an admin token can sign in")
    principal = Principal.ADMIN_TOKEN if caller.user_id == ADMIN_TOKEN_ID else Principal.USER
    session = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
    accounts.create_session(token_hash(session), principal, caller.user_id,
                            token_hash(token), expires.isoformat(timespec="seconds"))
    return session


def caller_for_session(accounts: AccountStore, admin_tokens: set[str],
                       session: str) -> Caller | None:
    """The signed-in caller, while the token that opened the session still works: a removed
    (or removed and re-added) user, or an admin token taken out of COMMONS_API_TOKENS, ends
    its sessions at once."""
    found = accounts.session(token_hash(session))
    if found is None:
        return None
    if found.principal is Principal.ADMIN_TOKEN:
        current = any(hmac.compare_digest(found.credential_hash, token_hash(t))
                      for t in admin_tokens)
        return Caller(Role.ADMIN, ADMIN_TOKEN_ID) if current else None
    user = accounts.by_token_hash(found.credential_hash)
    if user is None or user.id != found.subject:
        return None
    return Caller(user.role, user.id, user.communities)
