"""Loaders turn the bytes of a supported file into sections of text and metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath
from typing import Protocol

from ingest.errors import NoTextError, UnreadableFile, UnsupportedFileType
from ingest.loaders.docx import load_docx
from ingest.loaders.image import SUFFIXES as IMAGE_SUFFIXES
from ingest.loaders.image import load_image
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf, pages_to_recognise
from ingest.loaders.text import load_text
from ingest.models import LoadedDocument, Section
from ingest.ocr import OcrLimits, PagesRead

Loader = Callable[[bytes, str], LoadedDocument]

MAX_TEXT_CHARS = 2_000_000  # about 600 pages; bounds memory and indexing time per document

LOADERS: dict[str, Loader] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".pdf": load_pdf,
    ".docx": load_docx,
    **dict.fromkeys(IMAGE_SUFFIXES, load_image),
}


class RecognisingLoader(Protocol):
    """A loader that reads pictures too (OCR), within the limits given."""

    def __call__(self, data: bytes, filename: str, *, ocr: OcrLimits | None = None,
                 pages_read: PagesRead | None = None) -> LoadedDocument: ...


class FileReader(Protocol):
    """What the pipeline reads a file with: `load`, or a `ParseWorker` running it in a bounded
    process. `pages_read` hears of each page recognised (OCR), for a job's progress."""

    def __call__(self, data: bytes, filename: str, *,
                 pages_read: PagesRead | None = None) -> LoadedDocument: ...


# The loaders of LOADERS that recognise pictures, called with the OCR limits.
RECOGNISING: dict[str, RecognisingLoader] = {
    ".pdf": load_pdf, **dict.fromkeys(IMAGE_SUFFIXES, load_image),
}

SUPPORTED = tuple(sorted(LOADERS))
# A title given in the text itself (front matter, a first heading); not a Word or PDF file's
# properties, which are often boilerplate ("Word Document"), and a PDF without text is a scan.
TITLE_IS_TEXT = {".md", ".markdown", ".txt"}


def is_supported(filename: str) -> bool:
    return PurePath(filename).suffix.lower() in LOADERS


def recognition_pages(data: bytes, filename: str) -> int:
    """How many pages of the file would be recognised by OCR (an upper bound): a photo is one
    page, a PDF its pages without a text layer, other types none."""
    suffix = PurePath(filename).suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return 1
    return len(pages_to_recognise(data)) if suffix == ".pdf" else 0


def load(data: bytes, filename: str, ocr: OcrLimits | None = None, *,
         pages_read: PagesRead | None = None) -> LoadedDocument:
    """Read a file by its extension; refuse unsupported types and files without text.

    Photos and pages without a text layer are recognised within `ocr`'s limits, and
    `pages_read` told after each."""
    suffix = PurePath(filename).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise UnsupportedFileType(
            f"'{filename}': {suffix or 'files without an extension'} cannot be read; "
            f"supported types are {', '.join(SUPPORTED)}"
        )
    if not data:
        raise NoTextError(f"'{filename}' is empty (0 bytes)")
    recognising = RECOGNISING.get(suffix)
    document = (recognising(data, filename, ocr=ocr, pages_read=pages_read) if recognising
                else loader(data, filename))
    chars = sum(len(s.text) for s in document.sections)
    if chars > MAX_TEXT_CHARS:
        raise UnreadableFile(
            f"'{filename}' holds {chars:,} characters of text; the limit is "
            f"{MAX_TEXT_CHARS:,} (about 600 pages). Split it and upload the parts"
        )
    if not any(s.text.strip() for s in document.sections) and document.title and \
            suffix in TITLE_IS_TEXT:
        # A record with a title and no body (a catalogue entry, a short note): the title is
        # its content and must be searchable.
        document = replace(document, sections=[Section((), document.title.strip())])
    if not any(s.text.strip() for s in document.sections):
        raise NoTextError(
            f"'{filename}' has no extractable text; the file may be scanned and need OCR"
        )
    return document
