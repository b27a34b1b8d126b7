"""Markdown: front matter for metadata, markdown-it-py for the heading structure."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ingest.loaders.frontmatter import split_front_matter
from ingest.loaders.text import decode_text
from ingest.models import LoadedDocument, Section

_PARSER = MarkdownIt("commonmark").enable("table")


def _inline_text(token: Token) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts).strip()


def parse_markdown(body: str) -> tuple[str | None, list[Section]]:
    """The first-level heading (if any) and the text grouped under each heading path."""
    tokens = _PARSER.parse(body)
    stack: list[tuple[int, str]] = []
    sections: list[Section] = []
    blocks: list[str] = []
    h1: str | None = None
    list_depth = 0
    in_heading = 0

    def flush() -> None:
        text = "\n".join(b for b in blocks if b).strip()
        if text:
            sections.append(Section(tuple(title for _, title in stack), text))
        blocks.clear()

    row: list[str] | None = None
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            in_heading = int(token.tag[1])
        elif token.type == "heading_close":
            in_heading = 0
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            list_depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            list_depth -= 1
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks.append(" | ".join(row))
            row = None
        elif token.type == "inline" and in_heading:
            title = _inline_text(token)
            if in_heading == 1 and h1 is None and not sections and not blocks:
                h1 = title
                continue
            flush()
            stack[:] = [(lvl, t) for lvl, t in stack if lvl < in_heading]
            stack.append((in_heading, title))
        elif token.type == "inline" and row is not None:
            row.append(_inline_text(token))
        elif token.type == "inline":
            text = _inline_text(token)
            if list_depth and i > 0 and tokens[i - 1].type == "paragraph_open":
                text = "- " + text
            blocks.append(text)
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content.strip())
    flush()
    return h1, sections


def load_markdown(data: bytes, filename: str) -> LoadedDocument:
    meta, body = split_front_matter(decode_text(data, filename))
    h1, sections = parse_markdown(body)
    title = meta.pop("title", None) or h1
    return LoadedDocument(
        sections=sections,
        media_type="text/markdown",
        title=str(title) if title else None,
        metadata=meta,
    )
