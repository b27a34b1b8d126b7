"""Lexical engines compared: bm25s (in-memory, rebuilt per change) vs SQLite FTS5 (ours).

    .venv/bin/python bench/lexical.py [--datasets scifact cranfield]

Both use the same analysis (bm25s' English stop words and Snowball stemming). bm25s scores
whole documents (title + text) with k1 0.9, b 0.4; FTS5 scores chunks with its fixed
k1 1.2, b 0.75 and a document takes its best chunk, as in the product. The FTS5 figures come
from the index bench/retrieval.py builds (bench/.cache/).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bm25s

from bench.machine import describe
from bench.retrieval import SHARED, open_index
from ingest.beir import load_dataset
from search.metrics import evaluate_run
from search.models import Method
from service.evaluation import run_queries
from store.analysis import analyze
from store.embedder import Embedder

ROOT = Path(__file__).resolve().parent.parent


def bm25s_run(folder: Path) -> tuple[dict[str, float], float, float, float]:
    dataset = load_dataset(folder)
    ids = list(dataset.corpus)
    started = time.perf_counter()
    corpus_tokens = analyze([f"{t}\n{x}" for t, x in dataset.corpus.values()])
    retriever = bm25s.BM25(k1=0.9, b=0.4)
    retriever.index(corpus_tokens, show_progress=False)
    build_s = time.perf_counter() - started
    run: dict[str, list[str]] = {}
    latencies = []
    for qid, text in dataset.queries.items():
        t0 = time.perf_counter()
        terms = [t for t in analyze([text])[0] if t in retriever.vocab_dict]
        if terms:
            docs, _ = retriever.retrieve([terms], k=100, show_progress=False)
            run[qid] = [ids[int(i)] for i in docs[0]]
        else:
            run[qid] = []
        latencies.append((time.perf_counter() - t0) * 1000)
    return (evaluate_run(run, dataset.qrels), build_s, statistics.median(latencies),
            sorted(latencies)[int(0.95 * (len(latencies) - 1))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["scifact", "cranfield"])
    args = parser.parse_args()
    print(describe(), flush=True)
    embedder = Embedder()
    print("| dataset | engine | nDCG@10 | Recall@100 | MRR@10 | p50 ms | p95 ms | index build |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.datasets:
        folder = SHARED / name
        scores, build_s, p50, p95 = bm25s_run(folder)
        print(f"| {name} | bm25s (documents, rebuilt on change) | {scores['ndcg@10']:.4f} | "
              f"{scores['recall@100']:.4f} | {scores['mrr@10']:.4f} | {p50:.1f} | {p95:.1f} "
              f"| {build_s:.1f} s full rebuild |")
        index, _ = open_index(folder, embedder, True, ROOT / "bench" / ".cache")
        report = run_queries(index, folder, Method.BM25)
        index.close()
        print(f"| {name} | SQLite FTS5 (chunks, incremental) | {report.ndcg_at_10:.4f} | "
              f"{report.recall_at_100:.4f} | {report.mrr_at_10:.4f} | "
              f"{report.query_ms_p50:.1f} | {report.query_ms_p95:.1f} | per document |")


if __name__ == "__main__":
    main()
