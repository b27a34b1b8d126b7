"""Facet counts (kind, community, tags, year) over a set of documents."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from store.records import DocumentRecord


def facet_counts(documents: Iterable[DocumentRecord]) -> dict[str, dict[str, int]]:
    kinds: Counter[str] = Counter()
    communities: Counter[str] = Counter()
    tags: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for doc in documents:
        kinds[doc.kind.value] += 1
        if doc.community:
            communities[doc.community] += 1
        tags.update(doc.tags)
        if doc.date:
            years[doc.date[:4]] += 1
    return {
        name: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, counter in (
            ("kind", kinds), ("community", communities), ("tags", tags), ("year", years)
        )
    }
