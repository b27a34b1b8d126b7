"""Did-you-mean: corrections to the hub's own words, never revealing a word a caller can't see.

The dictionary is every word of the hub's documents (store.spelling_table, written with the
catalog), held in a SymSpell index in memory and topped up from the table before each look-up,
so a word committed by any process is found. A query word is corrected only when it is neither
an English word (symspellpy's dictionary) nor a word of a document the caller may see; its
correction is a general English word or a word of a document the caller may see whose uploader
kept no personal data in it, so a suggestion shows nothing the caller could not find, nor a
flagged name. Fewest edits win; then a word that a common slip explains (a letter left out,
or spelled as it sounds: "litle" is "little", not the hub's "title"); then a hub word, the
commoner in English first, then in the hub; then a general English word.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Mapping

import jellyfish
from symspellpy import SymSpell, Verbosity

from search.english import english_counts, english_symspell, english_words
from search.per_store import OnePer
from search.snippets import STOP_WORDS
from store import spelling_table
from store.protocol import DocumentCatalog
from store.records import Filters, Viewer

VERSION = "1"  # of the table's contents; a data folder with another is counted again
MAX_EDITS = 2  # the most edits a correction may need (1 for words of up to SHORT_WORD letters)
SHORT_WORD = 6  # so "lorem ipsum dolor" does not turn into the hub's "more issue door"
RARE_ENGLISH = 100_000_000  # English words rarer than this may be slips for a commoner word
# ... one edit away and this many times as common in English ("dyed" for "died", 24 times as
# common); 5 read "zoom" as "room" (5.6) and "boss" as "loss" (5.8) in the practitioner set
SLIP_RATIO = 10
_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?![^\W\d_])")


def unknown_words(query: str, known: Callable[[str], bool]) -> list[str]:
    """The query's lower-case words worth correcting: long enough, not English, not known."""
    english = english_words()
    found = []
    for word in dict.fromkeys(w.lower() for w in _WORD.findall(query)):
        if spelling_table.MIN_LENGTH <= len(word) <= spelling_table.MAX_LENGTH \
                and word not in english and not known(word):
            found.append(word)
    return found


def apply_corrections(query: str, fixes: Mapping[str, str]) -> str:
    """The query with each corrected word replaced (keeping a leading capital)."""

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        new = fixes.get(word.lower())
        if new is None:
            return word
        return new.capitalize() if word[:1].isupper() else new

    return _WORD.sub(fix, query)


class Speller:
    """Spelling corrections from the hub's words, for one open catalog."""

    def __init__(self, catalog: DocumentCatalog) -> None:
        self._catalog = catalog
        self._symspell = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=7)
        self._seq = 0
        self._lock = threading.Lock()
        catalog.count_words(VERSION)

    def _top_up(self) -> None:
        """Add the words written since the last look-up (counts only grow in memory)."""
        rows = self._catalog.words_since(self._seq)
        for _, word, count in rows:
            self._symspell.create_dictionary_entry(word, count)
        if rows:
            self._seq = rows[-1][0]

    def warm(self) -> None:
        """Load every word now (seconds on a large hub) rather than in someone's search."""
        english_symspell(MAX_EDITS)
        with self._lock:
            self._top_up()

    def _candidates(self, word: str) -> list[tuple[int, str]]:
        """Hub words near a word, with their edit distances, commonest in the hub first."""
        edits = MAX_EDITS if len(word) > SHORT_WORD else 1
        found = self._symspell.lookup(word, Verbosity.ALL, edits)
        found.sort(key=lambda s: (s.distance, -s.count))
        return [(s.distance, s.term) for s in found]

    def _visible(self, words: Collection[str], viewer: Viewer | None,
                 unguarded: bool) -> set[str]:
        """Those of the words found in a READY document the viewer may see."""
        return self._catalog.visible_words(words, viewer, unguarded)

    def correct(self, query: str, filters: Filters = Filters(),
                slips: bool = False) -> str | None:
        """The query with unknown words corrected to words the caller may see, or None.

        With `slips`, uncommon English words the hub lacks are also read as slips for a far
        commoner hub word one edit away ("grandad dyed": "died"); such guesses are often
        wrong ("zoom", "room"), so search.trust keeps them only for a strong answer.
        """
        viewer = filters.viewer
        english = english_words()
        # only words that are not English can need a correction: ask the catalog about those
        # alone (a common word's rows would cost a join with every document)
        words = [w for w in dict.fromkeys(w.lower() for w in _WORD.findall(query))
                 if spelling_table.MIN_LENGTH <= len(w) <= spelling_table.MAX_LENGTH]
        counts = english_counts()
        maybe = [w for w in words if w not in english or (slips and counts[w] < RARE_ENGLISH)]
        seen = self._visible(maybe, viewer, unguarded=False)
        unknown = unknown_words(query, seen.__contains__)
        slipped = [w for w in maybe if w in english and w not in seen]
        if not unknown and not slipped:
            return None
        with self._lock:
            self._top_up()
            from_hub = {word: self._candidates(word) for word in [*unknown, *slipped]}
        allowed = self._visible({t for found in from_hub.values() for _, t in found}, viewer,
                                unguarded=True)
        fixes = {}
        for word in unknown:
            found = [(d, t) for d, t in from_hub[word] if t in allowed]
            best = choose(word, found, english_candidates(word))
            if best is not None:
                fixes[word] = best
        for word in slipped:
            # a real word is read as a slip only for a content word: a stop word ("from" for
            # "rom") is dropped by the search and could not make its answer stronger
            commoner = [(d, t) for d, t in from_hub[word] if t in allowed and d == 1
                        and counts.get(t, 0) >= SLIP_RATIO * counts[word]
                        and t not in STOP_WORDS]
            best = choose(word, commoner, [])
            if best is not None:
                fixes[word] = best
        return apply_corrections(query, fixes) if fixes else None


def english_candidates(word: str) -> list[tuple[int, str]]:
    """General English words near a word, with their edit distances."""
    edits = MAX_EDITS if len(word) > SHORT_WORD else 1
    return [(s.distance, s.term)
            for s in english_symspell(MAX_EDITS).lookup(word, Verbosity.ALL, edits)]


def likely_slip(typed: str, word: str) -> bool:
    """Whether one of the two commonest kinds of slip explains `typed` as `word`.

    A letter left out ("evry" for "every", "gamin" for "gaming"): what was typed is `word`
    with letters missing. A word spelled as it sounds ("speeks" for "speaks", "sware" for
    "swore"): both have the same Metaphone key (jellyfish). A correction that neither
    explains is a guess ("very", "seeks", "share").
    """
    letters = iter(word)
    omitted = len(typed) < len(word) and all(c in letters for c in typed)
    return omitted or jellyfish.metaphone(typed) == jellyfish.metaphone(word)


def choose(typed: str, from_hub: list[tuple[int, str]],
           english: list[tuple[int, str]]) -> str | None:
    """The correction of `typed`, or None: fewest edits; then one a likely slip explains
    (`likely_slip`: "litle" is "little", not the hub's "title"); then a word of the hub (its
    documents are the context), the commonest in English ("recnt" is "recent", not
    "recant"), then in the hub (`from_hub` comes commonest first); then a general English
    word."""
    counts = english_counts()
    ranked = [(d, not likely_slip(typed, t), 0, -counts.get(t, 0), i, t)
              for i, (d, t) in enumerate(from_hub)]
    ranked += [(d, not likely_slip(typed, t), 1, -counts.get(t, 0), 0, t) for d, t in english]
    return min(ranked)[5] if ranked else None


# The one speller of an open catalog (its dictionary is built once).
speller_for: OnePer[DocumentCatalog, Speller] = OnePer(Speller)
