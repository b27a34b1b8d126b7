"""Real files made in memory: a multi-page PDF and a Word document, with title and author."""

from __future__ import annotations

import io

import docx
from fpdf import FPDF


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
