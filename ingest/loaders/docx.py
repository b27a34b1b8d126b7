"""Word .docx: paragraphs and tables, headings from paragraph styles.

python-docx opens the package and reads the styles and properties; the body is walked here,
once, in a time linear in its XML: python-docx's `row.cells` repeats a cell for every grid
column it spans and walks up a vertically merged column for every cell in it, so a small
crafted table cost minutes or gigabytes (bench/hostile.py --measure).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ingest.errors import UnreadableFile
from ingest.models import LoadedDocument, Section

# python-docx holds every part in memory. Real .docx files hardly compress (their bulk is
# images), so twice the 50 MB upload limit is ample; more is a zip bomb.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# XML becomes a tree of about 20 times its size (for `<w:p/>` repeated): 32 MB, ~650 MB.
# A 600-page document (the text limit) in Word's most verbose markup stays well under it.
MAX_XML_BYTES = 32 * 1024 * 1024
# Paragraphs and table cells; a 600-page document has some tens of thousands.
MAX_BLOCKS = 200_000
# Runs and the pieces of text in them (text, tabs, breaks), some µs each to read; a
# 600-page document (2 million characters) has some tens of thousands.
MAX_PIECES = 500_000
_HEADING = re.compile(r"^Heading (\d)$")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_V_MERGE = qn("w:vMerge")
_VAL = qn("w:val")
_R, _HYPERLINK = qn("w:r"), qn("w:hyperlink")
# What python-docx reads as a run's text; each element's str() is its text (a tab gives "\t").
_RUN_TEXT = tuple(qn(f"w:{t}") for t in ("br", "cr", "noBreakHyphen", "ptab", "t", "tab"))


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse files that are not zips, or that would inflate past the limits (zip bombs).

    The sizes in a zip's directory are upper bounds: zipfile stops at the declared size.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(
            f"'{filename}' is not a valid Word document (.docx files are zip archives)"
        ) from exc
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(
            f"'{filename}' would unpack to {total // (1024 * 1024)} MB; the limit is "
            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB"
        )
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    if xml > MAX_XML_BYTES:
        raise UnreadableFile(
            f"'{filename}' holds {xml // (1024 * 1024)} MB of XML; the limit is "
            f"{MAX_XML_BYTES // (1024 * 1024)} MB (far more than a 600-page document needs). "
            "Save it again from Word, or split it, and upload the parts"
        )


def _metadata(document: DocxDocument) -> tuple[str | None, dict[str, Any]]:
    props = document.core_properties
    meta: dict[str, Any] = {}
    if props.author:
        meta["authors"] = [a.strip() for a in props.author.replace(";", ",").split(",")]
    if props.keywords:
        meta["tags"] = [k.strip() for k in props.keywords.replace(";", ",").split(",")]
    if props.category:
        meta["community"] = props.category
    if props.created:
        meta["created"] = props.created.date().isoformat()
    return (props.title or None), meta


class _Styles:
    """Paragraph style names by id, read once (python-docx searches the styles per lookup)."""

    def __init__(self, document: DocxDocument) -> None:
        styles = document.styles
        self.names = {
            style.style_id: style.name or ""
            for style in styles
            if style.type == WD_STYLE_TYPE.PARAGRAPH
        }
        default = styles.default(WD_STYLE_TYPE.PARAGRAPH)
        self.default = (default.name or "") if default is not None else ""

    def of(self, paragraph: Any) -> str:
        """The name of a `<w:p>`'s style, or the default paragraph style's, as python-docx."""
        style_id = paragraph.style
        return self.names.get(style_id, self.default) if style_id else self.default


class _Reader:
    """Reads paragraphs and cells, within MAX_BLOCKS of them and MAX_PIECES of runs' text."""

    def __init__(self, filename: str) -> None:
        self.filename, self.used, self.pieces = filename, 0, 0

    def text(self, paragraph: Any) -> str:
        """A `<w:p>`'s text as python-docx reads it: its runs and its hyperlinks' runs.

        Walked child by child: python-docx's XPath for this takes quadratic time in libxml2
        on a paragraph of millions of runs or tabs.
        """
        self.spend()
        parts = []
        for child in paragraph.iterchildren(_R, _HYPERLINK):
            for run in (child,) if child.tag == _R else child.iterchildren(_R):
                self.piece()
                for part in run.iterchildren(*_RUN_TEXT):
                    self.piece()
                    parts.append(str(part))
        return "".join(parts)

    def piece(self) -> None:
        self.pieces += 1
        if self.pieces > MAX_PIECES:
            raise UnreadableFile(
                f"'{self.filename}' holds more than {MAX_PIECES:,} runs and pieces of text "
                "(tabs, breaks), far more than a 600-page document. Save it again from Word, "
                "or split it, and upload the parts"
            )

    def spend(self) -> None:
        self.used += 1
        if self.used > MAX_BLOCKS:
            raise UnreadableFile(
                f"'{self.filename}' holds more than {MAX_BLOCKS:,} paragraphs and table "
                "cells, far more than a 600-page document. Split it and upload the parts"
            )


def _cell_text(tc: Any, reader: _Reader) -> str:
    """A cell's text: its paragraphs and those of tables nested in it, each read once.

    A cell continuing a vertical merge is empty here; its text is in the merge's first cell.
    """
    reader.spend()
    merge = tc.find(f"{qn('w:tcPr')}/{_V_MERGE}")
    if merge is not None and merge.get(_VAL, "continue") == "continue":
        return ""
    return "\n".join(reader.text(paragraph) for paragraph in tc.iter(_P)).strip()


def _table_rows(table: Any, reader: _Reader) -> Iterator[str]:
    for row in table.iterchildren(_TR):
        yield " | ".join(_cell_text(tc, reader) for tc in row.iterchildren(_TC))


def load_docx(data: bytes, filename: str) -> LoadedDocument:
    _check_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
        styles = _Styles(document)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(f"'{filename}' is not a readable Word document ({exc})") from exc
    except MemoryError:
        raise
    except Exception as exc:  # lxml and friends raise many types on damaged XML
        raise UnreadableFile(f"'{filename}' is a damaged Word document ({exc})") from exc
    title, meta = _metadata(document)
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    buffer: list[str] = []
    tables: list[str] = []
    reader = _Reader(filename)

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(Section(tuple(t for _, t in stack), text))
        buffer.clear()

    first_heading: str | None = None  # the title when neither properties nor a Title say
    for block in document.element.body.iterchildren(_P, _TBL):
        if block.tag == _TBL:
            rows = _table_rows(block, reader)
            tables.append("\n".join(r for r in rows if r.strip(" |")))
            continue
        text = reader.text(block).strip()
        if not text:
            continue
        style = styles.of(block)
        match = _HEADING.match(style)
        if style == "Title":
            title = title or text
        elif match:
            level = int(match.group(1))
            first_heading = first_heading or text
            flush()
            stack[:] = [(lvl, t) for lvl, t in stack if lvl < level]
            stack.append((level, text))
        elif style.startswith("List"):
            buffer.append(f"- {text}")
        else:
            buffer.append(text)
    flush()
    sections.extend(Section((), text) for text in tables if text)
    return LoadedDocument(sections=sections, media_type=DOCX_TYPE, title=title or first_heading,
                          metadata=meta)
