"""Pseudo-relevance feedback: the pure parts, and its effect through a real index."""

from __future__ import annotations

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.feedback import Feedback, combine, expansion_terms, informative, weight_for
from search.retrieval import lexical_candidates
from store.records import Filters, Kind, doc_id_of


def test_expansion_terms_favour_the_best_matches_and_skip_the_query() -> None:
    top = [
        (["wing", "airfoil", "airfoil", "lift"], 10.0),
        (["wing", "airfoil", "boundary"], 9.5),
        (["wing", "recipe", "cake"], 2.0),  # far below the best: counts for little
    ]
    terms = expansion_terms(top, {"wing"}, 2)
    assert terms == ["airfoil", "lift"]
    assert "wing" not in expansion_terms(top, {"wing"}, 10)
    assert expansion_terms([], {"wing"}, 5) == []
    assert expansion_terms(top, {"wing"}, 0) == []


def test_words_most_chunks_hold_are_not_added() -> None:
    frequencies = {"airfoil": 3, "note": 100, "lift": 20}
    assert informative(["note", "airfoil", "lift"], frequencies, 100, 0.2) == ["airfoil", "lift"]
    assert informative(["note", "airfoil", "lift"], frequencies, 100, 0.1) == ["airfoil"]
    assert informative(["unseen"], frequencies, 100, 0.2) == ["unseen"]


def test_long_queries_get_proportionally_less_feedback() -> None:
    feedback = Feedback(weight=0.5, full_weight_terms=10)
    assert weight_for(feedback, 4) == 0.5
    assert weight_for(feedback, 10) == 0.5
    assert weight_for(feedback, 40) == 0.125
    assert weight_for(feedback, 0) == 0.0


def test_combine_adds_the_feedback_scores_at_their_weight() -> None:
    combined = combine([("a", 3.0), ("b", 2.0)], [("b", 4.0), ("c", 1.0)], 0.5, limit=10)
    assert combined == [("b", 4.0), ("a", 3.0), ("c", 0.5)]
    assert combine([("a", 3.0)], [("c", 1.0)], 0.5, limit=1) == [("a", 3.0)]


def _item(source: str, text: str) -> Item:
    data = text.encode()
    return Item(source=source, read=lambda: data, filename=source.split("/")[-1],
                overrides=Overrides(kind=Kind.PRACTICE))


def test_feedback_finds_a_passage_in_the_words_of_the_answers(pipeline: Pipeline) -> None:
    """A query word that one guide lacks: feedback brings it in by the words the others share."""
    shared = "transition passport with photos of the new classroom and the new teacher"
    items = [
        _item(f"practices/start-{i}.md",
              f"# School start {i}\n\nStarting school: a {shared}, version {i}.")
        for i in range(4)
    ]
    items.append(_item("practices/passport.md",
                       f"# Passport\n\nA {shared}, made with the family over the summer."))
    # enough other guides that the shared words are not in most chunks (feedback skips those)
    items += [_item(f"practices/other-{i}.md", f"# Other {i}\n\nBedtime stories and "
                    f"sleep routines for toddlers, number {i}.") for i in range(25)]
    pipeline.ingest(items)
    index = pipeline.index

    def found(feedback: Feedback | None) -> set[str]:
        ranking = lexical_candidates(index, "starting school", Filters(), 50, feedback)
        docs = {doc_id_of(chunk) for chunk, _ in ranking}
        return {d.source for d in index.catalog.documents(Filters(doc_ids=tuple(docs)))}

    assert "practices/passport.md" not in found(None)  # it never says "starting school"
    with_feedback = found(Feedback(documents=4, terms=5))
    assert "practices/passport.md" in with_feedback
    assert not any(s.startswith("practices/other-") for s in with_feedback)
