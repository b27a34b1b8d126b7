"""Plain-language queries on the bundled corpus: where the intended document ranks.

    .venv/bin/python bench/corpus_queries.py

Includes the queries asserted in tests/test_corpus.py and harder ones that are not (yet).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.corpus_queries import QUERIES  # noqa: E402
from ingest.files import discover  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.models import Method  # noqa: E402
from search.retrieval import SearchOptions, search  # noqa: E402
from store.embedder import Embedder  # noqa: E402
from store.index import Index  # noqa: E402
from store.originals import OriginalStore  # noqa: E402

HARD = [
    ("my manager wants proof that our peer learning group makes any difference",
     "practices/cop-measuring-impact.md"),
    ("staff member can't stop thinking about a case at night",
     "practices/reflective-supervision-for-practitioners.md"),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(Path(tmp), Embedder())
        Pipeline(index, OriginalStore(Path(tmp) / "originals")).ingest(
            discover([ROOT / "corpus"]))
        print("| query | asserted | bm25 | dense | hybrid |")
        print("|---|---|---|---|---|")
        totals = {m: 0 for m in (Method.BM25, Method.DENSE, Method.HYBRID)}
        for query, expected in [*QUERIES, *HARD]:
            ranks = []
            for method in totals:
                hits = search(index, query, options=SearchOptions(method=method, k=10))
                sources = [h.document.source for h in hits]
                rank = sources.index(expected) + 1 if expected in sources else None
                totals[method] += 1 if rank is not None and rank <= 3 else 0
                ranks.append(str(rank) if rank else ">10")
            asserted = "yes" if (query, expected) in QUERIES else "no"
            print(f"| {query} | {asserted} | " + " | ".join(ranks) + " |")
        n = len(QUERIES) + len(HARD)
        print("\nin the top 3: " + ", ".join(f"{m.value} {c}/{n}" for m, c in totals.items()))
        index.close()


if __name__ == "__main__":
    main()
