"""Records produced by the loaders and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from store.records import DocumentRecord


@dataclass(frozen=True)
class Section:
    """Text under one heading path, on one page where the format has pages."""

    heading_path: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass
class LoadedDocument:
    """What a loader read from a file: its text by section and the metadata it carries."""

    sections: list[Section]
    media_type: str
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    n_pages: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line or with an upload; wins over the file's own."""

    kind: str | None = None
    community: str | None = None
    title: str | None = None
    tags: tuple[str, ...] | None = None
    authors: tuple[str, ...] | None = None
    date: str | None = None
    default_kind: str | None = None  # used only when neither the file nor its folder says
    pii: str | None = None  # the uploader's decision on personal data: "redact" or "keep"
    visibility: str | None = None  # public (default), community or private
    owner: str | None = None  # the user who uploaded it


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    PRUNED = "pruned"


@dataclass(frozen=True)
class IngestResult:
    """What happened to one source."""

    source: str
    outcome: Outcome
    document: DocumentRecord | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()
    duplicate_of: str | None = None
    error: Exception | None = field(default=None, compare=False, repr=False)
