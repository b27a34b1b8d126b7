"""What each page shows, from the same operations as the JSON API (service.operations), so
that the page and GET /api/... never disagree (same filters, same facets, same shapes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.ocr import recognised_pages
from search.confidence import Confidence
from search.facets import facet_counts
from service.deps import Caller, Role
from service.jobs import JobQueue
from service.operations import documents, insights, searching
from service.operations.jobs import job_state
from service.operations.searching import SearchRequest, SortOrder
from service.runtime import Runtime
from service.schemas import (
    DocumentDetail,
    DocumentList,
    DocumentOut,
    Facets,
    HitOut,
    JobOut,
)
from service.web.format import Part, mark_passage, outline
from service.web.forms import PAGE_SIZE, BrowseForm, SearchForm
from store.records import Filters, Kind

RESULTS = 10
READINGS = 3
RECENT_NOTES = 5
FEATURED_PRACTICES = 4
RELATED = 5


@dataclass(frozen=True)
class SearchPage:
    """Results with facets and related readings; for an empty query, what is new."""

    form: SearchForm
    facets: Facets
    results: list[HitOut] = field(default_factory=list)
    readings: list[HitOut] = field(default_factory=list)
    recent_notes: list[DocumentOut] = field(default_factory=list)
    featured: list[DocumentOut] = field(default_factory=list)
    matching: list[DocumentOut] = field(default_factory=list)  # filters but no query
    notice: str | None = None  # the answer is limited (e.g. words only)
    confidence: Confidence = Confidence.STRONG  # how well the results answer the query
    did_you_mean: str | None = None  # a spelling correction to offer
    searched_for: str | None = None  # the correction whose results these are
    total: int = 0  # documents that match well enough to list (search.listing)
    search_id: str | None = None  # the kept record of this search: feedback forms name it
    thanks: str = ""  # feedback just given: "answer" or "result"
    show_insights: bool = False  # the visitor may open /insights
    retention_days: int = 90  # how long a kept search is kept

    @property
    def next_offset(self) -> int | None:
        """Where "More results" starts, or None on the last page."""
        following = self.form.offset + len(self.results)
        return following if self.results and following < self.total else None

    def community_choices(self) -> list[tuple[str, int | None]]:
        """Communities with their counts, keeping the chosen one even if it has none."""
        return _choices(self.facets.get("community", {}),
                        [self.form.community] if self.form.community else [], limit=None)

    def tag_choices(self, limit: int = 12) -> list[tuple[str, int | None]]:
        """The most frequent tags, plus any chosen tag that is not among them."""
        return _choices(self.facets.get("tags", {}), self.form.tags, limit)


def _choices(counts: dict[str, int], chosen: Sequence[str],
             limit: int | None) -> list[tuple[str, int | None]]:
    shown = list(counts)[:limit]
    shown += [c for c in chosen if c not in shown]
    return [(name, counts.get(name)) for name in shown]


def _listing(runtime: Runtime, caller: Caller, filters: Filters, sort: str, limit: int,
             offset: int = 0) -> DocumentList:
    items, total = documents.list_documents(runtime, caller, filters, sort=sort, limit=limit,
                                            offset=offset)
    return DocumentList.of(items, total, offset, limit)


def _documents(runtime: Runtime, caller: Caller, kind: Kind | None = None, sort: str = "title",
               limit: int = PAGE_SIZE, form: SearchForm | None = None) -> list[DocumentOut]:
    form = form or SearchForm()
    filters = documents.document_filters(kind or form.kind, form.community, form.tags,
                                         form.date_from, form.date_to)
    return _listing(runtime, caller, filters, sort, limit).items


def search_page(runtime: Runtime, caller: Caller, form: SearchForm,
                as_typed: bool = False, credential: str | None = None,
                kept: str | None = None, thanks: str = "") -> SearchPage:
    """`credential`: the session's secret, so that it alone may give feedback on the kept
    search; `kept`: that search's record when the page is shown again after feedback."""
    found = searching.search(runtime, caller, SearchRequest(
        form.q, kind=form.kind, community=form.community, tags=tuple(form.tags),
        date_from=form.date_from, date_to=form.date_to, k=RESULTS, offset=form.offset,
        as_typed=as_typed, sort=SortOrder(form.sort)), credential, kept)
    results = [HitOut.of(h) for h in found.hits]
    if form.q:
        readings = [] if form.kind is Kind.READING else [
            HitOut.of(h) for h in searching.related_readings(
                runtime, caller, form.q, shown=[h.id for h in results], k=READINGS)]
        return SearchPage(form, found.facets, results=results, readings=readings,
                          notice=found.notice, confidence=found.confidence,
                          did_you_mean=found.did_you_mean, searched_for=found.searched_for,
                          total=found.total,
                          search_id=found.search_id if credential else None,
                          thanks=thanks if thanks in ("answer", "result") else "",
                          show_insights=insights.may_see(caller),
                          retention_days=runtime.settings.insights_retention_days)
    return SearchPage(
        form, found.facets,
        recent_notes=_documents(runtime, caller, Kind.SESSION_NOTE, "-date", RECENT_NOTES),
        featured=_documents(runtime, caller, Kind.PRACTICE, "-date", FEATURED_PRACTICES),
        matching=_documents(runtime, caller, sort="-date", form=form) if form.has_filters
        else [],
        show_insights=insights.may_see(caller),
    )


@dataclass(frozen=True)
class BrowsePage:
    """One page of documents, with counts for each choice of kind, community and tag."""

    form: BrowseForm
    documents: DocumentList
    kinds: dict[str, int]
    communities: dict[str, int]
    tags: dict[str, int]


def browse_page(runtime: Runtime, caller: Caller, form: BrowseForm) -> BrowsePage:
    tags = (form.tag,) if form.tag else ()
    listing = _listing(runtime, caller, Filters(kind=form.kind, community=form.community or None,
                                                tags=tags), form.sort, PAGE_SIZE, form.offset)
    catalog = runtime.index.catalog
    viewer = caller.viewer  # counts too reveal only what the visitor may see

    def counts(facet: str, filters: Filters) -> dict[str, int]:
        """Counts for one facet under the other facets' choices (so every option shows)."""
        return facet_counts(catalog.documents(filters))[facet]

    return BrowsePage(
        form, listing,
        kinds=counts("kind", Filters(viewer=viewer, community=form.community, tags=tags)),
        communities=counts("community", Filters(viewer=viewer, kind=form.kind, tags=tags)),
        tags=counts("tags", Filters(viewer=viewer, kind=form.kind, community=form.community)),
    )


@dataclass(frozen=True)
class RecognisedPage:
    """A page whose text was recognised from an image (OCR), and how sure that was."""

    confidence: int  # 0-100
    low: bool  # flagged: it may contain errors


@dataclass(frozen=True)
class DocumentPage:
    """A document's metadata, its text as an outline, and its nearest documents."""

    document: DocumentDetail
    parts: list[Part]
    related: list[HitOut]
    may_change: bool = False  # the visitor may edit and delete it
    # recognised pages by their marker's anchor ("page-3"), for the flag beside each
    recognised: dict[str, RecognisedPage] = field(default_factory=dict)


def document_page(runtime: Runtime, caller: Caller, doc_id: str,
                  passage: str = "") -> DocumentPage:
    """Raises store.errors.DocumentNotFoundError for an unknown id. `passage`: the id of a
    passage a search result linked to, marked on the page."""
    doc, sections = documents.read_document(runtime, caller, doc_id)
    detail = DocumentDetail.with_sections(doc, sections)
    parts = outline([(s.heading_path, s.text, s.page) for s in sections])
    text = documents.passage_text(runtime, caller, doc_id, passage) if passage else None
    if text:
        parts = mark_passage(parts, text)
    related = [HitOut.of(h) for h in documents.related(runtime, caller, doc_id, k=RELATED)]
    low = runtime.settings.ocr_low_confidence
    recognised = {f"page-{page}": RecognisedPage(round(conf), conf < low)
                  for page, conf in recognised_pages(doc.warnings).items()}
    return DocumentPage(detail, parts, related, caller.may_change(doc), recognised)


@dataclass(frozen=True)
class UploadPage:
    """What the upload form needs to know: token or not, known communities and tags."""

    needs_token: bool
    communities: list[str]
    tags: list[str]
    allowed_types: list[str]
    max_mb: int
    default_visibility: dict[str, str]  # kind -> visibility, as the settings say


def upload_page(runtime: Runtime, caller: Caller) -> UploadPage:
    settings = runtime.settings
    facets = facet_counts(runtime.index.catalog.documents(Filters(viewer=caller.viewer)))
    return UploadPage(
        needs_token=not caller.at_least(Role.CONTRIBUTOR), communities=sorted(facets["community"]),
        tags=sorted(facets["tags"]), allowed_types=list(settings.allowed_types),
        max_mb=settings.max_upload_mb,
        default_visibility={k.value: v.value for k, v in settings.default_visibility},
    )


def job_page(runtime: Runtime, jobs: JobQueue, caller: Caller, job_id: str,
             uploader: bool = False) -> JobOut | None:
    """The job's state, or None if there is no such job for this caller."""
    state = job_state(runtime, jobs, caller, job_id, uploader)
    return JobOut.of(state.job, state.document) if state is not None else None
