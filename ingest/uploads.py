"""Turning an upload (a name and bytes) into a pipeline item, safely."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from ingest.errors import UnsupportedFileType
from ingest.loaders import SUPPORTED
from ingest.models import Overrides
from ingest.pipeline import Item
from store.originals import content_hash
from store.records import DocumentRecord

MAX_NAME = 120


def safe_filename(name: str) -> str:
    """A display name with no path, control characters or NULs; never used as a path."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").split("/")[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip().lstrip(".")
    if len(name) > MAX_NAME:
        stem, suffix = PurePath(name).stem, PurePath(name).suffix[:10]
        name = stem[: MAX_NAME - len(suffix)] + suffix
    return name or "upload"


def upload_item(
    filename: str, data: bytes, overrides: Overrides,
    may_see: Callable[[DocumentRecord], bool] | None = None,
) -> Item:
    """An item for an uploaded file; its source names the uploader and the content, so a
    person's re-uploads dedupe and never touch another person's document."""
    name = safe_filename(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileType(
            f"'{name}': {suffix or 'files without an extension'} cannot be uploaded; "
            f"supported types are {', '.join(SUPPORTED)}"
        )
    owner = overrides.owner or "anyone"
    source = f"upload:{owner}/{content_hash(data)[:12]}/{name}"
    return Item(source=source, read=lambda: data, overrides=overrides, filename=name,
                may_see=may_see)


def upload_overrides(saved: dict[str, Any]) -> Overrides:
    """Overrides saved as JSON with a queued upload (lists come back as tuples)."""
    known = {f.name for f in dataclasses.fields(Overrides)}
    values: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in saved.items() if k in known
    }
    return Overrides(**values)  # which makes enums of their saved values


def saved_overrides(overrides: Overrides) -> dict[str, Any]:
    """Overrides as JSON-ready values, to queue with an upload."""
    return {k: list(v) if isinstance(v, tuple) else v
            for k, v in dataclasses.asdict(overrides).items()}


def pdf_page_count(data: bytes) -> int | None:
    """Pages of a PDF, or None when it cannot be read (the pipeline will say why)."""
    import io

    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:
        return None
