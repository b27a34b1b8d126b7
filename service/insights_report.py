"""What the facilitators' view shows, assembled from the search record within one scope:
groups of queries (search.grouping) with their counts, trend and the examples that may be
shown, the documents that serve people, activity per month and the value stories.

The scope is decided by service.operations.insights; documents are named only when the
caller may see them (the catalog's visibility filter), and counted otherwise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from search import grouping
from service.accounts import Caller
from service.runtime import Runtime
from store.insights import Scope
from store.records import DocumentRecord, Filters

GROUPS = 12  # groups listed in each section
EXAMPLES = 3
DOCUMENTS = 10
UNSURFACED_DAYS = 90


@dataclass(frozen=True)
class QueryGroup:
    """Searches close in meaning: a label from words many used, counts and shown examples."""

    label: tuple[str, ...]
    searches: int
    unmet: int  # answered weakly or not at all, or marked not helpful
    searchers: int  # distinct sessions (searches without one are not counted)
    months: dict[str, int]  # YYYY-MM -> searches (unmet ones, for an unanswered need)
    examples: tuple[str, ...]  # texts enough different sessions asked (or close variants)
    hidden: int  # distinct texts of the group not shown

    @property
    def name(self) -> str:
        return ", ".join(self.label) if self.label else "(words too personal to show)"


@dataclass(frozen=True)
class DocumentUse:
    doc_id: str
    title: str
    community: str | None
    shown: int
    opened: int
    helpful: int
    not_helpful: int


@dataclass(frozen=True)
class Unsurfaced:
    doc_id: str
    title: str
    community: str | None
    added_at: str


@dataclass(frozen=True)
class MonthRow:
    month: str
    community: str  # "" for none, or for all in the totals
    searches: int
    uploads: int


@dataclass(frozen=True)
class HelpfulnessRow:
    month: str
    helpful: int
    not_helpful: int
    answered_yes: int
    answered_no: int

    @property
    def rate(self) -> float | None:
        """Share of feedback that was positive, or None without any."""
        told = self.helpful + self.not_helpful + self.answered_yes + self.answered_no
        return (self.helpful + self.answered_yes) / told if told else None


@dataclass(frozen=True)
class StoryRow:
    at: str
    doc_id: str
    title: str
    communities: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class InsightsReport:
    communities: tuple[str, ...] | None  # None: every community (an admin's view)
    since: str
    searches: int
    unanswered: list[QueryGroup] = field(default_factory=list)
    looked_for: list[QueryGroup] = field(default_factory=list)
    most_opened: list[DocumentUse] = field(default_factory=list)
    most_helpful: list[DocumentUse] = field(default_factory=list)
    unsurfaced: list[Unsurfaced] = field(default_factory=list)
    activity: list[MonthRow] = field(default_factory=list)
    helpfulness: list[HelpfulnessRow] = field(default_factory=list)
    stories: list[StoryRow] = field(default_factory=list)
    min_searchers: int = 2


def _groups(runtime: Runtime, scope: Scope) -> tuple[list[QueryGroup], list[QueryGroup], int]:
    """(unanswered groups, most asked groups, searches in scope)."""
    store = runtime.insights
    stats = store.text_stats(scope)
    if not stats:
        return [], [], 0
    texts: dict[str, str] = {}
    counts: Counter[str] = Counter()
    unmet: Counter[str] = Counter()
    months: dict[str, Counter[str]] = defaultdict(Counter)
    unmet_months: dict[str, Counter[str]] = defaultdict(Counter)
    for row in stats:
        texts[row.text_id] = row.text
        counts[row.text_id] += row.searches
        unmet[row.text_id] += row.unmet
        months[row.text_id][row.month] += row.searches
        unmet_months[row.text_id][row.month] += row.unmet
    ids = list(texts)
    embedder = runtime.index.embedder
    vectors = store.embeddings(ids, embedder.dimension)
    missing = [i for i in ids if i not in vectors]
    if missing:  # kept without one (the model was unavailable): embedded now, not kept
        vectors.update(zip(missing, embedder.encode_queries([texts[i] for i in missing]),
                           strict=True))
    asked_by = store.searchers(scope)
    asked = [grouping.Asked(texts[i], np.asarray(vectors[i], dtype=np.float32), counts[i],
                            frozenset(asked_by.get(i, ()))) for i in ids]
    numbers = grouping.group(np.stack([a.vector for a in asked]), [a.count for a in asked])
    members: dict[int, list[int]] = defaultdict(list)
    for position, number in enumerate(numbers):
        members[number].append(position)
    order = list(members)
    minimum = runtime.settings.insights_min_searchers
    labels = grouping.labels([[asked[p] for p in members[g]] for g in order], minimum)

    label_of = dict(zip(order, labels, strict=True))
    unmet_of = {g: sum(unmet[ids[p]] for p in members[g]) for g in order}
    count_of = {g: sum(counts[ids[p]] for p in members[g]) for g in order}
    facts: dict[int, tuple[dict[int, bool], int]] = {}  # each group's quotable texts, askers

    def made(g: int, only_unmet: bool) -> QueryGroup:
        if g not in facts:  # a group can be in both sections: its texts are checked once
            group = [asked[p] for p in members[g]]
            allowed = dict(zip(members[g], grouping.verbatim(group, minimum), strict=True))
            facts[g] = allowed, len(frozenset().union(*(a.searchers for a in group)))
        allowed, searchers = facts[g]
        chosen = [p for p in members[g] if unmet[ids[p]] or not only_unmet]
        weight = unmet if only_unmet else counts
        shown = sorted((p for p in chosen if allowed[p]), key=lambda p: -weight[ids[p]])
        trend: Counter[str] = Counter()
        for p in members[g]:
            trend.update(unmet_months[ids[p]] if only_unmet else months[ids[p]])
        return QueryGroup(
            tuple(label_of[g]), count_of[g], unmet_of[g], searchers, dict(sorted(trend.items())),
            tuple(asked[p].text for p in shown[:EXAMPLES]), len(chosen) - len(shown))

    by_unmet = sorted((g for g in order if unmet_of[g]), key=lambda g: -unmet_of[g])[:GROUPS]
    by_count = sorted(order, key=lambda g: -count_of[g])[:GROUPS]
    return ([made(g, True) for g in by_unmet], [made(g, False) for g in by_count],
            sum(counts.values()))


def _documents(visible: list[DocumentRecord], scope: Scope) -> list[DocumentRecord]:
    """The documents of the scope's communities (all for an admin's view)."""
    if scope.communities is None:
        return visible
    return [d for d in visible if d.community in scope.communities]


def build_report(runtime: Runtime, caller: Caller, scope: Scope, groups: bool = True,
                 documents: bool = True) -> InsightsReport:
    """The report; without `groups` no query is grouped, without `documents` no document's
    use (nor a story) is read: a chart needs neither."""
    store = runtime.insights
    unanswered, looked_for, total = _groups(runtime, scope) if groups else ([], [], 0)
    seen = runtime.index.catalog.documents(Filters(viewer=caller.viewer))
    visible = {d.id: d for d in seen}
    own = _documents(seen, scope)
    uses = [DocumentUse(s.doc_id, visible[s.doc_id].title, visible[s.doc_id].community, s.shown,
                        s.opened, s.helpful, s.not_helpful)
            for s in (store.document_stats(scope) if documents else []) if s.doc_id in visible]
    most_opened = sorted((u for u in uses if u.opened), key=lambda u: (-u.opened, u.title))
    most_helpful = sorted((u for u in uses if u.helpful),
                          key=lambda u: (-u.helpful, u.not_helpful, u.title))
    surfaced_since = datetime.now(UTC) - timedelta(days=UNSURFACED_DAYS)
    unsurfaced: list[Unsurfaced] = []
    if documents:
        surfaced = store.surfaced_since(surfaced_since.isoformat(timespec="seconds"))
        unsurfaced = sorted((Unsurfaced(d.id, d.title, d.community, d.added_at[:10])
                             for d in own if d.id not in surfaced), key=lambda u: u.added_at)
    searches = {(m.month, m.community or ""): m.searches
                for m in store.months(scope, by_community=True)
                if scope.communities is None or m.community in scope.communities}
    uploads: Counter[tuple[str, str]] = Counter(
        (d.added_at[:7], d.community or "") for d in own if d.added_at >= scope.since[:7])
    activity = [MonthRow(month, community, searches.get((month, community), 0),
                         uploads.get((month, community), 0))
                for month, community in sorted(set(searches) | set(uploads))]
    helpfulness = [HelpfulnessRow(m.month, m.helpful, m.not_helpful, m.answered_yes,
                                  m.answered_no) for m in store.months(scope)]
    stories = [StoryRow(s.at[:10], s.doc_id, visible[s.doc_id].title,
                        s.communities if scope.communities is None else tuple(
                            c for c in s.communities if c in scope.communities), s.text)
               for s in (store.stories(scope) if documents else []) if s.doc_id in visible]
    return InsightsReport(
        scope.communities, scope.since[:10], total, unanswered, looked_for,
        most_opened[:DOCUMENTS], most_helpful[:DOCUMENTS], unsurfaced, activity, helpfulness,
        stories, runtime.settings.insights_min_searchers)


def only_stories(report: InsightsReport, community: str = "", contains: str = "") -> InsightsReport:
    """The report with the stories of one community, or holding some words, only."""
    words = contains.lower().split()
    kept = [s for s in report.stories
            if (not community or community in s.communities)
            and all(w in f"{s.text} {s.title}".lower() for w in words)]
    return replace(report, stories=kept)
