"""Did-you-mean: corrections to the hub's own words, never revealing a word a caller can't see.

The dictionary is every word of the hub's documents (search.spelling_table, written with the
catalog), held in a SymSpell index in memory and topped up from the table before each look-up,
so a word committed by any process is found. A query word is corrected only when it is neither
an English word (symspellpy's dictionary) nor a word of a document the caller may see; its
correction must be a word of a document the caller may see whose uploader kept no personal
data in it, so a suggestion shows nothing the caller could not find, nor a flagged name.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Callable, Collection, Mapping

from symspellpy import SymSpell, Verbosity

from search import spelling_table
from search.catalog import Catalog, filter_sql
from search.english import english_counts, english_words
from search.models import Filters, Viewer

VERSION = "1"  # of the table's contents; a data folder with another is counted again
MAX_EDITS = 2  # the most edits a correction may need (1 for words of up to SHORT_WORD letters)
SHORT_WORD = 6  # so "lorem ipsum dolor" does not turn into the hub's "more issue door"
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

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self._symspell = SymSpell(max_dictionary_edit_distance=MAX_EDITS, prefix_length=7)
        self._seq = 0
        self._lock = threading.Lock()
        with catalog.transaction() as db:
            spelling_table.ensure(db)
        if catalog.get_meta("spelling") != VERSION:
            self._count_again()

    def _count_again(self) -> None:
        """Count every document's words (a data folder from before the table, or a change)."""
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM spelling")
        for doc in self._catalog.all_documents():
            chunks = self._catalog.chunks_of(doc.id)
            with self._catalog.transaction() as db:
                spelling_table.record(db, doc.id, chunks)
        self._catalog.set_meta("spelling", VERSION)

    def _top_up(self) -> None:
        """Add the words written since the last look-up (counts only grow in memory)."""
        rows = self._catalog.read(
            "SELECT seq, word, n FROM spelling WHERE seq > ? ORDER BY seq", (self._seq,))
        for row in rows:
            self._symspell.create_dictionary_entry(row["word"], int(row["n"]))
        if rows:
            self._seq = int(rows[-1]["seq"])

    def warm(self) -> None:
        """Load every word now (seconds on a large hub) rather than in someone's search."""
        with self._lock:
            self._top_up()

    def _candidates(self, word: str) -> list[str]:
        """Hub words near a word: fewest edits first, then the commoner in the hub."""
        edits = MAX_EDITS if len(word) > SHORT_WORD else 1
        english = english_counts()
        found = self._symspell.lookup(word, Verbosity.ALL, edits)
        found.sort(key=lambda s: (s.distance, -s.count, -english.get(s.term, 0)))
        return [s.term for s in found]

    def _visible(self, words: Collection[str], viewer: Viewer | None,
                 unguarded: bool) -> set[str]:
        """Those of the words found in a READY document the viewer may see."""
        if not words:
            return set()
        where, params = filter_sql(Filters(viewer=viewer))
        marks = ",".join("?" * len(words))
        guard = " AND s.guarded = 0" if unguarded else ""
        rows = self._catalog.read(
            f"SELECT DISTINCT s.word AS word FROM spelling s JOIN documents d "
            f"ON d.id = s.doc_id WHERE s.word IN ({marks}){guard} AND {where}",
            [*words, *params],
        )
        return {str(r["word"]) for r in rows}

    def correct(self, query: str, filters: Filters = Filters()) -> str | None:
        """The query with unknown words corrected to words the caller may see, or None."""
        viewer = filters.viewer
        english = english_words()
        # only words that are not English can need a correction: ask the catalog about those
        # alone (a common word's rows would cost a join with every document)
        maybe = [w for w in dict.fromkeys(w.lower() for w in _WORD.findall(query))
                 if spelling_table.MIN_LENGTH <= len(w) <= spelling_table.MAX_LENGTH
                 and w not in english]
        seen = self._visible(maybe, viewer, unguarded=False)
        unknown = unknown_words(query, seen.__contains__)
        if not unknown:
            return None
        with self._lock:
            self._top_up()
            options = {word: self._candidates(word) for word in unknown}
        allowed = self._visible({t for terms in options.values() for t in terms}, viewer,
                                unguarded=True)
        fixes = {w: next(t for t in terms if t in allowed)
                 for w, terms in options.items() if any(t in allowed for t in terms)}
        return apply_corrections(query, fixes) if fixes else None


_spellers: weakref.WeakKeyDictionary[Catalog, Speller] = weakref.WeakKeyDictionary()
_spellers_lock = threading.Lock()


def speller_for(catalog: Catalog) -> Speller:
    """The one speller of an open catalog (its dictionary is built once)."""
    with _spellers_lock:
        speller = _spellers.get(catalog)
        if speller is None:
            speller = _spellers[catalog] = Speller(catalog)
        return speller


