"""Snippets a reader recognises: the query's own words and their inflections are marked, stop
words and Snowball stem collisions are not, and list items keep their lines."""

from __future__ import annotations

import re

import pytest

from search.snippets import (
    _snippet,
    highlight,
    make_snippet,
    query_terms,
    same_word,
    snippet_for,
)

MARK = re.compile(r"<mark>(.*?)</mark>")


def marked(snippet: str) -> list[str]:
    return MARK.findall(snippet)


def test_stop_words_of_the_query_are_not_marked() -> None:
    text = "How do parents find the time? Parents do come when meetings are held after work."
    snippet = make_snippet(text, "how do parents find time for meetings")
    assert "how" not in {w.lower() for w in marked(snippet)}
    assert "do" not in {w.lower() for w in marked(snippet)}
    assert marked(snippet) == ["parents", "find", "time", "Parents", "meetings"]


def test_a_shared_stem_is_not_enough_busy_is_not_business() -> None:
    """Snowball stems both "busy" and "Business" to "busi"; a reader sees two words."""
    text = "Published by Harvard Business School Press. Busy parents miss the busiest weeks."
    snippet = make_snippet(text, "busy parents")
    assert "Business" not in marked(snippet)
    assert marked(snippet) == ["Busy", "parents"]


def test_the_window_is_chosen_by_the_words_a_reader_sees() -> None:
    """The sentence with "Business" no longer counts as a match for "busy"."""
    text = "Harvard Business School Press, 2002. A short note on busy carers."
    snippet = make_snippet(text, "busy", max_sentences=1)
    assert snippet == "… A short note on <mark>busy</mark> carers."


@pytest.mark.parametrize(
    ("word", "query_word"),
    [("meetings", "meeting"), ("meeting", "meetings"), ("parents", "parent"),
     ("organised", "organise"), ("organising", "organise"), ("families", "family"),
     ("running", "run"), ("stopped", "stop"), ("studied", "study"), ("meet", "meeting")],
)
def test_inflections_are_the_same_word(word: str, query_word: str) -> None:
    assert same_word(word, query_word)


@pytest.mark.parametrize(
    ("word", "query_word"),
    [("business", "busy"), ("organisation", "organise"), ("university", "universe"),
     ("careful", "care"), ("generous", "general")],
)
def test_derivations_and_collisions_are_not(word: str, query_word: str) -> None:
    assert not same_word(word, query_word)


def test_inflections_are_marked_in_text() -> None:
    text = "We organised two meetings; the organisation asked parents to organise more."
    assert marked(highlight(text, {"organise", "meeting", "parent"})) == [
        "organised", "meetings", "parents", "organise"]


def test_list_items_keep_their_lines() -> None:
    text = "What helped:\n- Evening calls for parents.\nThey work late.\n- A lift to the meeting."
    snippet = make_snippet(text, "parents meeting")
    assert snippet.split("\n") == [
        "… - Evening calls for <mark>parents</mark>. They work late.",
        "- A lift to the <mark>meeting</mark>."]


def test_output_stays_escaped() -> None:
    snippet = make_snippet('<img src=x onerror="alert(1)"> busy parents', "busy parents")
    assert "<img" not in snippet and "&lt;img" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_queries_that_differ_outside_the_passage_share_the_cached_snippet() -> None:
    text = "A lift to the meeting made the difference for a parent with two jobs."
    first = snippet_for(text, query_terms("parent meeting transport"))
    before = _snippet.cache_info().hits
    second = snippet_for(text, query_terms("how do a parent and a meeting help"))
    assert second == first
    assert _snippet.cache_info().hits == before + 1


def test_query_terms_are_content_stems_with_their_words() -> None:
    terms = query_terms("How do Busy parents organise meetings?")
    assert set(terms) == {"busi", "parent", "organis", "meet"}
    assert terms.words == {"busy", "parents", "organise", "meetings"}
