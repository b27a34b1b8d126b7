"""Confidence and language: the pure rules, the query set's queries, and a real small index."""

from __future__ import annotations

import pytest

from harness.practitioner_queries import load_queries
from ingest.pipeline import Pipeline
from search.confidence import (
    ALONE_COSINE,
    NONE_COSINE,
    STRONG_COSINE,
    Confidence,
    Evidence,
    judge,
)
from search.language import guess_language
from search.trust import trusted_search
from store.index import Index
from tests.search.test_retrieval import note

NOTES = {
    "de-escalation.md": "# De-escalation with teenagers\n\nWhen a teenager is screaming and "
    "throwing things in the residential unit, lower your voice, give space, name the feeling "
    "and offer a way out. Co-regulation comes before any talk about consequences.\n",
    "school-avoidance.md": "# Emotionally based school avoidance\n\nA child who will not go "
    "to school and has stomach aches on Monday mornings may be anxious. Plan a graded return "
    "with the family and one trusted adult at school.\n",
}


def test_judge_rules() -> None:
    assert judge(Evidence(STRONG_COSINE + 0.01, 0.2)) is Confidence.STRONG
    assert judge(Evidence(0.33, 1.0)) is Confidence.STRONG  # close, and every word known
    assert judge(Evidence(0.33, 0.5)) is Confidence.WEAK
    assert judge(Evidence(NONE_COSINE - 0.01, 0.5)) is Confidence.NONE
    assert judge(Evidence(0.35, 0.0)) is Confidence.NONE  # no word of it in the hub
    assert judge(Evidence(0.6, 1.0, english=False)) is Confidence.WEAK
    assert judge(Evidence(0.3, 0.5, english=False)) is Confidence.NONE
    assert judge(Evidence(None, 1.0)) is Confidence.STRONG  # words only
    assert judge(Evidence(None, 0.5)) is Confidence.WEAK
    # moderately close, but no best document holds half the query's words: weak
    assert judge(Evidence(0.45, 1.0, in_one_document=0.4)) is Confidence.WEAK
    assert judge(Evidence(0.45, 1.0, in_one_document=0.5)) is Confidence.STRONG
    assert judge(Evidence(ALONE_COSINE, 1.0, in_one_document=0.0)) is Confidence.STRONG


def test_language_on_the_query_set() -> None:
    """Every non-English query is flagged; no English one, short or misspelled, is."""
    queries = load_queries()
    flagged = {q.id for q in queries if not guess_language(q.text).english}
    assert flagged == {q.id for q in queries if q.type == "non_english"}


@pytest.mark.parametrize("query", ["EBSA", "ADHD", "OARS", "Montessori", "key worker",
                                   "burnout", "autism", "ACE study", "kinship care"])
def test_short_english_queries_are_english(query: str) -> None:
    assert guess_language(query).english


def test_languages_are_named() -> None:
    assert guess_language("comment calmer un adolescent en colère").name == "French"
    assert guess_language("mi hijo no quiere ir a la escuela por ansiedad").name == "Spanish"


@pytest.fixture
def small(index: Index, pipeline: Pipeline) -> Index:
    results = pipeline.ingest([note(f"practices/{name}", text) for name, text in NOTES.items()])
    assert all(r.document is not None for r in results)
    return index


def test_nonsense_has_no_answer(small: Index) -> None:
    answer = trusted_search(small, "qwpoeiruty zxmnv florp")
    assert answer.confidence is Confidence.NONE
    assert answer.hits  # the nearest documents are still there, to be shown folded away


def test_answerable_query_is_strong(small: Index) -> None:
    answer = trusted_search(small, "teenager screaming in the unit, how do I calm it down")
    assert answer.confidence is Confidence.STRONG
    assert answer.hits[0].document.source.endswith("de-escalation.md")


def test_off_topic_query_is_not_strong(small: Index) -> None:
    assert trusted_search(small, "recipe for banana bread without eggs").confidence \
        is not Confidence.STRONG


def test_french_query_gets_the_notice(small: Index) -> None:
    answer = trusted_search(small, "comment calmer un adolescent en colère")
    assert answer.notice is not None and "French" in answer.notice
    assert "English only" in answer.notice
    assert answer.confidence is not Confidence.STRONG
