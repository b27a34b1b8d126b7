"""Did-you-mean from the hub's own words, over a real index, kept current on every write."""

from __future__ import annotations

import pytest

from ingest.pipeline import Pipeline
from search.confidence import Confidence
from search.spelling import (
    Speller,
    apply_corrections,
    choose,
    likely_slip,
    speller_for,
    unknown_words,
)
from search.trust import trusted_search
from store.index import Index
from store.records import Filters, Viewer
from store.spelling_table import words_of
from tests.search.test_retrieval import note

NOTES = {
    "practices/co-regulation.md": "# Co-regulation strategies for hypoarousal\n\nWhen a child "
    "shuts down and goes flat (hypoarousal), co-regulation strategies start with the adult: "
    "a warm voice, gentle movement, rhythm and sensory input bring them back into the window "
    "of tolerance.",
    "practices/parents.md": "# Engaging parents who never come to meetings\n\nCall parents "
    "back at times that suit them, meet at the school gate, and ask what would help.",
    "practices/mealtimes.md": "# Calm mealtimes\n\nShared meals with predictable seating help "
    "children in residential care feel safe; staff eat with the young people.",
}


def test_apply_corrections_keeps_the_rest_of_the_query() -> None:
    assert apply_corrections("Teh parnets, and EBSA!", {"teh": "the", "parnets": "parents"}) \
        == "The parents, and EBSA!"


def test_only_unknown_non_english_words_are_corrected() -> None:
    assert unknown_words("parnets never come to meetngs", lambda w: False) \
        == ["parnets", "meetngs"]
    assert unknown_words("parnets never come", {"parnets"}.__contains__) == []


def test_a_correction_a_likely_slip_explains_wins_at_the_same_distance() -> None:
    assert likely_slip("evry", "every") and not likely_slip("evry", "very")  # a letter left out
    assert likely_slip("sware", "swore") and not likely_slip("sware", "share")  # sounds alike
    # "title" is the hub's and commoner in English, but only "little" explains "litle"
    assert choose("litle", [(1, "title"), (1, "little")], []) == "little"
    assert choose("sware", [(1, "share")], [(1, "swore")]) == "swore"
    # both explain "recnt": the commoner English word
    assert choose("recnt", [(1, "recant"), (1, "recent")], []) == "recent"
    # fewer edits first: a slip two edits away does not beat a word one edit away
    assert choose("fone", [(1, "one")], [(2, "phone")]) == "one"


def test_words_of_counts_letters_only_words() -> None:
    assert words_of(["Co-regulation, co-regulation 2026 ok"]) == {"regulation": 2}


@pytest.fixture
def hub(index: Index, pipeline: Pipeline) -> tuple[Index, Pipeline]:
    pipeline.ingest([note(source, text) for source, text in NOTES.items()])
    return index, pipeline


def test_misspelled_query_is_searched_as_corrected(hub: tuple[Index, Pipeline]) -> None:
    index, _ = hub
    answer = trusted_search(index, "co-regultion stratagies for hypoarrousal",
                            speller=speller_for(index.catalog))
    assert answer.did_you_mean == "co-regulation strategies for hypoarousal"
    assert answer.searched_for == answer.did_you_mean
    assert answer.confidence is Confidence.STRONG
    assert answer.hits[0].document.source == "practices/co-regulation.md"


def test_a_correct_query_is_left_alone(hub: tuple[Index, Pipeline]) -> None:
    index, _ = hub
    answer = trusted_search(index, "engaging parents who never come to meetings",
                            speller=speller_for(index.catalog))
    assert answer.did_you_mean is None and answer.searched_for is None


def test_dictionary_follows_writes_and_deletes(hub: tuple[Index, Pipeline]) -> None:
    index, pipeline = hub
    speller = Speller(index.catalog)
    assert speller.correct("snoezlen room") is None  # not English, not in the hub yet
    [added] = pipeline.ingest([note("practices/sensory.md", "# Snoezelen room\n\nA "
                                    "snoezelen session for toddlers and their carers.")])
    assert added.document is not None
    assert speller.correct("snoezlen room") == "snoezelen room"
    index.delete(added.document.id)
    assert speller.correct("snoezlen room") is None


def test_a_word_the_hub_lacks_is_corrected_from_english(hub: tuple[Index, Pipeline]) -> None:
    index, _ = hub
    speller = speller_for(index.catalog)
    assert speller.correct("burning") is None  # an English word is left alone
    assert speller.correct("staff burnng out") == "staff burning out"
    # a hub word wins over an English word at the same distance, the commoner in English
    # first: "calm mealtims" keeps to the hub's "mealtimes"
    assert speller.correct("calm mealtims") == "calm mealtimes"


def test_a_slip_for_a_real_word_is_kept_only_for_a_strong_answer(
        hub: tuple[Index, Pipeline]) -> None:
    index, pipeline = hub
    pipeline.ingest([note("practices/grief.md", "# Telling a young child that someone died"
                          "\n\nWhen a grandparent has died, tell a four year old plainly: "
                          "grandad died, his body stopped working, he cannot come back.")])
    speller = speller_for(index.catalog)
    assert speller.correct("grandad dyed") is None  # "dyed" is English: not a typo by itself
    assert speller.correct("grandad dyed", slips=True) == "grandad died"
    answer = trusted_search(index, "my grandad dyed", speller=speller)
    assert answer.searched_for == "my grandad died"
    assert answer.confidence is Confidence.STRONG
    assert answer.hits[0].document.source == "practices/grief.md"
    # a real word only a few times rarer than a hub word is left alone
    pipeline.ingest([note("practices/hybrid.md", "# Hybrid meetings\n\nHalf in the room, half "
                          "online: the loss of side conversations is what people miss.")])
    speller = speller_for(index.catalog)
    assert speller.correct("half of us are on zoom", slips=True) is None  # not "room"
    assert speller.correct("my boss wants numbers", slips=True) is None  # not "loss"
    # and a slip is read as a content word, never a stop word ("rom" is not "from")
    assert speller.correct("half in the rom", slips=True) != "half in the from"
    # an off-topic query is not bent into a hub question ("bike" is not a slip for "like")
    off = trusted_search(index, "how to fix a flat bike tire", speller=speller)
    assert off.searched_for is None and off.confidence is not Confidence.STRONG


def test_words_of_documents_a_caller_cannot_see_are_not_suggested(
        hub: tuple[Index, Pipeline]) -> None:
    index, pipeline = hub
    [private] = pipeline.ingest([note("practices/mine.md", "# Quillwort circle\n\nThe "
                                      "quillwort circle met in private.")])
    assert private.document is not None
    index.update_metadata(private.document.id, visibility="private")
    speller = speller_for(index.catalog)
    stranger = Filters(viewer=Viewer(user_id="someone-else"))
    assert "quillwort" not in (speller.correct("quilwort circle", stranger) or "")
    assert speller.correct("quilwort circle", Filters(viewer=Viewer(admin=True))) \
        == "quillwort circle"
