"""Loaders turn the bytes of a supported file into sections of text and metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import PurePath

from ingest.errors import NoTextError, UnreadableFile, UnsupportedFileType
from ingest.loaders.docx import load_docx
from ingest.loaders.markdown import load_markdown
from ingest.loaders.pdf import load_pdf
from ingest.loaders.text import load_text
from ingest.models import LoadedDocument, Section

Loader = Callable[[bytes, str], LoadedDocument]

MAX_TEXT_CHARS = 2_000_000  # about 600 pages; bounds memory and indexing time per document

LOADERS: dict[str, Loader] = {
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
    ".pdf": load_pdf,
    ".docx": load_docx,
}

SUPPORTED = tuple(sorted(LOADERS))
# A title given in the text itself (front matter, a first heading); not a Word or PDF file's
# properties, which are often boilerplate ("Word Document"), and a PDF without text is a scan.
TITLE_IS_TEXT = {".md", ".markdown", ".txt"}


def is_supported(filename: str) -> bool:
    return PurePath(filename).suffix.lower() in LOADERS


def load(data: bytes, filename: str) -> LoadedDocument:
    """Read a file by its extension; refuse unsupported types and files without text."""
    suffix = PurePath(filename).suffix.lower()
    loader = LOADERS.get(suffix)
    if loader is None:
        raise UnsupportedFileType(
            f"'{filename}': {suffix or 'files without an extension'} cannot be read; "
            f"supported types are {', '.join(SUPPORTED)}"
        )
    if not data:
        raise NoTextError(f"'{filename}' is empty (0 bytes)")
    document = loader(data, filename)
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
