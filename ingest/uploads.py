"""Turning an upload (a name and bytes) into a pipeline item, safely."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath

from ingest.errors import UnsupportedFileType
from ingest.loaders import SUPPORTED
from ingest.models import Overrides
from ingest.originals import content_hash
from ingest.pipeline import Item

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


def upload_item(filename: str, data: bytes, overrides: Overrides) -> Item:
    """An item for an uploaded file; its source names the content, so re-uploads dedupe."""
    name = safe_filename(filename)
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileType(
            f"'{name}': {suffix or 'files without an extension'} cannot be uploaded; "
            f"supported types are {', '.join(SUPPORTED)}"
        )
    source = f"upload:{content_hash(data)[:12]}/{name}"
    return Item(source=source, read=lambda: data, overrides=overrides, filename=name)


def pdf_page_count(data: bytes) -> int | None:
    """Pages of a PDF, or None when it cannot be read (the pipeline will say why)."""
    import io

    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception:
        return None
