"""Word .docx: paragraphs and tables with python-docx; headings from paragraph styles."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import PackageNotFoundError

from ingest.errors import UnreadableFile
from ingest.models import LoadedDocument, Section

MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
_HEADING = re.compile(r"^Heading (\d)$")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse files that are not zips, or that would inflate past the limit (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise UnreadableFile(
            f"'{filename}' is not a valid Word document (.docx files are zip archives)"
        ) from exc
    if total > MAX_UNZIPPED_BYTES:
        raise UnreadableFile(
            f"'{filename}' would unpack to {total // (1024 * 1024)} MB; the limit is "
            f"{MAX_UNZIPPED_BYTES // (1024 * 1024)} MB"
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


def load_docx(data: bytes, filename: str) -> LoadedDocument:
    _check_zip(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UnreadableFile(f"'{filename}' is not a readable Word document ({exc})") from exc
    except Exception as exc:  # lxml and friends raise many types on damaged XML
        raise UnreadableFile(f"'{filename}' is a damaged Word document ({exc})") from exc
    title, meta = _metadata(document)
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(Section(tuple(t for _, t in stack), text))
        buffer.clear()

    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = paragraph.style.name if paragraph.style is not None else ""
        match = _HEADING.match(style or "")
        if style == "Title":
            title = title or text
        elif match:
            level = int(match.group(1))
            flush()
            stack[:] = [(lvl, t) for lvl, t in stack if lvl < level]
            stack.append((level, text))
        elif style and style.startswith("List"):
            buffer.append(f"- {text}")
        else:
            buffer.append(text)
    flush()
    for table in document.tables:
        rows = [" | ".join(cell.text.strip() for cell in row.cells) for row in table.rows]
        text = "\n".join(r for r in rows if r.strip(" |"))
        if text:
            sections.append(Section((), text))
    return LoadedDocument(sections=sections, media_type=DOCX_TYPE, title=title, metadata=meta)
