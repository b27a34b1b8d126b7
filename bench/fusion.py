"""Choosing fusion by what measures best across every set: one table of nDCG@10 per variant.

    .venv/bin/python bench/fusion.py [--backend onnx-int8|torch]

For each set (SciFact with its train queries for choosing and its test queries for reporting,
Cranfield, CISI, and the practitioner queries over the bundled corpus) it retrieves the
lexical and dense candidates of every query once, through the real index, then scores each
fusion variant on the same candidates. The variant with the best mean over the sets (SciFact
train, not test) is printed last; the hub's defaults are set from it, never per set.
Indexes come from bench/.cache/ (built by bench/retrieval.py with the same backend).

A second table does the same for pseudo-relevance feedback in the lexical leg
(search/feedback.py): each setting's lexical rankings, fused as the hub fuses by default.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from bench.retrieval import SHARED, open_index  # noqa: E402
from harness.practitioner_queries import ANSWERABLE, load_queries  # noqa: E402
from ingest.beir import load_dataset  # noqa: E402
from ingest.files import discover  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.feedback import Feedback  # noqa: E402
from search.fusion import FusionMode, Normalisation, Ranking, fuse  # noqa: E402
from search.metrics import ndcg_at_k  # noqa: E402
from search.retrieval import SearchOptions, by_document, lexical_candidates  # noqa: E402
from store.embedder import Embedder  # noqa: E402
from store.index import Index  # noqa: E402
from store.originals import OriginalStore  # noqa: E402
from store.records import Filters  # noqa: E402

CANDIDATES = 100


@dataclass
class Candidates:
    """A set's queries with their lexical and dense document rankings, and the judgments."""

    name: str
    lexical: dict[str, Ranking]
    dense: dict[str, Ranking]
    qrels: Mapping[str, Mapping[str, int]]
    source_of: Callable[[str], str]
    # lexical rankings with each feedback setting of FEEDBACK, by its label
    with_feedback: dict[str, dict[str, Ranking]]


FEEDBACK: dict[str, Feedback] = {
    "weight 0.2": Feedback(weight=0.2, full_weight_terms=None),
    "weight 0.3": Feedback(weight=0.3, full_weight_terms=None),
    "weight 0.4": Feedback(weight=0.4, full_weight_terms=None),
    "weight 0.3, less past 10 terms": Feedback(weight=0.3, full_weight_terms=10),
    "weight 0.4, less past 10 terms": Feedback(weight=0.4, full_weight_terms=10),
    "weight 0.3, 20 terms": Feedback(terms=20, weight=0.3, full_weight_terms=None),
    "weight 0.3, 5 documents": Feedback(documents=5, weight=0.3, full_weight_terms=None),
    "weight 0.5": Feedback(weight=0.5, full_weight_terms=None),
    "weight 0.5, less past 10 terms": Feedback(weight=0.5, full_weight_terms=10),
    "weight 0.7, less past 8 terms": Feedback(weight=0.7, full_weight_terms=8),
    "weight 0.5, 5 documents, less past 10 terms": Feedback(
        documents=5, weight=0.5, full_weight_terms=10),
    "weight 0.5, 20 terms, less past 10 terms": Feedback(
        terms=20, weight=0.5, full_weight_terms=10),
}


def collect(name: str, index: Index, queries: Mapping[str, str],
            qrels: Mapping[str, Mapping[str, int]], limit: int = CANDIDATES) -> Candidates:
    ids = list(queries)
    vectors = index.embedder.query_vectors([queries[q] for q in ids])
    lexical: dict[str, Ranking] = {}
    dense: dict[str, Ranking] = {}
    for start in range(0, len(ids), 32):
        part = ids[start : start + 32]
        found = index.vectors.query_many(vectors[start : start + 32], Filters(), limit)
        for qid, ranking in zip(part, found, strict=True):
            dense[qid] = by_document(ranking)
    for qid in ids:
        lexical[qid] = by_document(lexical_candidates(index, queries[qid], Filters(), limit))
    with_feedback: dict[str, dict[str, Ranking]] = {
        label: {q: by_document(lexical_candidates(index, queries[q], Filters(), limit, fb))
                for q in ids}
        for label, fb in FEEDBACK.items()
    }
    sources = {d.id: d.source for d in index.catalog.all_documents()}
    return Candidates(name, lexical, dense, qrels, sources.__getitem__, with_feedback)


def score_feedback(c: Candidates, label: str | None, variant: Variant) -> float:
    """A set's nDCG@10 with the lexical rankings of one feedback setting (None: without)."""
    lexical = c.lexical if label is None else c.with_feedback[label]
    return score(Candidates(c.name, lexical, c.dense, c.qrels, c.source_of, {}), variant)


def score(c: Candidates, variant: Variant) -> float:
    values = []
    for qid, relevant in c.qrels.items():
        if qid not in c.lexical:
            continue
        ranked = [c.source_of(d) for d, _ in variant(c.lexical[qid], c.dense[qid])][:10]
        values.append(ndcg_at_k(ranked, relevant))
    return mean(values) if values else 0.0


Variant = Callable[[Ranking, Ranking], Ranking]


def _rrf(k: int, dense_weight: float) -> Variant:
    return lambda lex, den: fuse([lex, den], FusionMode.RRF, [1.0, dense_weight], rrf_k=k)


def _convex(how: Normalisation | tuple[Normalisation, Normalisation],
            dense_weight: float) -> Variant:
    weights = [1 - dense_weight, dense_weight]
    return lambda lex, den: fuse([lex, den], FusionMode.CONVEX, weights, how)


def variants() -> dict[str, Variant]:
    chosen: dict[str, Variant] = {
        "bm25": lambda lex, _: list(lex),
        "dense": lambda _, den: list(den),
    }
    for k in (20, 60):
        for w in (0.5, 1.0, 1.5):
            chosen[f"rrf k={k} dense x{w}"] = _rrf(k, w)
    for how in (Normalisation.MINMAX, Normalisation.MAX, Normalisation.ZSCORE):
        for w in (0.4, 0.5, 0.6, 0.7, 0.8):
            chosen[f"convex {how.value} dense {w}"] = _convex(how, w)
    for w in (0.4, 0.5, 0.6, 0.7):
        chosen[f"convex bm25 max + raw cosine, dense {w}"] = _convex(
            (Normalisation.MAX, Normalisation.NONE), w)
        chosen[f"convex bm25 zscore + cosine max, dense {w}"] = _convex(
            (Normalisation.ZSCORE, Normalisation.MAX), w)
    return chosen


def practitioner_set(embedder: Embedder, folder: Path, limit: int) -> Candidates:
    index = Index(folder, embedder)
    Pipeline(index, OriginalStore(folder / "originals")).ingest(discover([ROOT / "corpus"]))
    queries = [q for q in load_queries() if q.type in ANSWERABLE]
    texts = {q.id: q.text for q in queries}
    qrels = {q.id: {path: 2 ** g - 1 for path, g in q.judgments.items()} for q in queries}
    prefix = "corpus/"
    candidates = collect("practitioner", index, texts, qrels, limit)
    source = candidates.source_of
    candidates.source_of = lambda d: source(d).removeprefix(prefix)
    return candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="onnx-int8", choices=["torch", "onnx-int8"])
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    args = parser.parse_args()

    print(describe(), flush=True)
    embedder = Embedder()
    if args.backend == "onnx-int8":
        from store.onnx_backend import OnnxEmbedder

        embedder = OnnxEmbedder(args.cache / "onnx-int8")
    sets: list[Candidates] = []
    for name, split in (("scifact", "train"), ("scifact", "test"), ("cranfield", "test"),
                        ("cisi", "test")):
        folder = SHARED / name
        dataset = load_dataset(folder, split)
        index, _ = open_index(folder, embedder, True, args.cache)
        sets.append(collect(f"{name} {split}", index, dataset.queries, dataset.qrels,
                            args.candidates))
        index.close()
    with tempfile.TemporaryDirectory() as tmp:
        sets.append(practitioner_set(embedder, Path(tmp), args.candidates))
    tuning = [c for c in sets if c.name != "scifact test"]
    print(f"\n{args.candidates} candidates per retriever; nDCG@10; the mean is over "
          f"{', '.join(c.name for c in tuning)}\n")
    print("| variant | " + " | ".join(c.name for c in sets) + " | mean |")
    print("|---|" + "---|" * (len(sets) + 1))
    best: tuple[float, str] = (-1.0, "")
    for label, variant in variants().items():
        figures = {c.name: score(c, variant) for c in sets}
        average = mean(figures[c.name] for c in tuning)
        best = max(best, (average, label))
        print(f"| {label} | " + " | ".join(f"{figures[c.name]:.4f}" for c in sets)
              + f" | {average:.4f} |", flush=True)
    print(f"\nbest mean: {best[1]} ({best[0]:.4f})")

    defaults = SearchOptions()
    hub = _convex(defaults.normalisation, defaults.weights[1])
    print(f"\nFeedback in the lexical leg, fused as the hub fuses (convex "
          f"{defaults.normalisation.value}, dense {defaults.weights[1]}):\n")
    print("| feedback | " + " | ".join(c.name for c in sets) + " | mean |")
    print("|---|" + "---|" * (len(sets) + 1))
    best = (-1.0, "")
    for setting in [None, *FEEDBACK]:
        figures = {c.name: score_feedback(c, setting, hub) for c in sets}
        average = mean(figures[c.name] for c in tuning)
        best = max(best, (average, setting or "none"))
        print(f"| {setting or 'none'} | " + " | ".join(f"{figures[c.name]:.4f}" for c in sets)
              + f" | {average:.4f} |", flush=True)
    print(f"\nbest mean: {best[1]} ({best[0]:.4f})")


if __name__ == "__main__":
    main()
