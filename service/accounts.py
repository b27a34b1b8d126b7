"""Accounts, roles and API tokens (stored only as hashes), and what each role may do."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from store.catalog import ADMIN_TOKENS_OWNER, OPEN_HUB_OWNER, Catalog
from store.records import DocumentRecord, Viewer


class Role(StrEnum):
    """From least to most: each role may do what the ones before it may."""

    ANONYMOUS = "anonymous"
    READER = "reader"
    CONTRIBUTOR = "contributor"
    FACILITATOR = "facilitator"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


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


def add_user(catalog: Catalog, user_id: str, role: Role, communities: tuple[str, ...]) -> str:
    """Create a user and return their API token (shown once; only its hash is kept)."""
    if not _USER_ID.match(user_id):
        raise ValueError("user ids are 2-63 lowercase letters, digits, '.', '_' or '-'")
    if role is Role.ANONYMOUS:
        raise ValueError("choose reader, contributor, facilitator or admin")
    token = secrets.token_urlsafe(32)
    catalog.add_user(user_id, role.value, communities, token_hash(token))
    return token


def authenticate(catalog: Catalog, admin_tokens: set[str], read_token: str | None,
                 token: str) -> Caller | None:
    """The caller a bearer token stands for, or None when it is not valid."""
    if is_admin_token(admin_tokens, token):
        return Caller(Role.ADMIN, ADMIN_TOKEN_ID)
    user = catalog.user_by_token_hash(token_hash(token))
    if user is not None:
        return Caller(Role(user["role"]), user["id"], tuple(user["communities"]))
    if read_token and hmac.compare_digest(token, read_token):
        return Caller(Role.READER)
    return None


def is_admin_token(admin_tokens: set[str], token: str) -> bool:
    return any(hmac.compare_digest(token, t) for t in admin_tokens)


class Principal(StrEnum):
    """What a web session was opened with: a user's token or one from COMMONS_API_TOKENS
    (the catalog ends a removed user's sessions by the "user" value)."""

    USER = "user"
    ADMIN_TOKEN = "admin-token"


SESSION_COOKIE = "commons_session"
SESSION_HOURS = 12


def start_session(catalog: Catalog, caller: Caller, token: str) -> str:
    """A random session id for the browser's cookie; only its hash is stored, beside the
    hash of the token that opened it, so the session ends when that token stops working."""
    if caller.user_id is None or caller.role is Role.ANONYMOUS:
        raise ValueError("only a user or an admin token can sign in")
    principal = Principal.ADMIN_TOKEN if caller.user_id == ADMIN_TOKEN_ID else Principal.USER
    session = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(hours=SESSION_HOURS)
    catalog.create_session(token_hash(session), principal.value, caller.user_id,
                           token_hash(token), expires.isoformat(timespec="seconds"))
    return session


def caller_for_session(catalog: Catalog, admin_tokens: set[str], session: str) -> Caller | None:
    """The signed-in caller, while the token that opened the session still works: a removed
    (or removed and re-added) user, or an admin token taken out of COMMONS_API_TOKENS, ends
    its sessions at once."""
    found = catalog.session(token_hash(session))
    if found is None:
        return None
    if found["principal"] == Principal.ADMIN_TOKEN.value:
        current = any(hmac.compare_digest(found["credential_hash"], token_hash(t))
                      for t in admin_tokens)
        return Caller(Role.ADMIN, ADMIN_TOKEN_ID) if current else None
    user = catalog.user_by_token_hash(found["credential_hash"])
    if found["principal"] != Principal.USER.value or user is None or \
            user["id"] != found["subject"]:
        return None
    return Caller(Role(user["role"]), user["id"], tuple(user["communities"]))
