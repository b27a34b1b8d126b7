"""Pure display helpers for the templates: labels for pages, dates, kinds, and section text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from store.records import Kind

KIND_LABELS = {Kind.PRACTICE: "Practice", Kind.SESSION_NOTE: "Session note",
               Kind.READING: "Reading"}
KIND_PLURALS = {Kind.PRACTICE: "Practices", Kind.SESSION_NOTE: "Session notes",
                Kind.READING: "Readings"}
FILE_LABELS = {".pdf": "PDF", ".docx": "Word", ".md": "Markdown", ".markdown": "Markdown",
               ".txt": "text"}
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,3}[.)])\s+(.*)$")
_SENTENCE_END = (".", ",", ";", ":", "!", "?")


def page_label(start: int | None, end: int | None) -> str:
    """'p. 3', 'pp. 3-4', or '' when the passage has no page (not a PDF)."""
    if start is None:
        return ""
    if end is None or end == start:
        return f"p. {start}"
    return f"pp. {start}-{end}"


def date_label(iso: str | None) -> str:
    """'12 March 2026' for '2026-03-12'; anything unparsable is shown as it is."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"


def kind_label(kind: Kind | str, plural: bool = False) -> str:
    try:
        value = Kind(kind)
    except ValueError:
        return str(kind)
    return (KIND_PLURALS if plural else KIND_LABELS)[value]


def heading_label(path: Iterable[str]) -> str:
    """A heading path as people read it: 'Roles \u203a Convenor' (a right-pointing angle quote)."""
    return " \u203a ".join(p for p in path if p)


def file_label(filename: str) -> str:
    """'PDF', 'Word', 'Markdown' or 'text', for the download link."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return FILE_LABELS.get(suffix, "file")


def pages_label(n_pages: int | None) -> str:
    if not n_pages:
        return ""
    return "1 page" if n_pages == 1 else f"{n_pages} pages"


@dataclass(frozen=True)
class Block:
    """A paragraph ('p'), a short line that reads as a sub-heading ('h') or a list ('ul')."""

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    mark: str = ""  # "first" or "more": part of the passage a search result linked to


def text_blocks(text: str, reflow: bool = False) -> list[Block]:
    """Paragraphs and lists from extracted text.

    With `reflow` (PDF text, hard-wrapped at the page edge) a line that follows a long line is
    joined to it, and a short line without end punctuation is taken as a sub-heading.
    """
    lines = [line.rstrip() for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    blocks: list[Block] = []
    current: list[str] = []  # lines of the open paragraph or list item
    items: list[str] = []
    mode = ""  # "p", "ul" or "" when nothing is open

    def close() -> None:
        nonlocal current, items, mode
        if mode == "p" and current:
            blocks.append(Block("p", " ".join(current)))
        elif mode == "ul":
            if current:
                items.append(" ".join(current))
            blocks.append(Block("ul", items=tuple(items)))
        current, items, mode = [], [], ""

    previous = ""
    for line in lines:
        stripped = line.strip()
        bullet = _BULLET.match(line)
        if not stripped:
            close()
        elif bullet:
            if mode != "ul":
                close()
                mode = "ul"
            elif current:
                items.append(" ".join(current))
            current = [bullet.group(1).strip()]
        elif reflow and mode and len(previous) >= 0.6 * width:
            current.append(stripped)  # the previous line ran to the margin: same paragraph
        elif reflow and _looks_like_heading(stripped):
            close()
            blocks.append(Block("h", stripped))
        else:
            close()
            mode, current = "p", [stripped]
            if not reflow:
                close()
        previous = stripped
    close()
    return blocks


def _looks_like_heading(line: str) -> bool:
    """A short line that starts with a capital and does not end like a sentence or a link."""
    return (len(line) < 50 and line[0].isupper() and "://" not in line
            and not line.endswith(_SENTENCE_END))


@dataclass(frozen=True)
class Part:
    """One step of a document's outline: a heading, a page marker, or a section's text."""

    kind: str  # "heading", "page" or "text"
    level: int = 0
    label: str = ""
    anchor: str = ""
    blocks: tuple[Block, ...] = field(default_factory=tuple)


MIN_MARKED = 20  # characters: a shorter block ("Yes.") is no evidence of the passage


def _squeezed(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def mark_passage(parts: Sequence[Part], passage: str) -> list[Part]:
    """The outline with the blocks that belong to `passage` marked (the first as "first").

    A block belongs when its words run inside the passage's, or the passage's inside its
    (a passage may be part of one long paragraph); punctuation and line breaks are ignored.
    """
    wanted = _squeezed(passage)
    if not wanted:
        return list(parts)
    first = True
    marked: list[Part] = []
    for part in parts:
        blocks = []
        for block in part.blocks:
            words = _squeezed(" ".join((block.text, *block.items)))
            if len(words) >= MIN_MARKED and (words in wanted or wanted in words):
                block = replace(block, mark="first" if first else "more")
                first = False
            blocks.append(block)
        marked.append(replace(part, blocks=tuple(blocks)))
    return marked


def section_anchor(path: Iterable[str]) -> str:
    """The anchor of a heading path on the document page, which a search result links to:
    `section-` and the path's words, lower case, joined by '-' (ASCII letters and digits)."""
    words = re.findall(r"[a-z0-9]+", " ".join(path).lower())
    return "section-" + "-".join(words)[:80] if words else ""


def outline(sections: Sequence[tuple[Sequence[str], str, int | None]]) -> list[Part]:
    """The document as headings, page markers and text, from (heading path, text, page).

    A heading is repeated only where the path changes, and a page marker (with a
    `page-N` anchor that search results link to) only where the page changes.
    """
    parts: list[Part] = []
    shown: tuple[str, ...] = ()
    page: int | None = None
    anchors: set[str] = set()  # a path that comes back keeps the anchor of its first place
    for path, text, section_page in sections:
        if section_page is not None and section_page != page:
            page = section_page
            parts.append(Part("page", label=f"Page {page}", anchor=f"page-{page}"))
        path = tuple(path)
        common = 0
        while common < min(len(path), len(shown)) and path[common] == shown[common]:
            common += 1
        for depth in range(common, len(path)):
            anchor = section_anchor(path[: depth + 1])
            anchor = "" if anchor in anchors else anchor
            anchors.add(anchor)
            parts.append(Part("heading", level=min(depth + 2, 4), label=path[depth],
                              anchor=anchor))
        shown = path
        parts.append(Part("text", blocks=tuple(text_blocks(text, reflow=section_page is not None))))
    return parts
