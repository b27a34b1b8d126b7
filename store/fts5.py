"""SQLite FTS5 MATCH expressions from full-text queries (store.records.LexicalQuery).

Every term is quoted, so nothing a practitioner typed is read as FTS5 syntax. FTS5's bm25()
sums over an expression's phrases, so a term given twice counts twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from store.records import LexicalQuery


def _quoted(terms: Sequence[str]) -> str:
    return '"' + " ".join(t.replace('"', "") for t in terms) + '"'


def match(query: LexicalQuery) -> str:
    """The MATCH expression: any term (every term with `every`), and each phrase."""
    joiner = " AND " if query.every else " OR "
    parts = [joiner.join(_quoted([t]) for t in query.terms)] if query.terms else []
    if parts and query.phrases and not query.every and len(query.terms) > 1:
        parts = [f"({parts[0]})"]
    parts += [_quoted(p) for p in query.phrases]
    if not parts:
        raise ValueError("an empty full-text query matches nothing")
    return " AND ".join(parts)


def varints(blob: bytes) -> list[int]:
    """The SQLite varints of a blob, in order (FTS5 writes its averages record so: the row
    count, then each column's token count)."""
    values: list[int] = []
    at = 0
    while at < len(blob):
        value = 0
        for i in range(9):
            byte = blob[at]
            at += 1
            if i == 8:  # the ninth byte gives all eight of its bits
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80 or at >= len(blob):
                break
        values.append(value)
    return values
