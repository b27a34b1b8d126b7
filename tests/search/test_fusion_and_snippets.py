"""Pure logic: rank fusion, query analysis and snippets."""

from __future__ import annotations

import re

import pytest

from search.fusion import FusionMode, convex_fusion, fuse, reciprocal_rank_fusion
from search.lexical import match_expression, phrase_expression, quoted_phrases
from search.snippets import highlight, make_snippet
from store import fts5
from store.analysis import analyze, term_of
from store.records import LexicalQuery


def test_rrf_by_hand() -> None:
    fused = dict(reciprocal_rank_fusion([[("a", 9.0), ("b", 5.0)], [("b", 0.9), ("c", 0.8)]]))
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)
    assert next(iter(fused)) == "b"


def test_weights_shift_the_balance() -> None:
    lexical = [("a", 1.0), ("b", 0.5)]
    dense = [("b", 1.0), ("a", 0.5)]
    assert fuse([lexical, dense], FusionMode.RRF, [2.0, 1.0])[0][0] == "a"
    assert fuse([lexical, dense], FusionMode.RRF, [1.0, 2.0])[0][0] == "b"


def test_convex_fusion_normalises_scores() -> None:
    fused = dict(convex_fusion([[("a", 10.0), ("b", 0.0)], [("b", 0.9), ("a", 0.1)]]))
    assert fused == {"a": pytest.approx(1.0), "b": pytest.approx(1.0)}


def test_query_analysis_is_safe_fts_syntax() -> None:
    query = match_expression('kids AND "NEAR(" -shouting')
    assert query == LexicalQuery(("kid", "near", "shout"))
    assert fts5.match(query) == '"kid" OR "near" OR "shout"'
    assert match_expression("the a of") is None
    assert quoted_phrases('the "Calm Corner kit" and "STEPS"') == ["Calm Corner kit", "STEPS"]
    phrase = phrase_expression('"Calm Corner kit"')
    assert phrase == LexicalQuery(phrases=(("calm", "corner", "kit"),))
    assert fts5.match(phrase) == '"calm corner kit"'
    assert fts5.match(LexicalQuery(("calm", "kit"), every=True)) == '"calm" AND "kit"'
    assert phrase_expression('so-called "tuned" indexes') is None  # emphasis, not a phrase


def test_snippet_picks_the_best_sentences_and_escapes() -> None:
    text = (
        "The meeting opened with a check-in. Parents rarely attend review meetings. "
        "We tried evening phone calls for parents working shifts. Lunch was provided. "
        "A <script>alert(1)</script> tag was pasted by mistake."
    )
    snippet = make_snippet(text, "parents evening calls", max_sentences=2)
    assert "<mark>Parents</mark> rarely" in snippet
    assert "<mark>evening</mark> phone <mark>calls</mark>" in snippet
    assert "check-in" not in snippet
    escaped = make_snippet(text, "script tag pasted")
    assert "<script>" not in escaped and "&lt;<mark>script</mark>&gt;" in escaped


def test_highlight_escapes_everything_but_marks() -> None:
    assert highlight('<b>kids</b> & "carers"', {"kid"}) == (
        "&lt;b&gt;<mark>kids</mark>&lt;/b&gt; &amp; &quot;carers&quot;"
    )


def test_cached_word_terms_equal_the_index_analysis() -> None:
    """Snippets stem word by word; the terms must be the ones the BM25 index holds."""
    text = ("The Kids' carers ARE running 3 check-ins, e.g. weekly; a 16-year-old's "
            "re-entry & school-refusal plans were discussed. Café naïve résumé.")
    words = [t for w in re.findall(r"\w+", text) if (t := term_of(w))]
    assert words == analyze([text])[0]
    assert term_of("the") == "" and term_of("a") == "" and term_of("Running") == "run"
