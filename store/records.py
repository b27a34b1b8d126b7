"""The hub's records: documents, chunks, who may see them, and how a search is restricted.

The vocabulary every package shares; the store keeps these, ingest writes them, search
reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class Kind(StrEnum):
    """What a document is: a practice guide, notes from a CoP meeting, or a reading."""

    PRACTICE = "practice"
    SESSION_NOTE = "session-note"
    READING = "reading"


class Visibility(StrEnum):
    """Who may find a document: everyone, members of its community, or its owner."""

    PUBLIC = "public"
    COMMUNITY = "community"
    PRIVATE = "private"


@dataclass(frozen=True)
class Viewer:
    """Whose eyes a query is for; applied inside retrieval, before the top-k is cut."""

    user_id: str | None = None
    communities: tuple[str, ...] = ()
    admin: bool = False

    def sees(self, doc: DocumentRecord) -> bool:
        """The same rule the catalog and the vector filters apply, for one document."""
        if self.admin or doc.visibility is Visibility.PUBLIC:
            return True
        if doc.visibility is Visibility.COMMUNITY and doc.community in self.communities:
            return True
        return bool(self.user_id) and doc.owner == self.user_id

    def writes_into(self, community: str | None) -> bool:
        """Only admins put documents into a community they are not a member of."""
        return self.admin or community is None or community in self.communities


class Status(StrEnum):
    """Where a document is in its write sequence; only READY documents are searchable."""

    PENDING = "pending"
    READY = "ready"


@dataclass(frozen=True)
class DocumentRecord:
    """A document as the catalog knows it."""

    id: str
    source: str
    title: str
    kind: Kind
    content_hash: str
    filename: str
    media_type: str
    community: str | None = None
    tags: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO yyyy-mm-dd
    n_pages: int | None = None
    warnings: tuple[str, ...] = ()
    status: Status = Status.READY
    visibility: Visibility = Visibility.PUBLIC
    owner: str | None = None
    added_at: str = ""
    updated_at: str = ""


def chunk_id(doc_id: str, ordinal: int) -> str:
    """The id of a document's ordinal-th chunk, the same in the catalog and the vector store."""
    return f"{doc_id}:{ordinal}"


def doc_id_of(chunk_id: str) -> str:
    """The id of the document a chunk id belongs to (a document id may itself hold ':')."""
    return chunk_id.rsplit(":", 1)[0]


@dataclass(frozen=True)
class ChunkRecord:
    """A passage of a document, the unit that is embedded and retrieved."""

    doc_id: str
    ordinal: int
    text: str
    heading_path: tuple[str, ...] = ()
    page_start: int | None = None
    page_end: int | None = None
    context: str = ""  # title and heading path, embedded and indexed with the text

    @property
    def id(self) -> str:
        return chunk_id(self.doc_id, self.ordinal)

    @property
    def indexed_text(self) -> str:
        """The text that is embedded and lexically indexed: context first, then the passage."""
        return f"{self.context}\n{self.text}" if self.context else self.text


@dataclass(frozen=True)
class TrashedDocument:
    """A deleted document kept in the trash: its record as it was, and when and by whom."""

    document: DocumentRecord
    trashed_at: str  # ISO time, UTC
    trashed_by: str  # the actor as the audit log names them


@dataclass(frozen=True)
class Filters:
    """Restrictions applied inside retrieval, before the top-k is cut."""

    kind: Kind | None = None
    community: str | None = None
    tags: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    doc_ids: tuple[str, ...] | None = None
    exclude_doc_ids: tuple[str, ...] = ()
    viewer: Viewer | None = None  # None: no restriction (the command line, the system)

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class LexicalQuery:
    """What the full-text index is asked, in analysed terms (store.analysis), never raw text.

    A chunk matches when it holds any of `terms` (or, with `every`, all of them) and each of
    `phrases` word for word; matches rank by BM25 over `terms` and the phrases' terms. A term
    given twice counts twice (BM25 with the query's term frequency).
    """

    terms: tuple[str, ...] = ()
    every: bool = False
    phrases: tuple[tuple[str, ...], ...] = ()

    def is_empty(self) -> bool:
        return not self.terms and not self.phrases


def now_iso() -> str:
    """Now in UTC, to the second: how every table of the store writes a time."""
    return datetime.now(UTC).isoformat(timespec="seconds")
