"""PDF: text page by page with pypdf; title and author from the document information."""

from __future__ import annotations

import io
import logging
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ingest.errors import NoTextError, UnreadableFile
from ingest.models import LoadedDocument, Section

MAX_PAGES = 2000

logging.getLogger("pypdf").setLevel(logging.ERROR)


def page_ranges(pages: list[int]) -> str:
    """'3-5, 9' from [3, 4, 5, 9]."""
    ranges: list[str] = []
    start = prev = None
    for page in sorted(pages):
        if start is None:
            start = prev = page
        elif prev is not None and page == prev + 1:
            prev = page
        else:
            ranges.append(f"{start}-{prev}" if start != prev else f"{start}")
            start = prev = page
    if start is not None:
        ranges.append(f"{start}-{prev}" if start != prev else f"{start}")
    return ", ".join(ranges)


def _metadata(reader: PdfReader) -> tuple[str | None, dict[str, Any]]:
    info = reader.metadata
    if info is None:
        return None, {}
    meta: dict[str, Any] = {}
    if info.author:
        meta["authors"] = [a.strip() for a in str(info.author).replace(";", ",").split(",")]
    if info.subject:
        meta["subject"] = str(info.subject)
    if info.keywords:
        meta["tags"] = [k.strip() for k in str(info.keywords).replace(";", ",").split(",")]
    try:
        created = info.creation_date
    except (ValueError, TypeError):
        created = None
    if created is not None:
        meta["created"] = created.date().isoformat()
    title = str(info.title).strip() if info.title else None
    return title or None, meta


def load_pdf(data: bytes, filename: str, max_pages: int = MAX_PAGES) -> LoadedDocument:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableFile(
                f"'{filename}' is an encrypted PDF; save a copy without a password and upload that"
            )
        n_pages = len(reader.pages)
    except UnreadableFile:
        raise
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise UnreadableFile(f"'{filename}' is not a readable PDF ({exc})") from exc
    if n_pages > max_pages:
        raise UnreadableFile(
            f"'{filename}' has {n_pages} pages; the limit is {max_pages}. Split it and upload "
            "the parts"
        )
    sections: list[Section] = []
    empty: list[int] = []
    for number in range(1, n_pages + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""
        except Exception:
            text = ""
        text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
        if text:
            sections.append(Section((), text, page=number))
        else:
            empty.append(number)
    if not sections:
        raise NoTextError(
            f"'{filename}' has no extractable text; the file may be scanned and need OCR"
        )
    warnings = []
    if empty:
        warnings.append(
            f"pages {page_ranges(empty)} have no text layer and were not indexed; "
            "they may be scanned images that need OCR"
        )
    title, meta = _metadata(reader)
    return LoadedDocument(
        sections=sections,
        media_type="application/pdf",
        title=title,
        metadata=meta,
        n_pages=n_pages,
        warnings=warnings,
    )
