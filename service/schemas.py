"""The JSON shapes of the API (version 1). Other tools build on them: change with care."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ingest.fields import LIMITS
from ingest.models import Section
from search.confidence import Confidence
from search.models import Hit, Passage
from store.jobs import JobRecord
from store.records import DocumentRecord, Kind, Visibility

API_VERSION = "1.0.0"


class PassageOut(BaseModel):
    id: str = Field(description="The passage's id; /documents/{doc}?passage={id} marks it.")
    text: str
    snippet: str = Field(description="HTML-escaped excerpt; query terms wrapped in <mark>.")
    heading_path: list[str]
    page_start: int | None
    page_end: int | None

    @classmethod
    def of(cls, p: Passage) -> PassageOut:
        return cls(id=p.chunk_id, text=p.text, snippet=p.snippet, heading_path=list(p.heading_path),
                   page_start=p.page_start, page_end=p.page_end)


class DocumentOut(BaseModel):
    id: str
    title: str
    kind: Kind
    source: str
    filename: str
    media_type: str
    community: str | None
    tags: list[str]
    authors: list[str]
    date: str | None
    n_pages: int | None
    warnings: list[str]
    visibility: Visibility
    added_at: str
    updated_at: str

    @classmethod
    def of(cls, d: DocumentRecord) -> DocumentOut:
        return cls(
            id=d.id, title=d.title, kind=d.kind, source=d.source, filename=d.filename,
            media_type=d.media_type, community=d.community, tags=list(d.tags),
            authors=list(d.authors), date=d.date, n_pages=d.n_pages, warnings=list(d.warnings),
            visibility=d.visibility, added_at=d.added_at, updated_at=d.updated_at,
        )


class HitOut(BaseModel):
    id: str
    title: str
    kind: Kind
    source: str
    community: str | None
    date: str | None
    tags: list[str]
    score: float
    passages: list[PassageOut]

    @classmethod
    def of(cls, h: Hit) -> HitOut:
        d = h.document
        return cls(
            id=d.id, title=d.title, kind=d.kind, source=d.source, community=d.community,
            date=d.date, tags=list(d.tags), score=h.score,
            passages=[PassageOut.of(p) for p in h.passages],
        )


Facets = dict[str, dict[str, int]]


class SearchOut(BaseModel):
    query: str
    results: list[HitOut]
    facets: Facets = Field(description="Counts by kind, community, tags and year.")
    notice: str | None = Field(None, description="Set when the answer is limited, e.g. the "
                               "vector index is unavailable and only words were matched.")
    confidence: Confidence = Field(
        Confidence.NONE, description="How well the results answer the query: strong; weak "
        "(they may only partly answer it); none (no document seems to answer it; the nearest "
        "are shown).")
    did_you_mean: str | None = Field(None, description="A spelling correction of the query "
                                     "made from the hub's words, or null.")
    searched_for: str | None = Field(None, description="The corrected query whose results "
                                     "these are (instead of the query as typed), or null.")
    total: int = Field(0, description="Documents that match well enough to list (close in "
                       "meaning, or holding every word), at most 100; 0 when confidence is "
                       "none. The facets count the same documents.")
    offset: int = Field(0, description="Where these results start among the listed ones.")
    search_id: str | None = Field(None, description="The kept record of this search, for "
                                  "POST /api/searches/{search_id}/feedback (null when "
                                  "searches are not kept, or for a later page).")


class DocumentList(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[DocumentOut]

    @classmethod
    def of(cls, items: Sequence[DocumentRecord], total: int, offset: int,
           limit: int) -> DocumentList:
        return cls(total=total, offset=offset, limit=limit,
                   items=[DocumentOut.of(d) for d in items])


class SectionOut(BaseModel):
    heading_path: list[str]
    text: str
    page: int | None


class DocumentDetail(DocumentOut):
    sections: list[SectionOut]

    @classmethod
    def with_sections(cls, doc: DocumentRecord, sections: Sequence[Section]) -> DocumentDetail:
        return cls(**DocumentOut.of(doc).model_dump(), sections=[
            SectionOut(heading_path=list(s.heading_path), text=s.text, page=s.page)
            for s in sections])


class UploadOut(DocumentOut):
    duplicate: bool = Field(False, description="True when this content was already in the hub.")
    status: Literal["ready"] = "ready"


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "processing", "done", "failed"]
    filename: str
    reason: str | None = None
    document: DocumentOut | None = None
    created_at: str = ""
    updated_at: str = ""
    pages_recognised: int = Field(0, description="pages read by OCR so far")
    pages_to_recognise: int = Field(
        0, description="pages the file has to read by OCR (0: none, or not known yet)")

    @classmethod
    def of(cls, job: JobRecord, document: DocumentRecord | None = None) -> JobOut:
        return cls(id=job.id, status=job.status.value, filename=job.filename,
                   reason=job.reason, document=DocumentOut.of(document) if document else None,
                   created_at=job.created_at, updated_at=job.updated_at,
                   pages_recognised=job.pages_done, pages_to_recognise=job.pages_total)


class MetadataPatch(BaseModel):
    """Fields to change; a field left out stays. null clears community, tags, authors and
    date; title, kind and visibility cannot be null."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(None, min_length=1, max_length=LIMITS.title)
    kind: Kind | None = None
    community: str | None = Field(None, max_length=LIMITS.community)
    tags: list[Annotated[str, Field(max_length=LIMITS.tag)]] | None = Field(
        None, max_length=LIMITS.tags)
    authors: list[Annotated[str, Field(max_length=LIMITS.author)]] | None = Field(
        None, max_length=LIMITS.authors)
    date: dt.date | None = Field(
        None, description="yyyy-mm-dd, a real date between 1900 and 2100.")
    visibility: Visibility | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_is_text(cls, value: object) -> object:
        if value is not None and not isinstance(value, str):  # not a number of seconds
            raise ValueError("a date is written yyyy-mm-dd")
        return value

    @model_validator(mode="after")
    def _required_fields_stay(self) -> MetadataPatch:
        for name in ("title", "kind", "visibility"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class RelatedOut(BaseModel):
    id: str
    results: list[HitOut]


class HealthOut(BaseModel):
    status: Literal["ok", "degraded"]
    model: str
    dimension: int
    documents: int = Field(description="Documents the caller may see.")
    chunks: int | None = Field(description="Size of the whole index (admins only).")
    data_writable: bool
    vectors: Literal["ok", "unavailable"] = "ok"
    problems: list[str] = Field(default_factory=list, description="What is degraded and why.")


class StatsOut(BaseModel):
    documents: int
    chunks: int | None
    pending: int | None
    by_kind: dict[str, int]
    by_community: dict[str, int]
    by_year: dict[str, int]


class ErrorOut(BaseModel):
    detail: str
