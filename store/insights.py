"""The search record behind the facilitators' view: what was asked (already redacted by the
caller), how well it was answered, what was opened and what people said of it.

Nothing here names a person: a search carries the searcher's role and communities and, to
count distinct searchers and to let only the searching session give feedback, a keyed hash
of that session's secret (`pseudonym`). The store keeps only hashes of session ids and tokens
(store.accounts), never the values, so no table links a pseudonym to an account. Each
distinct text is kept once with its embedding (float32 bytes), so grouping never re-embeds.
Rows older than the retention are deleted by `purge`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from store.catalog import Catalog
from store.embedder import Vectors
from store.records import now_iso

SECRET_NAME = "insights-pseudonyms"


@dataclass(frozen=True)
class LoggedSearch:
    """One answered search as it is kept: never the person, only their role and communities."""

    id: str
    at: str  # ISO time, UTC, to the second
    role: str
    communities: tuple[str, ...]
    text: str  # as the personal-data guard left it
    confidence: str
    weak: bool  # the answer was weak or empty (the operation decides)
    searcher: str | None  # a pseudonym of the searching session, or None without one
    results: tuple[str, ...] = ()  # document ids shown, best first
    embedding: Vectors | None = None


@dataclass(frozen=True)
class TextStats:
    """One distinct query text within a scope: how often, by how many, how well answered."""

    text_id: str
    text: str
    month: str  # YYYY-MM
    searches: int
    unmet: int  # searches of it answered weakly, not at all, or marked not helpful


@dataclass(frozen=True)
class DocumentStats:
    doc_id: str
    shown: int
    opened: int
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class Story:
    search_id: str
    doc_id: str
    at: str
    communities: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class MonthStats:
    """Per month (and community, where the row has one) counts for the activity charts."""

    month: str
    community: str | None
    searches: int
    answered_yes: int
    answered_no: int
    helpful: int
    not_helpful: int


def text_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class Scope:
    """Which searches a question covers: those of searchers in `communities` (None: all),
    made at or after `since` (an ISO time)."""

    communities: tuple[str, ...] | None = None
    since: str = ""

    def sql(self, alias: str = "s") -> tuple[str, list[Any]]:
        where, params = [f"{alias}.at >= ?"], [self.since]
        if self.communities is not None:
            marks = ",".join("?" * len(self.communities)) or "NULL"
            where.append(f"{alias}.id IN (SELECT search_id FROM search_communities "
                         f"WHERE community IN ({marks}))")
            params += list(self.communities)
        return " AND ".join(where), params


# An answer counts as unmet when the searcher said no, or (not having said yes) marked a
# result not helpful and none helpful, or (having said nothing) it was weak or empty. The
# search's counts of helpful and not helpful results are kept beside it for the monthly sums.
_UNMET = """UPDATE searches SET
helpful = (SELECT COUNT(*) FROM search_results r WHERE r.search_id = searches.id
           AND r.helpful = 1),
not_helpful = (SELECT COUNT(*) FROM search_results r WHERE r.search_id = searches.id
               AND r.helpful = 0),
unmet = CASE
  WHEN answered = 0 THEN 1
  WHEN answered = 1 THEN 0
  WHEN EXISTS (SELECT 1 FROM search_results r WHERE r.search_id = searches.id
               AND r.helpful = 1) THEN 0
  WHEN EXISTS (SELECT 1 FROM search_results r WHERE r.search_id = searches.id
               AND r.helpful = 0) THEN 1
  ELSE weak END
WHERE id = ?"""


class InsightTable:
    """The search record's tables in the catalog's database (SQLite or PostgreSQL)."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    @cached_property
    def _secret(self) -> bytes:
        return self._catalog.shared_secret(SECRET_NAME, secrets.token_hex(32)).encode()

    def pseudonym(self, credential: str) -> str:
        """A keyed hash of a session's secret (its cookie, or a bearer token): the same for
        one session, unlinkable to an account without the secret value itself."""
        return hmac.new(self._secret, credential.encode("utf-8"), hashlib.sha256).hexdigest()[:32]

    # --- writing ------------------------------------------------------------------------
    def record(self, search: LoggedSearch) -> None:
        self.record_many([search])

    def record_many(self, searches: Sequence[LoggedSearch]) -> None:
        """Searches with their texts (once each), communities and results, one transaction."""
        texts = {text_id(s.text): s for s in searches}
        with self._catalog.transaction() as db:
            db.executemany(
                "INSERT INTO search_texts(id, text, embedding) VALUES (?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                [(tid, s.text, None if s.embedding is None else
                  np.asarray(s.embedding, dtype=np.float32).tobytes())
                 for tid, s in texts.items()])
            db.executemany(
                "INSERT INTO searches(id, at, role, text_id, confidence, weak, unmet, searcher) "
                "VALUES (?,?,?,?,?,?,?,?)",
                [(s.id, s.at or now_iso(), s.role, text_id(s.text), s.confidence, int(s.weak),
                  int(s.weak), s.searcher) for s in searches])
            db.executemany("INSERT INTO search_communities(search_id, community) VALUES (?, ?)",
                           [(s.id, c) for s in searches for c in dict.fromkeys(s.communities)])
            db.executemany("INSERT INTO search_results(search_id, doc_id, rank) VALUES (?,?,?)",
                           [(s.id, d, r) for s in searches
                            for r, d in enumerate(dict.fromkeys(s.results))])

    def searcher_of(self, search_id: str) -> tuple[bool, str | None]:
        """(whether the search is kept, its pseudonym)."""
        rows = self._catalog.read("SELECT searcher FROM searches WHERE id = ?", (search_id,))
        return (True, rows[0]["searcher"]) if rows else (False, None)

    def shown(self, search_id: str) -> list[str]:
        rows = self._catalog.read("SELECT doc_id FROM search_results WHERE search_id = ? "
                                  "ORDER BY rank", (search_id,))
        return [str(r["doc_id"]) for r in rows]

    def mark_opened(self, search_id: str, doc_id: str) -> None:
        with self._catalog.transaction() as db:
            db.execute("UPDATE search_results SET opened = 1 WHERE search_id = ? AND doc_id = ?",
                       (search_id, doc_id))

    def set_answered(self, search_id: str, answered: bool) -> None:
        with self._catalog.transaction() as db:
            db.execute("UPDATE searches SET answered = ? WHERE id = ?", (int(answered), search_id))
            db.execute(_UNMET, (search_id,))

    def set_helpful(self, search_id: str, doc_id: str, helpful: bool,
                    story: str | None = None) -> bool:
        """Whether the document was among the search's results (only those take feedback)."""
        with self._catalog.transaction() as db:
            if story is None:
                changed = db.execute(
                    "UPDATE search_results SET helpful = ? WHERE search_id = ? AND doc_id = ?",
                    (int(helpful), search_id, doc_id)).rowcount
            else:
                changed = db.execute(
                    "UPDATE search_results SET helpful = ?, story = ?, story_at = ? "
                    "WHERE search_id = ? AND doc_id = ?",
                    (int(helpful), story, now_iso(), search_id, doc_id)).rowcount
            db.execute(_UNMET, (search_id,))
        return bool(changed)

    def purge(self, before: str) -> int:
        """Delete the searches made before `before` (an ISO time), their results and feedback,
        and texts no kept search refers to; returns how many searches went."""
        with self._catalog.transaction() as db:
            gone = int(db.execute("DELETE FROM searches WHERE at < ?", (before,)).rowcount)
            if gone:
                db.execute("DELETE FROM search_texts WHERE id NOT IN "
                           "(SELECT text_id FROM searches)")
        return gone

    def clear(self) -> None:
        """Every search and text (the record switched off)."""
        with self._catalog.transaction() as db:
            db.execute("DELETE FROM searches")
            db.execute("DELETE FROM search_texts")

    # --- reading --------------------------------------------------------------------------
    def count(self) -> int:
        return int(self._catalog.read("SELECT COUNT(*) AS n FROM searches")[0]["n"])

    def text_stats(self, scope: Scope) -> list[TextStats]:
        """Each distinct text's searches per month within the scope."""
        where, params = scope.sql()
        rows = self._catalog.read(
            f"SELECT s.text_id AS text_id, t.text AS text, substr(s.at, 1, 7) AS month, "
            f"COUNT(*) AS n, SUM(s.unmet) AS unmet FROM searches s "
            f"JOIN search_texts t ON t.id = s.text_id WHERE {where} "
            f"GROUP BY s.text_id, t.text, substr(s.at, 1, 7)", params)
        return [TextStats(r["text_id"], r["text"], r["month"], int(r["n"]), int(r["unmet"]))
                for r in rows]

    def searchers(self, scope: Scope) -> dict[str, set[str]]:
        """The pseudonyms that asked each text within the scope."""
        where, params = scope.sql()
        rows = self._catalog.read(
            f"SELECT DISTINCT s.text_id AS text_id, s.searcher AS searcher FROM searches s "
            f"WHERE {where} AND s.searcher IS NOT NULL", params)
        found: dict[str, set[str]] = {}
        for r in rows:
            found.setdefault(r["text_id"], set()).add(r["searcher"])
        return found

    def embeddings(self, text_ids: Sequence[str], dimension: int) -> dict[str, Vectors]:
        """The stored embedding of each text that has one."""
        found: dict[str, Vectors] = {}
        for start in range(0, len(text_ids), 500):
            part = list(text_ids[start:start + 500])
            rows = self._catalog.read(
                f"SELECT id, embedding FROM search_texts WHERE id IN ({','.join('?' * len(part))})"
                " AND embedding IS NOT NULL", part)
            for r in rows:
                vector = np.frombuffer(bytes(r["embedding"]), dtype=np.float32)
                if vector.shape == (dimension,):
                    found[r["id"]] = vector
        return found

    def _everything(self, scope: Scope) -> bool:
        """Whether the scope holds every kept search (then the results need no join)."""
        oldest = self._catalog.read("SELECT MIN(at) AS at FROM searches")[0]["at"]
        return scope.communities is None and (oldest is None or scope.since <= oldest)

    def document_stats(self, scope: Scope) -> list[DocumentStats]:
        source, params = "search_results r", list[Any]()
        if not self._everything(scope):
            where, params = scope.sql()
            source = f"search_results r JOIN searches s ON s.id = r.search_id WHERE {where}"
        rows = self._catalog.read(
            f"SELECT r.doc_id AS doc_id, COUNT(*) AS shown, SUM(r.opened) AS opened, "
            f"SUM(CASE WHEN r.helpful = 1 THEN 1 ELSE 0 END) AS helpful, "
            f"SUM(CASE WHEN r.helpful = 0 THEN 1 ELSE 0 END) AS not_helpful "
            f"FROM {source} GROUP BY r.doc_id", params)
        return [DocumentStats(r["doc_id"], int(r["shown"]), int(r["opened"]), int(r["helpful"]),
                              int(r["not_helpful"])) for r in rows]

    def surfaced_since(self, since: str) -> set[str]:
        """Documents any kept search showed since `since`, whoever searched."""
        if self._everything(Scope(None, since)):
            rows = self._catalog.read("SELECT DISTINCT doc_id FROM search_results")
        else:
            rows = self._catalog.read(
                "SELECT DISTINCT r.doc_id AS doc_id FROM search_results r "
                "JOIN searches s ON s.id = r.search_id WHERE s.at >= ?", (since,))
        return {str(r["doc_id"]) for r in rows}

    def stories(self, scope: Scope) -> list[Story]:
        where, params = scope.sql()
        rows = self._catalog.read(
            f"SELECT r.search_id AS search_id, r.doc_id AS doc_id, r.story_at AS at, "
            f"r.story AS story FROM search_results r JOIN searches s ON s.id = r.search_id "
            f"WHERE {where} AND r.story IS NOT NULL ORDER BY r.story_at DESC", params)
        communities = self._communities([r["search_id"] for r in rows])
        return [Story(r["search_id"], r["doc_id"], r["at"], communities.get(r["search_id"], ()),
                      r["story"]) for r in rows]

    def _communities(self, search_ids: Sequence[str]) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for start in range(0, len(search_ids), 500):
            part = list(search_ids[start:start + 500])
            if not part:
                break
            for r in self._catalog.read(
                    f"SELECT search_id, community FROM search_communities WHERE search_id IN "
                    f"({','.join('?' * len(part))}) ORDER BY community", part):
                found.setdefault(r["search_id"], []).append(r["community"])
        return {k: tuple(v) for k, v in found.items()}

    def months(self, scope: Scope, by_community: bool = False) -> list[MonthStats]:
        """Per month (and, `by_community`, per searcher's community: a search by a member of
        two counts in each, and one by a searcher with none under None)."""
        where, params = scope.sql()
        join, key = ("LEFT JOIN search_communities c ON c.search_id = s.id", "c.community") \
            if by_community else ("", "NULL")
        group = ", c.community" if by_community else ""
        rows = self._catalog.read(
            f"SELECT substr(s.at, 1, 7) AS month, {key} AS community, COUNT(*) AS n, "
            f"SUM(CASE WHEN s.answered = 1 THEN 1 ELSE 0 END) AS yes, "
            f"SUM(CASE WHEN s.answered = 0 THEN 1 ELSE 0 END) AS no, "
            f"SUM(s.helpful) AS helpful, SUM(s.not_helpful) AS not_helpful "
            f"FROM searches s {join} WHERE {where} GROUP BY substr(s.at, 1, 7){group} "
            f"ORDER BY month", params)
        return [MonthStats(r["month"], r["community"], int(r["n"]), int(r["yes"]), int(r["no"]),
                           int(r["helpful"] or 0), int(r["not_helpful"] or 0)) for r in rows]
