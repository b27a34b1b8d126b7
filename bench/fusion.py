"""Choosing fusion by what measures best across every set: one table of nDCG@10 per variant.

    .venv/bin/python bench/fusion.py [--backend onnx-int8|torch]

For each set (SciFact with its train queries for choosing and its test queries for reporting,
Cranfield, CISI, and the practitioner queries over the bundled corpus) it retrieves the
lexical and dense candidates of every query once, through the real index, then scores each
fusion variant on the same candidates. The variant with the best mean over the sets (SciFact
train, not test) is printed last; the hub's defaults are set from it, never per set.
Indexes come from bench/.cache/ (built by bench/retrieval.py with the same backend).

A second table does the same for pseudo-relevance feedback in the lexical leg
(search/feedback.py): each setting's lexical rankings, fused as the hub fuses. A third adds
feedback in the dense leg (the query's vector moved toward its nearest chunks) and the fusion
weight with it, on top of the hub's lexical feedback. Dense rankings come from the hub's own
dense retriever, one query at a time as a practitioner's search is embedded (the int8 model
embeds a query a little differently inside a padded batch).
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

from bench.embedders import BACKENDS, DEFAULT, make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from bench.retrieval import SHARED, open_index  # noqa: E402
from harness.practitioner_queries import ANSWERABLE, load_queries  # noqa: E402
from ingest.beir import load_dataset  # noqa: E402
from ingest.files import discover  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.dense import retriever_for  # noqa: E402
from search.feedback import DenseFeedback, Feedback  # noqa: E402
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
    # dense rankings with each setting of DENSE_FEEDBACK, by its label
    dense_feedback: dict[str, dict[str, Ranking]]


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


DENSE_FEEDBACK: dict[str, DenseFeedback] = {
    f"{chunks} chunks, weight {weight}": DenseFeedback(chunks=chunks, weight=weight)
    for chunks in (2, 3, 5) for weight in (0.3, 0.5, 0.75, 1.0)
}
DENSE_WEIGHTS = (0.5, 0.55, 0.6, 0.65, 0.7)


def collect(name: str, index: Index, queries: Mapping[str, str],
            qrels: Mapping[str, Mapping[str, int]], limit: int = CANDIDATES) -> Candidates:
    ids = list(queries)
    retriever = retriever_for(index)

    def dense_of(feedback: DenseFeedback | None) -> dict[str, Ranking]:
        return {q: by_document(retriever.submit(queries[q], Filters(), limit, feedback)
                               .result().ranking) for q in ids}

    dense = dense_of(None)
    lexical: dict[str, Ranking] = {
        q: by_document(lexical_candidates(index, queries[q], Filters(), limit))
               for q in ids}
    with_feedback: dict[str, dict[str, Ranking]] = {
        label: {q: by_document(lexical_candidates(index, queries[q], Filters(), limit, fb))
                for q in ids}
        for label, fb in FEEDBACK.items()
    }
    dense_feedback = {label: dense_of(fb) for label, fb in DENSE_FEEDBACK.items()}
    sources = {d.id: d.source for d in index.catalog.all_documents()}
    return Candidates(name, lexical, dense, qrels, sources.__getitem__, with_feedback,
                      dense_feedback)


def score_feedback(c: Candidates, label: str | None, variant: Variant,
                   dense_label: str | None = None) -> float:
    """A set's nDCG@10 with the lexical rankings of one feedback setting (None: without),
    and the dense rankings of one dense feedback setting (None: without)."""
    lexical = c.lexical if label is None else c.with_feedback[label]
    dense = c.dense if dense_label is None else c.dense_feedback[dense_label]
    return score(Candidates(c.name, lexical, dense, c.qrels, c.source_of, {}, {}), variant)


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
    parser.add_argument("--backend", default=DEFAULT, choices=BACKENDS)
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    parser.add_argument("--candidates", type=int, default=CANDIDATES)
    args = parser.parse_args()

    print(describe(), flush=True)
    embedder = make_embedder(args.backend)
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
    lexical_setting = next((label for label, fb in FEEDBACK.items()
                            if fb == defaults.feedback), None)
    dense_setting = next((label for label, fb in DENSE_FEEDBACK.items()
                          if fb == defaults.dense_feedback), None)
    print(f"\nFeedback in the lexical leg, fused as the hub fuses (convex "
          f"{defaults.normalisation.value}, dense {defaults.weights[1]}; dense feedback as the "
          f"hub's: {dense_setting or 'none'}):\n")
    table(sets, tuning, {setting or "none": (setting, hub, dense_setting)
                         for setting in [None, *FEEDBACK]})

    print(f"\nFeedback in the dense leg and the fusion weight (convex "
          f"{defaults.normalisation.value}; lexical feedback as the hub's: "
          f"{lexical_setting or 'none'}):\n")
    rows: dict[str, tuple[str | None, Variant, str | None]] = {}
    for dense_label in [None, *DENSE_FEEDBACK]:
        for weight in DENSE_WEIGHTS:
            rows[f"{dense_label or 'none'}, dense {weight}"] = (
                lexical_setting, _convex(defaults.normalisation, weight), dense_label)
    table(sets, tuning, rows)


def table(sets: list[Candidates], tuning: list[Candidates],
          rows: Mapping[str, tuple[str | None, Variant, str | None]]) -> None:
    """One row per (lexical feedback, fusion, dense feedback) setting; the best mean last."""
    print("| setting | " + " | ".join(c.name for c in sets) + " | mean |")
    print("|---|" + "---|" * (len(sets) + 1))
    best = (-1.0, "")
    for label, (lexical, variant, dense) in rows.items():
        figures = {c.name: score_feedback(c, lexical, variant, dense) for c in sets}
        average = mean(figures[c.name] for c in tuning)
        best = max(best, (average, label))
        print(f"| {label} | " + " | ".join(f"{figures[c.name]:.4f}" for c in sets)
              + f" | {average:.4f} |", flush=True)
    print(f"\nbest mean: {best[1]} ({best[0]:.4f})")


if __name__ == "__main__":
    main()
