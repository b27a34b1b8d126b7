"""What each page shows, assembled from the JSON API's own route functions so that the page
and GET /api/... never disagree (same filters, same facets, same shapes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from search.confidence import Confidence
from search.facets import facet_counts
from search.retrieval import diverse
from service.deps import Caller, Role
from service.jobs import JobQueue
from service.routes.documents import get_document, list_documents, related_documents
from service.routes.search import SortOrder, answer
from service.routes.system import job_status
from service.runtime import Runtime
from service.schemas import DocumentDetail, DocumentList, DocumentOut, Facets, HitOut, JobOut
from service.web.format import Part, outline
from service.web.forms import PAGE_SIZE, BrowseForm, SearchForm
from store.records import Filters, Kind

RESULTS = 10
READINGS = 3
READING_CANDIDATES = 12  # the readings panel's three are chosen from these
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


def _documents(runtime: Runtime, caller: Caller, kind: Kind | None = None, sort: str = "title",
               limit: int = PAGE_SIZE, form: SearchForm | None = None) -> list[DocumentOut]:
    form = form or SearchForm()
    return list_documents(
        runtime, caller, kind=kind or form.kind, community=form.community, tag=list(form.tags),
        date_from=form.date_from, date_to=form.date_to, sort=sort, limit=limit, offset=0,
    ).items


def _readings(runtime: Runtime, caller: Caller, query: str, shown: Sequence[str]) -> list[HitOut]:
    """Readings on the query that the results do not show already, none a near-copy of another.

    A dozen candidates, of which maximal marginal relevance keeps three (search.diversity).
    """
    filters = Filters(kind=Kind.READING, viewer=caller.viewer, exclude_doc_ids=tuple(shown))
    candidates = runtime.search(query, filters, k=READING_CANDIDATES, snippets=False,
                                passage_hits=0)
    return [HitOut.of(h) for h in diverse(runtime.index, candidates, READINGS)]


def search_page(runtime: Runtime, caller: Caller, form: SearchForm,
                as_typed: bool = False) -> SearchPage:
    found = answer(
        runtime, caller, q=form.q, kind=form.kind, community=form.community,
        tag=list(form.tags), date_from=form.date_from, date_to=form.date_to, k=RESULTS,
        method=None, as_typed=as_typed, sort=SortOrder(form.sort),
    )
    if form.q:
        readings = [] if form.kind is Kind.READING else _readings(
            runtime, caller, form.q, shown=[h.id for h in found.results])
        return SearchPage(form, found.facets, results=found.results, readings=readings,
                          notice=found.notice, confidence=found.confidence,
                          did_you_mean=found.did_you_mean, searched_for=found.searched_for)
    return SearchPage(
        form, found.facets,
        recent_notes=_documents(runtime, caller, Kind.SESSION_NOTE, "-date", RECENT_NOTES),
        featured=_documents(runtime, caller, Kind.PRACTICE, "-date", FEATURED_PRACTICES),
        matching=_documents(runtime, caller, sort="-date", form=form) if form.has_filters
        else [],
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
    listing = list_documents(
        runtime, caller, kind=form.kind, community=form.community,
        tag=[form.tag] if form.tag else None, date_from=None, date_to=None, sort=form.sort,
        limit=PAGE_SIZE, offset=form.offset,
    )
    tags = (form.tag,) if form.tag else ()
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
class DocumentPage:
    """A document's metadata, its text as an outline, and its nearest documents."""

    document: DocumentDetail
    parts: list[Part]
    related: list[HitOut]


def document_page(runtime: Runtime, caller: Caller, doc_id: str) -> DocumentPage:
    """Raises store.errors.DocumentNotFoundError for an unknown id."""
    detail = get_document(runtime, caller, doc_id)
    parts = outline([(s.heading_path, s.text, s.page) for s in detail.sections])
    related = related_documents(runtime, caller, doc_id, kind=None, k=RELATED).results
    return DocumentPage(detail, parts, related)


@dataclass(frozen=True)
class UploadPage:
    """What the upload form needs to know: token or not, known communities and tags."""

    needs_token: bool
    communities: list[str]
    tags: list[str]
    allowed_types: list[str]
    max_mb: int


def upload_page(runtime: Runtime, caller: Caller) -> UploadPage:
    settings = runtime.settings
    facets = facet_counts(runtime.index.catalog.documents(Filters(viewer=caller.viewer)))
    return UploadPage(
        needs_token=not caller.at_least(Role.CONTRIBUTOR), communities=sorted(facets["community"]),
        tags=sorted(facets["tags"]), allowed_types=list(settings.allowed_types),
        max_mb=settings.max_upload_mb,
    )


def job_page(runtime: Runtime, jobs: JobQueue, caller: Caller, job_id: str,
             uploader: bool = False) -> JobOut | None:
    """The job's state, or None if there is no such job for this caller."""
    return job_status(runtime, jobs, caller, job_id, uploader)
