"""Originals in PostgreSQL, so that no replica keeps state on its own disk.

In the database rather than in S3-compatible storage: one engine to run, back up (`pg_dump`)
and restore, and an original and its catalog row can never drift apart between two backups.
Uploads are bounded (COMMONS_MAX_UPLOAD_MB), well within what a bytea holds.
"""

from __future__ import annotations

import time
from typing import Any

from store.originals import content_hash
from store.postgres.database import Database


class PgOriginals:
    """Content-addressed originals in the `originals` table."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def put(self, data: bytes) -> str:
        digest = content_hash(data)
        with self._database.transaction() as db:
            db.execute("INSERT INTO originals(digest, data, stored_at) VALUES (?, ?, ?) "
                       "ON CONFLICT(digest) DO NOTHING", (digest, data, time.time()))
        return digest

    def _one(self, digest: str, column: str) -> Any:
        rows = self._database.read(f"SELECT {column} FROM originals WHERE digest = ?", (digest,))
        if not rows:
            raise FileNotFoundError(f"no original with digest {digest}")
        return rows[0][column]

    def get(self, digest: str) -> bytes:
        return bytes(self._one(digest, "data"))

    def exists(self, digest: str) -> bool:
        return bool(self._database.read("SELECT 1 FROM originals WHERE digest = ?", (digest,)))

    def stored_at(self, digest: str) -> float:
        return float(self._one(digest, "stored_at"))

    def digests(self) -> list[str]:
        return [r["digest"] for r in self._database.read("SELECT digest FROM originals")]

    def remove(self, digest: str) -> None:
        with self._database.transaction() as db:
            db.execute("DELETE FROM originals WHERE digest = ?", (digest,))
