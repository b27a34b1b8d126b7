"""Retrieval benchmark: method x dataset, printed as one Markdown table.

    .venv/bin/python bench/retrieval.py                       # the three shared datasets
    .venv/bin/python bench/retrieval.py --no-context          # chunks without title/headings
    .venv/bin/python bench/retrieval.py --fusion rrf --weights 1 1   # another fusion

Indexes are built once through the real pipeline into bench/.cache/ (delete it to rebuild);
query latency is measured in-process, one query at a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.embedders import BACKENDS, DEFAULT, make_embedder
from bench.machine import describe
from ingest.beir import load_dataset
from ingest.chunking import ChunkingOptions
from search.fusion import FusionMode
from search.models import Method
from search.rerank import load_reranker
from search.retrieval import SearchOptions
from search.spelling import speller_for
from search.trust import trusted_search
from service.evaluation import EvalReport, build_index, run_queries
from store.embedder import Embedder
from store.index import Index

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"


def open_index(dataset: Path, embedder: Embedder, contextual: bool, cache: Path) -> tuple[
    Index, float
]:
    model = embedder.name.replace(" ", "").replace("(", "-").replace(")", "")
    folder = cache / f"{dataset.name}-{model}-{'ctx' if contextual else 'plain'}"
    marker = folder / "built.txt"
    if marker.exists():
        return Index(folder, embedder), float(marker.read_text())
    started = time.perf_counter()
    index, rate = build_index(dataset, folder, embedder, ChunkingOptions(contextual=contextual))
    marker.write_text(f"{rate:.2f}")
    print(f"built {folder.name} in {time.perf_counter() - started:.0f} s ({rate:.1f} chunks/s)")
    return index, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["scifact", "cranfield", "cisi"])
    parser.add_argument("--methods", nargs="+", default=["bm25", "dense", "hybrid"])
    parser.add_argument("--no-context", action="store_true")
    defaults = SearchOptions()
    parser.add_argument("--fusion", default=defaults.fusion.value,
                        choices=[m.value for m in FusionMode])
    parser.add_argument("--weights", nargs=2, type=float, default=list(defaults.weights),
                        metavar=("LEXICAL", "DENSE"))
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--backend", default=DEFAULT, choices=BACKENDS)
    args = parser.parse_args()
    print(describe(), flush=True)

    embedder = make_embedder(args.backend)
    if isinstance(agreement := getattr(embedder, "export_agreement", None), float):
        print(f"{args.backend} export agrees with torch at cosine {agreement:.4f}")
    reranker = load_reranker(Path(p) if (p := os.environ.get("COMMONS_RERANKER_PATH")) else None)
    options = SearchOptions(fusion=FusionMode(args.fusion), weights=tuple(args.weights))
    reports: list[EvalReport] = []
    answers: list[tuple[str, float, float]] = []
    for name in args.datasets:
        folder = Path(name) if Path(name).exists() else SHARED / name
        index, rate = open_index(folder, embedder, not args.no_context, args.cache)
        for method in args.methods:
            reports.append(run_queries(index, folder, Method(method), options, reranker, rate))
        answers.append((name, *answer_latency(index, folder, options)))
        index.close()

    context = "title + headings" if not args.no_context else "plain chunks"
    print(f"\nmodel {embedder.name}; chunks embedded with {context}; fusion {args.fusion} "
          f"weights lexical {args.weights[0]} / dense {args.weights[1]}\n")
    print("| dataset | method | nDCG@10 | Recall@100 | MRR@10 | p50 ms | p95 ms | chunks/s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in reports:
        print(f"| {r.dataset} | {r.method.value} | {r.ndcg_at_10:.4f} | {r.recall_at_100:.4f} "
              f"| {r.mrr_at_10:.4f} | {r.query_ms_p50:.1f} | {r.query_ms_p95:.1f} "
              f"| {r.chunks_per_s:.1f} |")
    print("\nThe whole answer as the API makes it (search.trust: confidence, language, spelling;"
          " 50 hits for facets, snippets for 10), one query at a time:\n")
    print("| dataset | answer p50 ms | answer p95 ms |")
    print("|---|---|---|")
    for name, p50, p95 in answers:
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")


def answer_latency(index: Index, folder: Path, options: SearchOptions) -> tuple[float, float]:
    """p50 and p95 of trusted_search over the dataset's queries, the speller loaded first."""
    speller = speller_for(index.catalog)
    speller.warm()
    index.embedder.clear_query_cache()
    wanted = replace(options, k=50, passage_hits=10)
    timings = []
    for text in load_dataset(folder).queries.values():
        started = time.perf_counter()
        trusted_search(index, text, options=wanted, speller=speller)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(0.95 * len(timings)))]


if __name__ == "__main__":
    main()
