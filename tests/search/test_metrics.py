"""Metrics against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from search.metrics import evaluate_run, mrr_at_k, ndcg_at_k, recall_at_k


def test_ndcg_binary_by_hand() -> None:
    # relevant a and c; ranked c (rank 1), x, a (rank 3)
    dcg = 1 / math.log2(2) + 1 / math.log2(4)
    idcg = 1 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k(["c", "x", "a"], {"a": 1, "c": 1}) == pytest.approx(dcg / idcg)


def test_ndcg_graded_by_hand() -> None:
    # grades: a=3, b=1; ranked b, a
    dcg = 1 / math.log2(2) + 3 / math.log2(3)
    idcg = 3 / math.log2(2) + 1 / math.log2(3)
    assert ndcg_at_k(["b", "a"], {"a": 3, "b": 1}) == pytest.approx(dcg / idcg)
    assert ndcg_at_k(["a", "b"], {"a": 3, "b": 1}) == pytest.approx(1.0)


def test_ndcg_cut_at_k() -> None:
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg_at_k(ranked, {"a": 1}, k=10) == 0.0


def test_recall_and_mrr() -> None:
    assert recall_at_k(["a", "x", "b"], {"a": 1, "b": 1, "c": 1}, k=2) == pytest.approx(1 / 3)
    assert mrr_at_k(["x", "y", "a"], {"a": 1}) == pytest.approx(1 / 3)
    assert mrr_at_k(["x"], {"a": 1}) == 0.0


def test_evaluate_run_averages_over_judged_queries() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}}
    run = {"q1": ["a"], "q2": ["x", "b"]}
    scores = evaluate_run(run, qrels)
    assert scores["mrr@10"] == pytest.approx((1 + 0.5) / 2)
    assert scores["recall@100"] == pytest.approx(1.0)
    assert scores["ndcg@10"] == pytest.approx((1 + 1 / math.log2(3)) / 2)
