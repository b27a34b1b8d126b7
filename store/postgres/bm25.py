"""BM25 in PostgreSQL's SQL, scored as SQLite's FTS5 scores it (k1 1.2, b 0.75, the same idf
floor), over the postings table, so both stores rank alike."""

from __future__ import annotations

from typing import Any

from store.records import LexicalQuery

K1, B = 1.2, 0.75
IDF_FLOOR = 1e-6  # FTS5's: a term in more than half the chunks still counts a little

# The collection's statistics (store.postgres.catalog keeps them as postings change) and each
# query term's weight are read once; scoring then touches only the query terms' postings.
# Every constant is float8: a bare literal is numeric in PostgreSQL, and numeric arithmetic
# on each posting cost more than reading it. Per posting: weight * tf / (tf + k1 (1 - b) +
# k1 b dl / avgdl), with (k1 + 1) folded into the term's weight.
_WEIGHTS = f"""
WITH q AS (SELECT term, count(*)::float8 AS qtf FROM unnest(?::text[]) AS term GROUP BY term),
stats AS (SELECT n::float8 AS n,
                 {K1 * B}::float8 / greatest(total::float8 / greatest(n, 1), 1) AS per_length
          FROM lexical_stats WHERE id = 1),
w AS (SELECT q.term, {K1 + 1}::float8 * q.qtf
             * greatest(ln((stats.n - t.df + 0.5::float8) / (t.df + 0.5::float8)),
                        {IDF_FLOOR}::float8) AS weight
      FROM q JOIN term_stats t ON t.term = q.term CROSS JOIN stats)"""
_TF = f"p.tf / (p.tf + {K1 * (1 - B)}::float8 + stats.per_length * p.dl)"
_SCORED = _WEIGHTS + f""",
scored AS (
    SELECT p.chunk_rowid, p.doc_id, count(*) AS matched, sum(w.weight * {_TF}) AS score
    FROM postings p JOIN w ON w.term = p.term CROSS JOIN stats
    WHERE {{within}}
    GROUP BY p.chunk_rowid, p.doc_id)
"""

# Without phrases, the filters (on documents `d`) and the top-k cut come before any chunk is
# read: only the k chunks kept are looked up, for their ids.
_CUT = """,
top AS (SELECT s.chunk_rowid, s.score FROM scored s JOIN documents d ON d.id = s.doc_id
        WHERE {where} ORDER BY s.score DESC, s.chunk_rowid LIMIT ?)
SELECT c.id AS id, top.score AS score FROM top JOIN chunks c ON c.rowid = top.chunk_rowid
ORDER BY top.score DESC, c.id
"""

# Phrases are checked on the chunks' positions, so those chunks are read before the cut.
_PHRASED = """
SELECT c.id AS id, s.score AS score FROM scored s
JOIN chunks c ON c.rowid = s.chunk_rowid JOIN documents d ON d.id = s.doc_id
WHERE {where} ORDER BY s.score DESC, c.id LIMIT ?
"""


def _within(column: str, documents: tuple[str | None, str | None]) -> tuple[str, list[str]]:
    """The condition, and its parameters, that `column` lies in [low, high) (None: open)."""
    low, high = documents
    clauses = ([f"{column} >= ?"] if low is not None else []) + (
        [f"{column} < ?"] if high is not None else [])
    return " AND ".join(clauses) or "TRUE", [b for b in documents if b is not None]


def search_sql(query: LexicalQuery, where: str, params: list[Any], limit: int,
               documents: tuple[str | None, str | None] = (None, None)
               ) -> tuple[str, list[Any]]:
    """The SQL and parameters of a full-text search under `where` (on documents `d`), among
    the documents whose id lies in [low, high) of `documents` (None: open)."""
    terms = list(query.terms) or [t for phrase in query.phrases for t in phrase]
    if not terms:
        raise ValueError("an empty full-text query matches nothing")
    within, bounds = _within("p.doc_id", documents)
    own, own_bounds = _within("d.id", documents)
    clauses, values = [where, own], [*params, *own_bounds]
    if query.every:
        clauses.append("s.matched = ?")
        values.append(len(set(query.terms)))
    for phrase in query.phrases:
        clauses.append("c.positions @@ phraseto_tsquery('simple', ?)")
        values.append(" ".join(phrase))
    shape = _PHRASED if query.phrases else _CUT
    sql = _SCORED.format(within=within) + shape.format(where=" AND ".join(clauses))
    return sql, [terms, *bounds, *values, limit]
