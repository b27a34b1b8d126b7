"""Retrieval behaviour on a real index: phrases, filters inside retrieval, restart, related,
and the reranking stage with a cross-encoder saved here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.models import Method
from search.rerank import CrossEncoderReranker
from search.retrieval import (
    SearchOptions,
    lexical_candidates,
    related,
    search,
    search_with_signals,
)
from search.trust import trusted_search
from store.embedded import open_store
from store.embedder import Embedder, default_model_path
from store.index import Index
from store.records import Filters, Kind, doc_id_of

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL


def note(source: str, text: str, kind: str = "practice", community: str | None = None,
         tags: tuple[str, ...] = ()) -> Item:
    data = text.encode()
    return Item(source=source, read=lambda: data, filename=source.split("/")[-1],
                overrides=Overrides(kind=Kind(kind), community=community, tags=tags))


@pytest.fixture
def filled(pipeline: Pipeline) -> Pipeline:
    items = [
        note(f"routines/{i}.md",
             f"# Routine {i}\n\nA calm bedtime routine for children in care, version {i}: "
             "dim lights, a warm drink, a story and the same goodnight words every night.")
        for i in range(25)
    ]
    items += [
        note("notes/yj.md", "# Youth Justice notes\n\nWe talked about bedtime routines in "
             "supported accommodation for a 16-year-old on bail.", kind="session-note",
             community="Youth Justice", tags=("bail",)),
        note("readings/attachment.md", "# Attachment brief\n\nA secure base at bedtime: "
             "predictable carers help children settle to sleep.", kind="reading"),
        note("practices/calm.md", "# Calm Corner kit\n\nThe Calm Corner kit is a small tent "
             "with sensory bottles and breathing cards for a child who is overwhelmed."),
        note("practices/corner.md", "# Corners of the room\n\nA calm room has a reading "
             "corner, a kit of puzzles, and soft light."),
    ]
    pipeline.ingest(items)
    return pipeline


def sources(index: Index, query: str, filters: Filters = Filters(), **options: object) -> list[str]:
    hits = search(index, query, filters, SearchOptions(**options))  # type: ignore[arg-type]
    return [h.document.source for h in hits]


def test_quoted_phrase_ranks_documents_that_contain_it(filled: Pipeline) -> None:
    found = sources(filled.index, '"Calm Corner kit" for an overwhelmed child')
    assert found == ["practices/calm.md"]



def test_a_quoted_phrase_no_document_contains_is_not_required_and_is_named(
    filled: Pipeline,
) -> None:
    """A long request quotes for emphasis; answering nothing would hide what does match."""
    searched = search_with_signals(filled.index, '"corner calm kit"')
    assert searched.observed.unmatched_phrases == ("corner calm kit",)
    assert searched.hits[0].document.source == "practices/calm.md"
    answer = trusted_search(filled.index, '"corner calm kit"')
    assert answer.notice is not None and "“corner calm kit”" in answer.notice
    found = search_with_signals(filled.index, '"Calm Corner kit"')
    assert found.observed.unmatched_phrases == ()


def test_terms_found_probes_only_documents_under_the_filters(filled: Pipeline) -> None:
    """The trust signals' probe: which terms some document the filters allow holds."""
    catalog = filled.index.catalog
    terms = {"bail", "tent", "sleep", "zebra"}
    assert catalog.terms_found(terms, Filters()) == {"bail", "tent", "sleep"}
    assert catalog.terms_found(terms, Filters(kind=Kind.READING)) == {"sleep"}
    note = catalog.find_by_source("notes/yj.md")
    assert note is not None
    assert catalog.terms_found(terms, Filters(doc_ids=(note.id,))) == {"bail"}
    assert catalog.terms_found(set(), Filters()) == set()


def test_term_frequencies_count_the_chunks_that_hold_each_term(filled: Pipeline) -> None:
    """What query feedback reads to skip words most chunks hold."""
    catalog = filled.index.catalog
    chunks, frequencies = catalog.term_frequencies(["bedtim", "tent", "zebra"])
    assert chunks == catalog.chunk_count()
    assert frequencies["tent"] == 1 and "zebra" not in frequencies
    assert 25 <= frequencies["bedtim"] < chunks


def test_words_half_the_chunks_hold_are_not_scored_beside_rarer_ones(filled: Pipeline) -> None:
    """BM25 gives them no weight; scoring them would read nearly every chunk."""
    index = filled.index
    chunks, frequencies = index.catalog.term_frequencies(["routin"])
    assert frequencies["routin"] >= chunks / 2
    with_rare = lexical_candidates(index, "routine tent", Filters(), 50)
    assert [index.catalog.get(doc_id_of(c)).source for c, _ in with_rare] == [
        "practices/calm.md"]
    alone = lexical_candidates(index, "routine", Filters(), 50)  # all such words: kept
    assert len({doc_id_of(c) for c, _ in alone}) >= 25


def test_filters_apply_inside_retrieval(filled: Pipeline) -> None:
    # 25 routine guides outrank the note; with only 5 candidates per retriever, a filter
    # applied after the cut would find nothing.
    for method in (Method.BM25, Method.DENSE, Method.HYBRID):
        found = sources(filled.index, "bedtime routine for children", Filters(
            community="Youth Justice"), method=method, candidates=5, k=5)
        assert found == ["notes/yj.md"], method
        found = sources(filled.index, "bedtime routine for children", Filters(
            kind=Kind.READING), method=method, candidates=5, k=5)
        assert found == ["readings/attachment.md"], method
        found = sources(filled.index, "bedtime routine", Filters(tags=("bail",)),
                        method=method, candidates=5)
        assert found == ["notes/yj.md"], method


def test_passages_are_read_only_for_the_first_hits(filled: Pipeline) -> None:
    """A deep ranking (for facets) carries documents; passages only where they are shown."""
    options = SearchOptions(k=20, passage_hits=3, snippet_hits=2)
    hits = search(filled.index, "calm bedtime routine", Filters(), options)
    assert len(hits) == 20
    assert all(h.passages for h in hits[:3]) and not any(h.passages for h in hits[3:])
    assert all(p.snippet for h in hits[:2] for p in h.passages)
    assert not any(p.snippet for p in hits[2].passages)


def test_both_indexes_survive_a_restart(filled: Pipeline, embedder: Embedder,
                                        store_url: str | None) -> None:
    data = filled.index.data_dir
    filled.index.close()
    reopened = open_store(data, embedder, database_url=store_url).index
    for method in (Method.BM25, Method.DENSE):
        assert sources(reopened, "sensory bottles and breathing cards", method=method,
                       k=1) == ["practices/calm.md"]
    reopened.close()


def test_related_documents_exclude_itself_and_filter_by_kind(filled: Pipeline) -> None:
    doc = filled.index.catalog.find_by_source("notes/yj.md")
    assert doc is not None
    hits = related(filled.index, doc.id, k=5)
    assert doc.id not in [h.document.id for h in hits] and len(hits) == 5
    readings = related(filled.index, doc.id, Filters(kind=Kind.READING), k=5)
    assert [h.document.source for h in readings] == ["readings/attachment.md"]


def test_cross_encoder_reranks_the_fused_candidates(filled: Pipeline, tmp_path: Path) -> None:
    from sentence_transformers import CrossEncoder

    folder = tmp_path / "cross-encoder"
    CrossEncoder(str(default_model_path()), num_labels=1, device="cpu").save(str(folder))
    reranker = CrossEncoderReranker(folder)
    query = "calm bedtime routine"
    options = SearchOptions(method=Method.RERANK, k=5, rerank_top=5)
    hybrid = search(filled.index, query, options=SearchOptions(k=5))
    reranked = search(filled.index, query, options=options, reranker=reranker)
    # the top five hybrid documents, now in the order of the cross-encoder's own scores
    assert {h.document.id for h in reranked} == {h.document.id for h in hybrid}
    expected = sorted(
        ((max(reranker.score(query, [
            c.indexed_text for c in filled.index.catalog.chunks_of(h.document.id)])), h.document.id)
         for h in hybrid), reverse=True,
    )
    assert [h.document.id for h in reranked] == [doc_id for _, doc_id in expected]
    assert [h.score for h in reranked] == sorted((h.score for h in reranked), reverse=True)
