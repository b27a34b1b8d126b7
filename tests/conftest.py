"""Fixtures that make real files, a real model and a real index in temporary folders."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from fpdf import FPDF

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from ingest.pipeline import Pipeline
from store.embedder import Embedder
from store.index import Index
from store.originals import OriginalStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test session."""
    return Embedder()


@pytest.fixture
def index(tmp_path: Path, embedder: Embedder) -> Iterator[Index]:
    idx = Index(tmp_path / "data", embedder)
    yield idx
    idx.close()


@pytest.fixture
def pipeline(index: Index, tmp_path: Path) -> Pipeline:
    return Pipeline(index, OriginalStore(tmp_path / "data" / "originals"))


def make_pdf(
    pages: list[str], title: str | None = None, author: str | None = None
) -> bytes:
    """A real PDF with one string of text per page (an empty string makes a blank page)."""
    pdf = FPDF(format="A4")
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.set_font("Helvetica", size=11)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def make_docx(
    blocks: list[tuple[str, str]], title: str | None = None, author: str | None = None
) -> bytes:
    """A real .docx; blocks are (style, text), style '' for a normal paragraph."""
    document = docx.Document()
    if title:
        document.core_properties.title = title
    if author:
        document.core_properties.author = author
    for style, text in blocks:
        document.add_paragraph(text, style=style or None)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
