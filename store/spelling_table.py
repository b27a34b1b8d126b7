"""The hub's own words for spelling suggestions, kept beside the catalog and written with it.

Each document's words are counted when its chunks are committed and dropped when its chunks
are (both inside the catalog's transaction), so the table never disagrees with what can be
found. A row remembers whether the document holds personal data its uploader chose to keep:
words from such documents are never suggested (see search.spelling).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from store.records import ChunkRecord

# The guard's warning for personal data kept by the uploader's choice (ingest.pii_guard).
KEPT_PERSONAL_DATA = "personal data found and kept"
MIN_LENGTH, MAX_LENGTH = 3, 30
WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+(?![^\W\d_])")


def words_of(texts: Iterable[str]) -> Counter[str]:
    """Lower-case words of letters only (3 to 30 of them), counted."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in WORD.findall(text.lower())
                      if MIN_LENGTH <= len(w) <= MAX_LENGTH)
    return counts


def forget(db: Any, doc_id: str) -> None:
    """Drop a document's words (its chunks are being replaced or deleted)."""
    db.execute("DELETE FROM spelling WHERE doc_id = ?", (doc_id,))


def record(db: Any, doc_id: str, chunks: Sequence[ChunkRecord]) -> None:
    """Count a document's words, marked guarded if it keeps personal data."""
    forget(db, doc_id)
    row = db.execute("SELECT warnings FROM documents WHERE id = ?", (doc_id,)).fetchone()
    warnings = json.loads(row["warnings"]) if row is not None else []
    guarded = int(any(str(w).startswith(KEPT_PERSONAL_DATA) for w in warnings))
    counts = words_of(c.indexed_text for c in chunks)
    db.executemany(
        "INSERT INTO spelling(doc_id, word, n, guarded) VALUES (?,?,?,?)",
        [(doc_id, word, n, guarded) for word, n in counts.items()],
    )
