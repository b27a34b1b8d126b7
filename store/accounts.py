"""Accounts: users with their role and communities, and web sessions (hashes only).

Kept in the catalog's database (its tables are created with the catalog's schema), so that
removing a user and ending their sessions is one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from store.catalog import Catalog
from store.records import now_iso


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


class Principal(StrEnum):
    """What a web session was opened with: a user's token or one from COMMONS_API_TOKENS."""

    USER = "user"
    ADMIN_TOKEN = "admin-token"


@dataclass(frozen=True)
class User:
    id: str
    role: Role
    communities: tuple[str, ...] = ()
    created_at: str = ""


@dataclass(frozen=True)
class Session:
    """An unexpired web session: who opened it, as whom, with the hash of which token."""

    principal: Principal
    subject: str
    credential_hash: str


def _user(row: Any) -> User:
    return User(row["id"], Role(row["role"]), tuple(json.loads(row["communities"])),
                row["created_at"])


class Accounts:
    """Users and sessions of one catalog's database."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def add_user(self, user_id: str, role: Role, communities: Sequence[str],
                 token_hash: str) -> User:
        """Add a user; raises AlreadyExistsError when the id (or token) is taken."""
        user = User(user_id, role, tuple(communities), now_iso())
        with self._catalog.transaction() as db:
            db.execute(
                "INSERT INTO users(id, role, communities, token_hash, created_at) "
                "VALUES (?,?,?,?,?)",
                (user.id, user.role.value, json.dumps(list(user.communities)), token_hash,
                 user.created_at),
            )
        return user

    def remove_user(self, user_id: str) -> bool:
        """Remove a user and end their web sessions, together."""
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM sessions WHERE principal = ? AND subject = ?",
                       (Principal.USER.value, user_id))
            return db.execute("DELETE FROM users WHERE id = ?", (user_id,)).rowcount > 0

    def users(self) -> list[User]:
        rows = self._catalog.read(
            "SELECT id, role, communities, created_at FROM users ORDER BY id")
        return [_user(r) for r in rows]

    def by_token_hash(self, token_hash: str) -> User | None:
        rows = self._catalog.read(
            "SELECT id, role, communities, created_at FROM users WHERE token_hash = ?",
            (token_hash,))
        return _user(rows[0]) if rows else None

    def by_id(self, user_id: str) -> User | None:
        rows = self._catalog.read(
            "SELECT id, role, communities, created_at FROM users WHERE id = ?", (user_id,))
        return _user(rows[0]) if rows else None

    def has_users(self) -> bool:
        return bool(self._catalog.read("SELECT 1 FROM users LIMIT 1"))

    # --- web sessions ---------------------------------------------------------------------
    def create_session(self, id_hash: str, principal: Principal, subject: str,
                       credential_hash: str, expires_at: str) -> None:
        """A session of `subject` (a user id, or the admin tokens' id), bound to the hash of
        the token that opened it; expired sessions go at the same time."""
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM sessions WHERE expires_at < ?", (now_iso(),))
            db.execute("INSERT INTO sessions(id_hash, principal, subject, credential_hash, "
                       "expires_at) VALUES (?,?,?,?,?)",
                       (id_hash, principal.value, subject, credential_hash, expires_at))

    def session(self, id_hash: str) -> Session | None:
        """The unexpired session with this id hash, or None."""
        rows = self._catalog.read("SELECT principal, subject, credential_hash FROM sessions "
                                  "WHERE id_hash = ? AND expires_at > ?", (id_hash, now_iso()))
        if not rows or rows[0]["principal"] not in set(Principal):
            return None
        row = rows[0]
        return Session(Principal(row["principal"]), str(row["subject"]),
                       str(row["credential_hash"]))

    def end_session(self, id_hash: str) -> None:
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))
