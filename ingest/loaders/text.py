"""Plain text: optional front matter, an underlined first line as title, CAPITALS or
'Heading:' lines as headings."""

from __future__ import annotations

import re

from ingest.errors import UnreadableFile
from ingest.loaders.frontmatter import split_front_matter
from ingest.models import LoadedDocument, Section

_HEADING_COLON = re.compile(r"^[^\-*•\d].{1,58}:$")


def decode_text(data: bytes, filename: str) -> str:
    """UTF-8 text (a BOM is fine); a binary or wrongly encoded file is refused."""
    if b"\x00" in data[:8192]:
        raise UnreadableFile(
            f"'{filename}' looks like a binary file, not text; upload the original document"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            f"'{filename}' is not valid UTF-8 text (byte {exc.start}); save it as UTF-8 and "
            "try again"
        ) from exc


def _is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    if len(line) > 80 or len(letters) < 3:
        return False
    return line.isupper() or bool(_HEADING_COLON.match(line))


_UNDERLINE = re.compile(r"^(=+|-+)\s*$")


def _underlined_title(lines: list[str]) -> tuple[str | None, list[str]]:
    """A first line underlined with === or --- is the title (and leaves the text); any other
    first line is text: it is often a greeting or boilerplate, so the file name serves."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if len(filled) >= 2 and filled[1] == filled[0] + 1:
        first, second = lines[filled[0]].strip(), lines[filled[1]]
        if _UNDERLINE.match(second) and len(first) <= 150:
            return first, lines[filled[1] + 1 :]
    return None, lines


def load_text(data: bytes, filename: str) -> LoadedDocument:
    meta, body = split_front_matter(decode_text(data, filename))
    lines = body.splitlines()
    title = meta.pop("title", None)
    if title is None:
        title, lines = _underlined_title(lines)
    sections: list[Section] = []
    heading: tuple[str, ...] = ()
    buffer: list[str] = []

    def flush() -> None:
        text = "\n".join(buffer).strip()
        if text:
            sections.append(Section(heading, text))
        buffer.clear()

    for line in lines:
        stripped = line.strip()
        if _is_heading(stripped):
            flush()
            heading = (stripped.rstrip(":").strip(),)
        else:
            buffer.append(line.rstrip())
    flush()
    return LoadedDocument(
        sections=sections,
        media_type="text/plain",
        title=str(title) if title else None,
        metadata=meta,
    )
