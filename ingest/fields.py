"""Bounds and clean-up for a document's metadata, the same on every way in.

Upload, PATCH, front matter, file properties and import all pass through here, so no field
can grow past what the catalog and the pages are built for, and no invisible character
(NUL, control codes, bidirectional overrides that reorder what a reader sees) is stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.errors import MetadataError


@dataclass(frozen=True)
class Limits:
    """How long and how many; generous for real notes, small enough to keep every store safe."""

    title: int = 300
    community: int = 120
    tag: int = 60
    tags: int = 50
    author: int = 120
    authors: int = 30


LIMITS = Limits()

# Bidirectional embeddings, overrides and isolates (they can make "gpj.exe" read "exe.jpg"),
# and the byte-order mark; zero-width joiners stay, some scripts need them.
_INVISIBLE = dict.fromkeys(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
)
_SPACES = re.compile(r"\s+")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def clean_text(value: object) -> str:
    """One line of text: NFC, no control or bidi characters, any whitespace one space."""
    text = unicodedata.normalize("NFC", str(value)).translate(_INVISIBLE)
    text = "".join(
        " " if c.isspace() else "" if unicodedata.category(c) == "Cc" else c for c in text
    )
    return _SPACES.sub(" ", text).strip()


def _bounded(name: str, value: object, limit: int) -> str:
    text = clean_text(value)
    if len(text) > limit:
        raise MetadataError(f"the {name} is {len(text):,} characters long; the limit is {limit}")
    return text


def title(value: object) -> str:
    text = _bounded("title", value, LIMITS.title)
    if not text:
        raise MetadataError("the title cannot be empty")
    return text


def community(value: object | None) -> str | None:
    if value is None:
        return None
    return _bounded("community", value, LIMITS.community) or None


def _many(name: str, values: Iterable[object], each: int, most: int) -> tuple[str, ...]:
    items: list[str] = []
    for count, value in enumerate(values, start=1):
        if count > most * 20:  # a huge list: stop reading, the answer is already no
            raise MetadataError(f"too many {name}s: more than {count - 1:,}; the limit is {most}")
        text = clean_text(value)
        if len(text) > each:
            raise MetadataError(
                f"a {name} is {len(text):,} characters long ('{text[:30]}…'); the limit is {each}"
            )
        if text:
            items.append(text)
    unique = tuple(dict.fromkeys(items))
    if len(unique) > most:
        raise MetadataError(f"{len(unique):,} {name}s given; the limit is {most}")
    return unique


_TAG_JOINS = re.compile(r"[\s_\-\u2010-\u2015]+")


def tag(value: object) -> str:
    """One tag in its one spelling: lower case, words joined by single hyphens.

    "Early Years", "early_years" and "early--years " are all "early-years", so the tag facet
    keeps one entry per idea, whoever typed it and however.
    """
    return _TAG_JOINS.sub("-", clean_text(value).casefold()).strip("-")


def tags(values: Iterable[object]) -> tuple[str, ...]:
    return _many("tag", (tag(v) for v in values), LIMITS.tag, LIMITS.tags)


def authors(values: Iterable[object]) -> tuple[str, ...]:
    return _many("author", values, LIMITS.author, LIMITS.authors)


def day(value: object) -> str | None:
    """An ISO date (yyyy-mm-dd) between 1900 and 2100, or None for no date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        parsed = value
    else:
        text = clean_text(value)
        try:
            parsed = dt.date.fromisoformat(text[:10])
        except ValueError as exc:
            raise MetadataError(f"date '{text[:40]}' is not a date like 2026-03-14") from exc
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise MetadataError(
            f"date {parsed.isoformat()} is outside {EARLIEST_YEAR}-{LATEST_YEAR}"
        )
    return parsed.isoformat()
