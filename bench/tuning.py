"""The figure defaults are chosen by: hybrid nDCG@10 on each tuning set, and their mean.

    .venv/bin/python bench/tuning.py [--backend onnx-fp32|onnx-int8|torch]

The tuning sets are SciFact's train queries, Cranfield, CISI and the practitioner queries
(answerable ones, plain search: no spelling correction, so that ranking alone is measured).
SciFact's test queries are printed beside them and never counted in the mean. The shared
sets' indexes are those of bench/retrieval.py (built once into bench/.cache/); the bundled
corpus is indexed in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from statistics import mean

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.embedders import BACKENDS, DEFAULT, make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from bench.practitioner import graded_ndcg  # noqa: E402
from bench.retrieval import SHARED, open_index  # noqa: E402
from harness.practitioner_queries import ANSWERABLE, load_queries  # noqa: E402
from ingest.beir import load_dataset  # noqa: E402
from ingest.files import discover  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.metrics import evaluate_run  # noqa: E402
from search.retrieval import SearchOptions, search  # noqa: E402
from store.embedder import Embedder  # noqa: E402
from store.index import Index  # noqa: E402
from store.originals import OriginalStore  # noqa: E402

SETS = (("scifact", "train"), ("scifact", "test"), ("cranfield", "test"), ("cisi", "test"))
REPORTED_ONLY = "scifact test"


def shared_sets(embedder: Embedder, cache: Path) -> dict[str, float]:
    """Hybrid nDCG@10 with the default options on each shared set and split."""
    options = replace(SearchOptions(), k=100, passages_per_hit=1, snippets=False)
    scores = {}
    for name, split in SETS:
        dataset = load_dataset(SHARED / name, split)
        index, _ = open_index(SHARED / name, embedder, True, cache)
        run = {q: [h.document.source for h in search(index, text, options=options)]
               for q, text in dataset.queries.items()}
        scores[f"{name} {split}"] = evaluate_run(run, dataset.qrels)["ndcg@10"]
        index.close()
        print(f"{name} {split}: {scores[f'{name} {split}']:.4f}", flush=True)
    return scores


def practitioner(embedder: Embedder) -> float:
    """Mean graded nDCG@10 of the answerable practitioner queries, plain hybrid search."""
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(Path(tmp), embedder)
        Pipeline(index, OriginalStore(Path(tmp) / "originals")).ingest(
            discover([ROOT / "corpus"]))
        queries = [q for q in load_queries() if q.type in ANSWERABLE]
        values = [graded_ndcg([h.document.source.removeprefix("corpus/")
                               for h in search(index, q.text, options=SearchOptions(k=10))],
                              q.judgments) for q in queries]
        index.close()
    return mean(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=DEFAULT, choices=BACKENDS)
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    args = parser.parse_args()
    print(describe(), flush=True)
    embedder = make_embedder(args.backend)
    scores = shared_sets(embedder, args.cache)
    scores["practitioner"] = practitioner(embedder)
    print(f"practitioner: {scores['practitioner']:.4f}")
    tuning = [v for k, v in scores.items() if k != REPORTED_ONLY]
    print(f"\n{embedder.name}: mean of the tuning sets {mean(tuning):.4f} "
          f"(SciFact test, reported only: {scores[REPORTED_ONLY]:.4f})")


if __name__ == "__main__":
    main()
