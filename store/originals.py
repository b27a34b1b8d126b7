"""Content-addressed store of the original files, so nothing ingested is ever lost."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OriginalStore:
    """Originals under `<root>/<2 hex>/<sha256>`; file names never touch the filesystem."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError("not a sha256 digest")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store durably (write, fsync, rename) and return the content hash."""
        digest = content_hash(data)
        target = self.path(digest)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        return self.path(digest).read_bytes()

    def stored_at(self, digest: str) -> float:
        """When the original was stored (POSIX time)."""
        return self.path(digest).stat().st_mtime

    def exists(self, digest: str) -> bool:
        return self.path(digest).exists()

    def digests(self) -> list[str]:
        return [p.name for p in self.root.glob("??/*") if not p.name.startswith(".")]

    def remove(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)
