"""Query-time retrieval: lexical, dense or hybrid candidates, fused and grouped by document."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from search.dense import retriever_for
from search.diversity import mmr, relative
from search.feedback import (
    DenseFeedback,
    Feedback,
    combine,
    expansion_terms,
    informative,
    top_terms,
    weight_for,
)
from search.fusion import FusionMode, Normalisation, Ranking, fuse
from search.lexical import MAX_QUERY_TERMS, any_of, phrase_expression, required_phrases
from search.models import Hit, Method, Passage
from search.passages import content_first
from search.recency import HEAD as RECENT_HEAD
from search.recency import favour_recent, wants_recent
from search.snippets import QueryTerms, query_terms, snippet_for
from store.analysis import analyze
from store.errors import VectorStoreUnavailable
from store.index import Index
from store.records import ChunkRecord, Filters, Kind, doc_id_of

log = logging.getLogger(__name__)


class Reranker(Protocol):
    """Rescores (query, passage) pairs; higher is better."""

    def score(self, query: str, passages: Sequence[str]) -> list[float]: ...


@dataclass(frozen=True)
class SearchOptions:
    """How to search; the defaults are the ones the benchmarks support."""

    method: Method = Method.HYBRID
    k: int = 10
    candidates: int = 300  # per retriever: more gives z-scores a steadier base (bench/fusion.py)
    passages_per_hit: int = 3
    # Chosen by the best mean nDCG@10 over SciFact (train), Cranfield, CISI and the
    # practitioner queries (bench/fusion.py), never per set.
    fusion: FusionMode = FusionMode.CONVEX
    weights: tuple[float, float] = (0.4, 0.6)  # lexical, dense
    normalisation: Normalisation = Normalisation.ZSCORE
    # The lexical leg of hybrid and rerank adds words its best matches share, and the dense
    # leg moves the query's vector toward its nearest chunks (search.feedback).
    feedback: Feedback = field(default_factory=Feedback)
    dense_feedback: DenseFeedback | None = field(default_factory=DenseFeedback)
    rerank_top: int = 30
    snippets: bool = True
    recency: bool = True  # "last session" questions favour recent session notes
    snippet_hits: int = 10  # snippets are made for this many hits; the rest get passages only
    passage_hits: int = 10_000  # passages are read for this many hits; the rest get none


def _phrase_filter(index: Index, query: str, filters: Filters) -> Filters | None:
    """Restrict to documents that contain every quoted phrase of the query.

    None when no document the filters allow contains them all: the search then goes on
    without requiring them (and says so), rather than answering nothing. Long requests quote
    phrases for emphasis ('a "linguistic filter" in a broad sense') that no document repeats.
    """
    expression = phrase_expression(query)
    if expression is None:
        return filters
    hits = index.catalog.lexical_search(expression, filters, limit=100_000)
    docs = {doc_id_of(chunk_id) for chunk_id, _ in hits}
    return replace(filters, doc_ids=tuple(sorted(docs))) if docs else None


def _tag_filter(index: Index, filters: Filters) -> Filters:
    """Tags live in the catalog only: a tag filter becomes the ids of the documents it keeps."""
    if not filters.tags:
        return filters
    docs = index.catalog.documents(filters)
    return replace(filters, tags=(), doc_ids=tuple(d.id for d in docs))


def lexical_candidates(
    index: Index, query: str, filters: Filters, limit: int, feedback: Feedback | None = None
) -> Ranking:
    """BM25 candidates, with the feedback query's scores added when `feedback` is given."""
    # once: the expression and the feedback both need them. A word of a long request past
    # those searched may come back as a feedback word (CISI hybrid +0.003).
    terms = analyze([query])[0][:MAX_QUERY_TERMS]
    expression = any_of(_with_weight(index, terms))
    if expression is None:
        return []
    first = index.catalog.lexical_search(expression, filters, limit)
    if feedback is None or feedback.weight <= 0 or not first:
        return first
    said = set(terms)
    top = first[: feedback.documents]
    stored = index.catalog.indexed_terms([key for key, _ in top])
    ranked = expansion_terms(top_terms(top, stored), said, 3 * feedback.terms)
    chunks, frequencies = index.catalog.term_frequencies(ranked)
    expanded = any_of(informative(ranked, frequencies, chunks, feedback.common)[: feedback.terms])
    if expanded is None:
        return first
    second = index.catalog.lexical_search(expanded, filters, limit)
    return combine(first, second, weight_for(feedback, len(said)), limit)


def _with_weight(index: Index, terms: list[str]) -> list[str]:
    """The query's terms without those at least half the chunks hold, unless all are.

    BM25 gives such a term no weight (its idf is at FTS5's floor, 1e-6), yet scoring it means
    reading every chunk that holds it: at 100,000 chunks, most of a query's time. Leaving
    them out changed no nDCG@10 on the shared sets or the practitioner queries.
    """
    if len(set(terms)) < 2:
        return terms
    chunks, frequencies = index.catalog.term_frequencies(terms)
    return [t for t in terms if 2 * frequencies.get(t, 0) < chunks] or terms


def by_document(ranking: Ranking) -> list[tuple[str, float]]:
    """A document ranking from a chunk ranking: each document scores its best chunk."""
    best: dict[str, float] = {}
    for chunk_id, score in ranking:
        best.setdefault(doc_id_of(chunk_id), score)
    return list(best.items())


@dataclass
class Observed:
    """What a search saw on its way, for judging how well it answers (search.confidence)."""

    best_cosine: float | None = None  # the nearest visible chunk's cosine, when dense ran
    # quoted phrases no visible document contains, so the search did not require them
    unmatched_phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Searched:
    """A search's hits with what it observed."""

    hits: list[Hit]
    observed: Observed


def search_with_signals(
    index: Index,
    query: str,
    filters: Filters = Filters(),
    options: SearchOptions = SearchOptions(),
    reranker: Reranker | None = None,
) -> Searched:
    """`search`, also returning the nearest chunk's cosine similarity."""
    observed = Observed()
    hits = search(index, query, filters, options, reranker, observed=observed)
    return Searched(hits, observed)


def search(
    index: Index,
    query: str,
    filters: Filters = Filters(),
    options: SearchOptions = SearchOptions(),
    reranker: Reranker | None = None,
    *,
    observed: Observed | None = None,
) -> list[Hit]:
    """Documents answering the query, best first, each with its best passages."""
    if not query.strip():
        return []
    with_phrases = _phrase_filter(index, query, filters)
    if with_phrases is None and observed is not None:
        observed.unmatched_phrases = tuple(required_phrases(query))
    filters = _tag_filter(index, filters if with_phrases is None else with_phrases)
    if filters.doc_ids is not None and not filters.doc_ids:
        return []
    limit = max(options.candidates, 3 * options.k)
    # Without a usable vector index every method answers from words alone (never an error).
    dense = options.method in (Method.DENSE, Method.HYBRID, Method.RERANK)
    dense = dense and index.vectors.available
    lexical = options.method in (Method.BM25, Method.HYBRID, Method.RERANK) or not dense
    # The dense retriever works on its own thread (batching concurrent searches) meanwhile.
    fused = options.method in (Method.HYBRID, Method.RERANK)  # feedback helps fusion only
    pending = retriever_for(index).submit(
        query, filters, limit, options.dense_feedback if fused else None) if dense else None
    rankings: list[Ranking] = []
    cosines: dict[str, float] = {}  # each document's nearest chunk's, when dense ran
    if lexical:
        rankings.append(lexical_candidates(index, query, filters, limit,
                                           options.feedback if fused else None))
    if pending is not None:
        try:
            found = pending.result()
            rankings.append(found.ranking)
            cosines = dict(by_document(found.nearest))
            if observed is not None:
                observed.best_cosine = max(cosines.values(), default=None)
        except Exception:  # a broken or unreachable vector store: words alone still answer
            log.exception("dense retrieval failed; answering from words only")
            if not lexical:
                rankings.append(lexical_candidates(index, query, filters, limit))
    weights = list(options.weights) if len(rankings) == 2 else None
    chunk_scores = (
        dict(fuse(rankings, options.fusion, weights, options.normalisation))
        if len(rankings) > 1 else dict(rankings[0])
    )
    doc_ranking = (
        fuse([by_document(r) for r in rankings], options.fusion, weights, options.normalisation)
        if len(rankings) > 1
        else by_document(rankings[0])
    )
    if reranker is not None and options.method is Method.RERANK:
        doc_ranking, chunk_scores = _rerank(
            index, query, doc_ranking, chunk_scores, reranker, options.rerank_top
        )
    if options.recency and wants_recent(query):
        doc_ranking = _favour_recent_notes(index, doc_ranking)
    by_doc: dict[str, list[tuple[str, float]]] = {}
    for cid, score in sorted(chunk_scores.items(), key=lambda kv: -kv[1]):
        by_doc.setdefault(doc_id_of(cid), []).append((cid, score))
    return _hits(index, query, doc_ranking, by_doc, options, filters, cosines)


def _favour_recent_notes(index: Index, ranking: list[tuple[str, float]]
                         ) -> list[tuple[str, float]]:
    """For "last session" questions: the newer a session note near the top, the higher."""
    head = tuple(d for d, _ in ranking[:RECENT_HEAD])
    notes = index.catalog.documents(Filters(doc_ids=head, kind=Kind.SESSION_NOTE))
    return favour_recent(ranking, {d.id: d.date for d in notes})


def _hits(
    index: Index,
    query: str,
    doc_ranking: list[tuple[str, float]],
    by_doc: dict[str, list[tuple[str, float]]],
    options: SearchOptions,
    filters: Filters,
    cosines: dict[str, float],
) -> list[Hit]:
    """The first k searchable documents of the ranking, with passages for the first few.

    Chunk texts are read only for the passages shown, so a deep ranking (for facets) is cheap.
    The viewer is checked again against the catalog: the vector store's copy of visibility
    could lag behind a change made while it was unavailable.
    """
    terms = query_terms(query)
    hits: list[Hit] = []
    start = 0
    while len(hits) < options.k and start < len(doc_ranking):
        # fetch a little more than needed: a candidate may no longer be READY
        window = doc_ranking[start : start + options.k - len(hits) + 10]
        start += len(window)
        found = index.catalog.documents(
            Filters(doc_ids=tuple(d for d, _ in window), viewer=filters.viewer)
        )
        documents = {d.id: d for d in found}
        scores = dict(window)
        shown = [d for d, _ in window if d in documents][: options.k - len(hits)]
        own = {
            d: by_doc.get(d, [])[: options.passages_per_hit]
            for d in shown[: max(0, options.passage_hits - len(hits))]
        }
        chunks = index.catalog.chunks_by_id([cid for ids in own.values() for cid, _ in ids])
        for doc_id in shown:
            with_snippets = options.snippets and len(hits) < options.snippet_hits
            passages = _passages(own.get(doc_id, []), chunks, terms, with_snippets)
            hits.append(Hit(documents[doc_id], scores[doc_id], passages,
                            cosines.get(doc_id)))
    return hits


def _passages(
    own: list[tuple[str, float]],
    chunks: dict[str, ChunkRecord],
    terms: QueryTerms,
    with_snippets: bool,
) -> tuple[Passage, ...]:
    """The chunks as passages, best first but content before references and bare headings."""
    passages = []
    for cid, score in own:
        chunk = chunks.get(cid)
        if chunk is None:  # in an index but no longer in the catalog: nothing to show
            continue
        passages.append(
            Passage(
                chunk_id=cid,
                text=chunk.text,
                score=score,
                heading_path=chunk.heading_path,
                page_start=chunk.page_start,
                page_end=chunk.page_end,
                snippet=snippet_for(chunk.text, terms) if with_snippets else "",
            )
        )
    return content_first(passages)


def _rerank(
    index: Index,
    query: str,
    doc_ranking: list[tuple[str, float]],
    chunk_scores: dict[str, float],
    reranker: Reranker,
    top: int,
) -> tuple[list[tuple[str, float]], dict[str, float]]:
    """Rescore the best chunks of the top documents with a cross-encoder."""
    head = {d for d, _ in doc_ranking[:top]}
    best_first = [cid for cid, _ in sorted(chunk_scores.items(), key=lambda kv: -kv[1])]
    chunks = index.catalog.chunks_by_id([c for c in best_first if doc_id_of(c) in head][: top * 2])
    candidates = [c for c in best_first if c in chunks]
    scores = reranker.score(query, [chunks[c].indexed_text for c in candidates])
    rescored = dict(zip(candidates, scores, strict=True))
    best: dict[str, float] = {}
    for cid, score in sorted(rescored.items(), key=lambda kv: -kv[1]):
        best.setdefault(chunks[cid].doc_id, score)
    reranked = sorted(best.items(), key=lambda kv: -kv[1])
    tail = [(d, s) for d, s in doc_ranking if d not in best]
    floor = min(best.values(), default=0.0)
    return reranked + [(d, floor - 1 - i) for i, (d, _) in enumerate(tail)], {
        **chunk_scores,
        **rescored,
    }


RELATED_CANDIDATES = 20  # documents that maximal marginal relevance chooses related ones from


def _centroids(index: Index, doc_ids: Sequence[str]) -> np.ndarray:
    """Each document's mean chunk vector, one row per id (zeros for one without vectors)."""
    rows = [index.vectors.vectors_of(index.vectors.ids_of_document(d)) for d in doc_ids]
    width = max((r.shape[1] for r in rows if len(r)), default=0)
    return np.asarray(
        [r.mean(axis=0) if len(r) else np.zeros(width, np.float32) for r in rows], np.float32
    ).reshape(len(doc_ids), width)


def diverse(index: Index, hits: Sequence[Hit], k: int) -> list[Hit]:
    """The `k` hits that maximal marginal relevance keeps (search.diversity), in its order.

    For a short list beside other results (related readings): relevant, and not several
    near-copies of one document. Without the vector store, simply the first `k`.
    """
    if len(hits) <= 1 or not index.vectors.available:
        return list(hits[:k])
    try:
        vectors = _centroids(index, [h.document.id for h in hits])
    except VectorStoreUnavailable:
        return list(hits[:k])
    return [hits[i] for i in mmr(relative([h.score for h in hits]), vectors, k)]


def related(index: Index, doc_id: str, filters: Filters = Filters(), k: int = 5) -> list[Hit]:
    """Documents near a document (its mean chunk vector), excluding itself, diversified.

    The nearest few dozen documents are candidates; maximal marginal relevance over their own
    mean vectors keeps one meeting series from filling the list when others are near too.
    """
    index.catalog.get(doc_id)
    if not index.vectors.available:
        return []
    filters = _tag_filter(index, filters)
    centroid = _centroids(index, [doc_id])[0]
    if not centroid.any():
        return []
    centroid /= np.linalg.norm(centroid) or 1.0
    filters = replace(filters, exclude_doc_ids=(*filters.exclude_doc_ids, doc_id))
    ranking = index.vectors.query(centroid.astype(np.float32), filters, limit=max(50, 10 * k))
    doc_ranking = by_document(ranking)
    kept = Filters(doc_ids=tuple(d for d, _ in doc_ranking), viewer=filters.viewer)
    documents = {d.id: d for d in index.catalog.documents(kept)}
    candidates = [(d, s) for d, s in doc_ranking if d in documents][: max(RELATED_CANDIDATES, k)]
    vectors = _centroids(index, [d for d, _ in candidates])
    chosen = mmr([s for _, s in candidates], vectors, k)  # the scores are cosines already
    return [Hit(documents[candidates[i][0]], candidates[i][1]) for i in chosen]
