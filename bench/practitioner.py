"""Practitioner queries on the bundled corpus: graded nDCG@10 per query type and method.

    .venv/bin/python bench/practitioner.py [--backend onnx-int8|torch] [--as-typed]

The queries and their judgments (bench/practitioner_queries.jsonl) were written and graded
from the documents before any tuning. The corpus is indexed in a temporary folder through
the real pipeline with the hub's default embedding backend (ONNX in full precision, exported
once into bench/.cache/); `--backend` picks another. Each query is answered as the hub
answers it (search.trust): misspelled queries may be searched as corrected (`--as-typed`: not).
Off-topic and non-English queries have nothing relevant: the confidence table shows the shares
answered strong, weak and none, against which search/confidence.py's thresholds are set.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.embedders import BACKENDS, DEFAULT, make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from harness.practitioner_queries import (  # noqa: E402
    ANSWERABLE,
    UNANSWERABLE,
    Query,
    load_queries,
)
from ingest.files import discover  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.metrics import ndcg_at_k  # noqa: E402
from search.models import Hit, Method  # noqa: E402
from search.retrieval import SearchOptions  # noqa: E402
from search.spelling import speller_for  # noqa: E402
from search.trust import trusted_search  # noqa: E402
from store.index import Index  # noqa: E402
from store.originals import OriginalStore  # noqa: E402

METHODS = (Method.BM25, Method.DENSE, Method.HYBRID)
LOW_CONFIDENCE = {"weak", "none"}


@dataclass
class Outcome:
    """What one method returned for one query."""

    sources: list[str]
    top_score: float | None
    top_on_page: bool
    confidence: str | None


@dataclass
class Run:
    """Every query's outcome under each method."""

    queries: list[Query]
    outcomes: dict[tuple[str, Method], Outcome] = field(default_factory=dict)


def graded_ndcg(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with exponential gains (2^grade - 1) and the log2 discount.

    `search.metrics.ndcg_at_k` uses the grade itself as the gain; giving it 2^g - 1 as the
    grade yields the exponential form. The ideal ranking is all judged documents, best first.
    """
    return ndcg_at_k(ranked, {doc: 2**g - 1 for doc, g in judgments.items() if g > 0}, k)


def target_pdf(query: Query) -> str | None:
    """The PDF a pdf_page query points into: its one PDF judged 3."""
    pdfs = [d for d, g in query.judgments.items() if g == 3 and d.endswith(".pdf")]
    return pdfs[0] if len(pdfs) == 1 else None


def top_hit_on_page(hits: Sequence[Hit], query: Query) -> bool:
    """Whether the top hit is the judged PDF with a passage spanning the judged page."""
    if not hits or query.page is None or hits[0].document.source != target_pdf(query):
        return False
    for passage in hits[0].passages:
        start = passage.page_start
        end = passage.page_end if passage.page_end is not None else start
        if start is not None and end is not None and start <= query.page <= end:
            return True
    return False


def confidence_label(result: Any) -> str | None:
    """The result's confidence, if search results ever carry one (an Enum or a string)."""
    value = getattr(result, "confidence", None)
    if value is None:
        return None
    return str(getattr(value, "value", value)).lower()


def run_queries(index: Index, queries: Iterable[Query], spelling: bool = True) -> Run:
    """Each query as the hub answers it (search.trust), with spelling correction or without."""
    run = Run(list(queries))
    speller = speller_for(index.catalog) if spelling else None
    for query in run.queries:
        for method in METHODS:
            result: Any = trusted_search(index, query.text,
                                         options=SearchOptions(method=method, k=10),
                                         speller=speller)
            hits: list[Hit] = list(getattr(result, "hits", result))
            run.outcomes[(query.id, method)] = Outcome(
                sources=[h.document.source for h in hits],
                top_score=hits[0].score if hits else None,
                top_on_page=top_hit_on_page(hits, query),
                confidence=confidence_label(result),
            )
    return run


def _fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return mean(values) if values else None


def table(run: Run) -> list[str]:
    """One Markdown table: a row per query type, plus all answerable queries together."""
    by_id = {q.id: q for q in run.queries}

    def ndcg(q: Query, m: Method) -> float:
        return graded_ndcg(run.outcomes[(q.id, m)].sources, q.judgments)

    def top_scores(group: list[Query], m: Method) -> float | None:
        return _mean(s for q in group if (s := run.outcomes[(q.id, m)].top_score) is not None)

    header = ["type", "n", *(f"nDCG@10 {m.value}" for m in METHODS),
              *(f"Δ twin {m.value}" for m in METHODS),
              *(f"top hit on page {m.value}" for m in METHODS),
              "top-1 fused (hybrid)", "top-1 cosine (dense)"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    groups = [(t, [q for q in run.queries if q.type == t]) for t in (*ANSWERABLE, *UNANSWERABLE)]
    groups.append(("all answerable", [q for q in run.queries if q.type in ANSWERABLE]))
    for name, group in groups:
        if not group:
            continue
        answerable = name not in UNANSWERABLE
        cells = [name, str(len(group))]
        cells += [_fmt(_mean(ndcg(q, m) for q in group) if answerable else None) for m in METHODS]
        twins = [(q, by_id[q.twin_of]) for q in group if q.type == "misspelled" and q.twin_of]
        cells += [_fmt(_mean(ndcg(q, m) - ndcg(t, m) for q, t in twins) if name == "misspelled"
                       else None, 4) for m in METHODS]  # 4 digits: the aim is 0.05
        paged = [q for q in group if q.type == "pdf_page"]
        cells += [_fmt(_mean(float(run.outcomes[(q.id, m)].top_on_page) for q in paged)
                       if name == "pdf_page" else None, 2) for m in METHODS]
        cells += [_fmt(top_scores(group, Method.HYBRID), 4), _fmt(top_scores(group, Method.DENSE))]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def confidence_section(run: Run) -> list[str]:
    """Shares answered strong, weak and none per group and method (search.confidence)."""
    labels = {key: o.confidence for key, o in run.outcomes.items()}
    if all(label is None for label in labels.values()):
        return []
    lines = ["", "| queries | n | method | strong | weak | none | weak or none |",
             "|---|---|---|---|---|---|---|"]
    groups = [("off-topic", ("offtopic",)), ("non-English", ("non_english",)),
              ("off-topic + non-English", UNANSWERABLE), ("answerable", ANSWERABLE),
              ("misspelled", ("misspelled",))]
    for name, types in groups:
        group = [q for q in run.queries if q.type in types]
        for m in METHODS:
            got = [labels[(q.id, m)] for q in group]
            shares = [_mean(float(g == level) for g in got)
                      for level in ("strong", "weak", "none")]
            low = _mean(float(g in LOW_CONFIDENCE) for g in got)
            lines.append(f"| {name} | {len(group)} | {m.value} | "
                         + " | ".join(_fmt(v, 2) for v in [*shares, low]) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default=DEFAULT, choices=BACKENDS,
                        help=f"how to embed (the hub's default: {DEFAULT})")
    parser.add_argument("--as-typed", action="store_true",
                        help="no spelling correction (search.spelling): queries as typed")
    args = parser.parse_args()
    queries = load_queries()
    embedder = make_embedder(args.backend)
    with tempfile.TemporaryDirectory() as tmp:
        index = Index(Path(tmp), embedder)
        try:
            Pipeline(index, OriginalStore(Path(tmp) / "originals")).ingest(
                discover([ROOT / "corpus"]))
            run = run_queries(index, queries, spelling=not args.as_typed)
        finally:
            index.close()
    print(describe())
    print(f"embedder: {embedder.name}; {len(queries)} queries, k=10, graded gains 2^g-1; "
          f"spelling correction {'off' if args.as_typed else 'on'}\n")
    print("\n".join(table(run) + confidence_section(run)))
    print("\nΔ twin: mean nDCG@10 of a misspelled query minus its correctly spelled twin's. "
          "top hit on page: share of pdf_page queries whose top hit is the judged PDF with a "
          "passage on the judged page. top-1 fused: the hybrid (RRF) score of the top hit; "
          "top-1 cosine: the dense top hit's cosine similarity.")


if __name__ == "__main__":
    main()
