"""Which documents of an answer match well enough to list, so that a count and its filter agree.

A document is listed when its nearest passage is at least as close to the query as the
closeness below which nothing is about it (search.confidence.NONE_COSINE), or when one of its
passages holds every word of the query. Both are properties of the document and the query
alone, never of the other results: the count of a facet is the count its filter then finds.
"""

from __future__ import annotations

from collections.abc import Sequence

from search.confidence import NONE_COSINE
from search.lexical import every_word_expression
from search.models import Hit
from store.index import Index
from store.records import Filters, doc_id_of

LIST_DEPTH = 100  # documents an answer lists at most (its count says "100 or more" there)


def every_word_documents(index: Index, query: str, filters: Filters) -> set[str]:
    """Documents with a passage that holds every term of the query."""
    expression = every_word_expression(query)
    if expression is None:
        return set()
    found = index.catalog.lexical_search(expression, filters, limit=10 * LIST_DEPTH)
    return {doc_id_of(chunk_id) for chunk_id, _ in found}


def listed(hits: Sequence[Hit], every_word: set[str], by_meaning: bool) -> list[Hit]:
    """The hits that match well enough to list, in their order.

    `by_meaning`: whether closeness was measured (without vectors, every word match lists).
    """
    if not by_meaning:
        return list(hits)
    return [h for h in hits
            if (h.cosine is not None and h.cosine >= NONE_COSINE) or h.document.id in every_word]
