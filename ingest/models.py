"""Records produced by the loaders and the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ingest.errors import MetadataError
from store.records import DocumentRecord, Kind, Visibility


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


class PiiDecision(StrEnum):
    """The uploader's decision on personal data the guard found (else the hub's policy)."""

    REDACT = "redact"
    KEEP = "keep"


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line or with an upload; wins over the file's own."""

    kind: Kind | None = None
    community: str | None = None
    title: str | None = None
    tags: tuple[str, ...] | None = None
    authors: tuple[str, ...] | None = None
    date: str | None = None
    default_kind: Kind | None = None  # used only when neither the file nor its folder says
    pii: PiiDecision | None = None  # the uploader's decision on personal data
    visibility: Visibility | None = None  # None: the file's own, else the kind's default
    owner: str | None = None  # the user who uploaded it
    # (kind, visibility) pairs: who sees a document of that kind when neither the upload nor
    # the file says; a kind not listed is public. Community visibility applies only to a
    # document with a community (without one it is public, as it always was).
    default_visibility: tuple[tuple[Kind, Visibility], ...] = ()

    def __post_init__(self) -> None:
        """Values given as text (a form, JSON) become the enums; an unknown one is refused."""
        for name, enum in (("kind", Kind), ("default_kind", Kind), ("pii", PiiDecision),
                           ("visibility", Visibility)):
            value = getattr(self, name)
            if value is not None and not isinstance(value, enum):
                try:
                    object.__setattr__(self, name, enum(str(value).strip().lower()))
                except ValueError as exc:
                    choices = ", ".join(e.value for e in enum)
                    raise MetadataError(f"{name} '{value}' is not one of {choices}") from exc
        pairs = tuple((Kind(k), Visibility(v)) for k, v in self.default_visibility)
        object.__setattr__(self, "default_visibility", pairs)  # saved as lists, read back


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
