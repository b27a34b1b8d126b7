"""Grouping queries by meaning and naming the groups (search.grouping), as pure functions:
on the real model's embeddings where meaning matters, on made vectors where geometry does."""

from __future__ import annotations

import numpy as np

from search.grouping import Asked, group, labels, verbatim, words
from store.embedder import Embedder, Vectors


def _unit(*rows: list[float]) -> Vectors:
    array = np.array(rows, dtype=np.float32)
    unit: Vectors = array / np.linalg.norm(array, axis=1, keepdims=True)
    return unit


def _asked(text: str, vector: Vectors, *searchers: str, count: int = 1) -> Asked:
    return Asked(text, vector, count, frozenset(searchers))


def test_queries_on_one_need_share_a_group_and_others_do_not(embedder: Embedder) -> None:
    texts = ["teenager refuses to go to school", "my 14 year old will not attend school",
             "school refusal in a young teen", "toddler bites other children at nursery",
             "biting in the toddler room", "how to fill in the grant application form"]
    numbers = group(embedder.encode_queries(texts), [1] * len(texts))
    assert numbers[0] == numbers[1] == numbers[2]
    assert numbers[3] == numbers[4] != numbers[0]
    assert numbers[5] not in (numbers[0], numbers[3])


def test_past_the_clustering_limit_texts_join_the_nearest_group() -> None:
    vectors = _unit([1, 0, 0], [0.98, 0.2, 0], [0, 1, 0], [0.97, 0.25, 0], [0, 0, 1])
    numbers = group(vectors, [5, 4, 3, 1, 1], max_texts=3)
    assert numbers[3] == numbers[0] == numbers[1]  # joined the nearest group
    assert numbers[4] not in numbers[:4]  # too far from any: a group of its own
    assert group(vectors[:1], [1]) == [0] and group(vectors[:0], []) == []


def test_a_text_is_shown_only_when_enough_searchers_asked_it_or_a_variant() -> None:
    same = _unit([1, 0], [0.99, 0.1], [0, 1])
    members = [_asked("asked by one, many times", same[0], "s1", count=9),
               _asked("a close variant by another", same[1], "s2"),
               _asked("far away, one searcher", same[2], "s3")]
    assert verbatim(members, min_searchers=2) == [True, True, False]
    assert verbatim(members, min_searchers=3) == [False, False, False]


def test_a_label_holds_only_words_enough_searchers_used() -> None:
    v = _unit([1, 0])[0]
    sleep = [_asked("bedtime battles with a foster child", v, "s1", count=6),
             _asked("bedtime routine for a child in care", v, "s2"),
             _asked("night terrors after placement moves", v, "s3")]
    money = [_asked("grant application for the youth club", v, "s4"),
             _asked("grant deadline for a youth project", v, "s5")]
    named = labels([sleep, money], min_searchers=2)
    assert named[0][0] == "bedtime" and "battles" not in named[0]  # one searcher's word
    assert "foster" not in named[0] and "terrors" not in named[0]
    assert set(named[1]) >= {"grant", "youth"}
    assert labels([sleep[:1]], min_searchers=2) == [[]]  # one searcher: no words at all


def test_placeholders_and_stop_words_are_not_words() -> None:
    assert words("How can I help [name removed] aged 9 with sleep?") == ["aged", "sleep"]
