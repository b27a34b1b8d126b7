"""PDF: text page by page with pypdf; title and author from the document information.

Pages without a text layer (scanned) are rendered with pypdfium2 and recognised by OCR
(ingest/ocr.py); pages that have one are never recognised, so a mixed PDF costs only its scans.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from ingest.errors import NoTextError, UnreadableFile
from ingest.models import LoadedDocument, Section
from ingest.ocr import (
    OcrLimits,
    PagesRead,
    Recognised,
    is_readable,
    notes_for,
    recognise,
    tesseract_available,
)

MAX_PAGES = 2000
SCAN_DPI = 300  # what Tesseract reads best; lowered for a page that would pass max_pixels

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


def _pictures_only(reader: PdfReader) -> list[int]:
    """Pages (1-based) with pictures and no font of their own: scans, without a text layer.
    A blank page has neither, and nothing to recognise."""
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else {}
        if not resources.get("/Font") and resources.get("/XObject"):
            pages.append(number)
    return pages


def pages_to_recognise(data: bytes) -> list[int]:
    """Pages (1-based) that would need OCR, by a quick look at each page's resources without
    extracting text; [] for a file that cannot be read (reading it will say why)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return [] if reader.is_encrypted else _pictures_only(reader)
    except Exception:
        return []


def recognise_pages(data: bytes, filename: str, pages: list[int], limits: OcrLimits,
                    pages_read: PagesRead | None = None) -> dict[int, Recognised]:
    """Each page (1-based) rendered as an image and recognised, one page at a time;
    `pages_read` is told after each."""
    import pypdfium2

    found: dict[int, Recognised] = {}
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise UnreadableFile(f"'{filename}' is not a readable PDF ({exc})") from exc
    try:
        for number in pages:
            page = pdf[number - 1]
            width, height = page.get_size()  # in points, 72 to the inch
            scale = min(SCAN_DPI / 72, (limits.max_pixels / max(width * height, 1)) ** 0.5)
            image = page.render(scale=scale, grayscale=True).to_pil()
            found[number] = recognise(image, limits, f"'{filename}', p. {number}")
            page.close()
            if pages_read is not None:
                pages_read(len(found), len(pages))
    finally:
        pdf.close()
    return found


def load_pdf(data: bytes, filename: str, max_pages: int = MAX_PAGES, *,
             ocr: OcrLimits | None = None, pages_read: PagesRead | None = None
             ) -> LoadedDocument:
    """The text of each page; pages without a text layer are recognised when Tesseract is
    installed (else indexed without them, with a warning)."""
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
    pages: dict[int, Section] = {}
    empty: list[int] = []
    for number in range(1, n_pages + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""
        except Exception:
            text = ""
        text = "\n".join(line.rstrip() for line in text.splitlines()).strip()
        if text:
            pages[number] = Section((), text, page=number)
        else:
            empty.append(number)
    warnings: list[str] = []
    limits = ocr or OcrLimits()
    try:
        scans = [n for n in _pictures_only(reader) if n in empty]
    except Exception:  # damaged resources: treat every page without text as a scan
        scans = empty
    if len(scans) > limits.max_pages:
        raise UnreadableFile(
            f"'{filename}' has {len(scans)} scanned pages to recognise; the limit is "
            f"{limits.max_pages} per file. Split it and upload the parts"
        )
    if scans and tesseract_available():
        recognised = recognise_pages(data, filename, scans, limits, pages_read)
        readable = {n: r for n, r in recognised.items() if is_readable(r)}
        pages.update((n, Section((), r.text, page=n)) for n, r in readable.items())
        warnings += notes_for({n: r.confidence for n, r in readable.items()}, limits)
        empty = [n for n in empty if n not in readable]
        if not pages:
            raise NoTextError(
                f"'{filename}' has no text layer and no readable text was recognised on its "
                f"{n_pages} page(s); if it shows writing, scan it again at 300 dpi, straight "
                "and in even light"
            )
        if empty:
            warnings.append(f"pages {page_ranges(empty)} have no readable text (blank or "
                            "unclear when recognised) and were not indexed")
    elif not pages:
        missing = ", and Tesseract (Debian's tesseract-ocr), which would read it, is not " \
            "installed on this server" if scans else ""
        raise NoTextError(
            f"'{filename}' has no extractable text; the file may be scanned and need OCR{missing}"
        )
    elif empty:
        warnings.append(
            f"pages {page_ranges(empty)} have no text layer and were not indexed; "
            "they may be scanned images that need OCR"
        )
    sections = [pages[n] for n in sorted(pages)]
    title, meta = _metadata(reader)
    return LoadedDocument(
        sections=sections,
        media_type="application/pdf",
        title=title,
        metadata=meta,
        n_pages=n_pages,
        warnings=warnings,
    )
