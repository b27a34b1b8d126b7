"""Structure-aware chunking bounded by the model's own token window.

Chunks never cross a heading or a page boundary, except that a tiny section is carried into
the next one so that it is not embedded on its own. Nothing is truncated: a sentence longer
than the window is split into word windows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ingest.models import Section
from store.records import ChunkRecord

TokenCounter = Callable[[Sequence[str]], list[int]]

_PARAGRAPHS = re.compile(r"\n\s*\n")
_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])|\n")


@dataclass(frozen=True)
class ChunkingOptions:
    max_tokens: int = 256  # the model's window, special tokens included
    overlap_tokens: int = 32
    min_tokens: int = 40
    contextual: bool = True  # embed and index title + heading path with each chunk


def context_line(title: str, heading_path: Sequence[str]) -> str:
    """Title and heading path, embedded and indexed with each chunk."""
    return " > ".join([title, *heading_path]) if title else " > ".join(heading_path)


def _units(text: str) -> list[str]:
    units: list[str] = []
    for paragraph in _PARAGRAPHS.split(text):
        units.extend(s.strip() for s in _SENTENCES.split(paragraph) if s.strip())
    return units


def _split_long(unit: str, budget: int, count: TokenCounter) -> list[str]:
    """Cut a unit over the budget into word windows that fit it."""
    words = unit.split()
    pieces: list[str] = []
    start = 0
    step = max(8, budget // 2)
    while start < len(words):
        end = min(len(words), start + step * 2)
        while end > start + 1 and count([" ".join(words[start:end])])[0] > budget:
            end = start + max(1, (end - start) * 3 // 4)
        pieces.append(" ".join(words[start:end]))
        start = end
    return pieces


@dataclass
class _Group:
    heading_path: tuple[str, ...]
    page_start: int | None
    page_end: int | None
    units: list[tuple[str, int]]


def chunk_sections(
    doc_id: str,
    title: str,
    sections: Sequence[Section],
    count: TokenCounter,
    options: ChunkingOptions = ChunkingOptions(),
) -> list[ChunkRecord]:
    """Chunks of a document, in reading order, each with its context and pages."""
    groups: list[_Group] = []
    carry: _Group | None = None
    for section in sections:
        context = context_line(title, section.heading_path) if options.contextual else ""
        budget = options.max_tokens - 2 - count([context])[0]
        budget = max(budget, options.max_tokens // 2)
        units: list[tuple[str, int]] = []
        raw = _units(section.text)
        for unit, n in zip(raw, count(raw), strict=True):
            if n > budget:
                pieces = _split_long(unit, budget, count)
                units.extend(zip(pieces, count(pieces), strict=True))
            else:
                units.append((unit, n))
        group = _Group(section.heading_path, section.page, section.page, units)
        if carry is not None:
            group = _Group(
                group.heading_path,
                carry.page_start if carry.page_start is not None else group.page_start,
                group.page_end,
                carry.units + group.units,
            )
            carry = None
        if sum(n for _, n in group.units) < options.min_tokens:
            carry = group
            if carry.heading_path:
                label = carry.heading_path[-1]
                carry.units.insert(0, (label, count([label])[0]))
            continue
        groups.append(group)
    if carry is not None:
        if groups and carry.page_start == groups[-1].page_end:
            last = groups[-1]
            groups[-1] = _Group(
                last.heading_path, last.page_start, last.page_end, last.units + carry.units
            )
        else:
            groups.append(carry)

    chunks: list[ChunkRecord] = []
    for group in groups:
        context = context_line(title, group.heading_path) if options.contextual else ""
        budget = max(options.max_tokens - 2 - count([context])[0], options.max_tokens // 2)
        for text in _pack(group.units, budget, options.overlap_tokens):
            chunks.append(
                ChunkRecord(
                    doc_id=doc_id,
                    ordinal=len(chunks),
                    text=text,
                    heading_path=group.heading_path,
                    page_start=group.page_start,
                    page_end=group.page_end,
                    context=context,
                )
            )
    return chunks


def _pack(units: list[tuple[str, int]], budget: int, overlap: int) -> list[str]:
    """Greedy packing of units into windows of at most `budget` tokens, with overlap."""
    texts: list[str] = []
    current: list[tuple[str, int]] = []
    size = 0
    for unit, n in units:
        if current and size + n + 1 > budget:
            texts.append("\n".join(u for u, _ in current))
            kept: list[tuple[str, int]] = []
            kept_size = 0
            for prev, m in reversed(current):
                if kept_size + m > overlap or kept_size + m + n + 1 > budget:
                    break
                kept.insert(0, (prev, m))
                kept_size += m
            current, size = kept, kept_size
        current.append((unit, n))
        size += n + 1
    if current:
        texts.append("\n".join(u for u, _ in current))
    return texts


def sections_from_chunks(chunks: Sequence[ChunkRecord]) -> list[Section]:
    """A document's text rebuilt from its chunks, the overlap between neighbours removed:
    for showing a document whose text cannot be cheaply read again (a recognised scan)."""
    sections: list[Section] = []
    previous: list[str] = []
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        lines = chunk.text.split("\n")
        same = bool(sections) and sections[-1].page == chunk.page_start and \
            sections[-1].heading_path == chunk.heading_path
        if same:
            shared = next((k for k in range(min(len(lines), len(previous)), 0, -1)
                           if previous[-k:] == lines[:k]), 0)
            rest = "\n".join(lines[shared:])
            if rest:
                last = sections[-1]
                sections[-1] = Section(last.heading_path, f"{last.text}\n{rest}", last.page)
        else:
            sections.append(Section(chunk.heading_path, chunk.text, chunk.page_start))
        previous = lines
    return sections
