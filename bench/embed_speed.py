"""Embedding throughput on this CPU: torch, ONNX fp32 and int8, with and without sorting.

    .venv/bin/python bench/embed_speed.py [--passages 1024]

Passages are SciFact abstracts cut to the chunker's window. sentence-transformers sorts by
length inside each call; the ONNX backend does too. "corpus order" feeds the int8 session
batches in corpus order to show what sorting buys. Then single queries, one at a time: wall
and CPU milliseconds on the batch session (every core) and on the one-thread query session.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.embedders import make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from store.onnx_backend import OnnxEmbedder  # noqa: E402


def passages(n: int) -> list[str]:
    path = ROOT.parent / "shared" / "datasets" / "scifact" / "corpus.jsonl"
    with path.open() as handle:
        rows = [json.loads(line) for _, line in zip(range(n), handle, strict=False)]
    return [f"{r['title']}\n{r['text']}"[:1400] for r in rows]


def rate(encode: object, texts: list[str]) -> float:
    started = time.perf_counter()
    encode(texts)  # type: ignore[operator]
    return len(texts) / (time.perf_counter() - started)


def per_query(encode: object, queries: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds per query, encoded one at a time."""
    wall, cpu = time.perf_counter(), time.process_time()
    for query in queries:
        encode([query])  # type: ignore[operator]
    n = len(queries)
    return ((time.perf_counter() - wall) * 1000 / n, (time.process_time() - cpu) * 1000 / n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1024)
    args = parser.parse_args()
    print(describe())
    texts = passages(args.passages)
    torch_embedder = make_embedder("torch")
    fp32, int8 = make_embedder("onnx-fp32"), make_embedder("onnx-int8")
    assert isinstance(fp32, OnnxEmbedder) and isinstance(int8, OnnxEmbedder)
    words = np.mean([len(t.split()) for t in texts])

    def int8_unsorted(batch: list[str]) -> None:
        for start in range(0, len(batch), int8.batch_size):
            part = batch[start : start + int8.batch_size]
            enc = int8.tokenizer(part, padding=True, truncation=True,
                                 max_length=int8.max_tokens, return_tensors="np")
            int8._session.run(None, {k: enc[k].astype(np.int64) for k in
                                     ("input_ids", "attention_mask", "token_type_ids")})

    rows = [
        ("torch (sentence-transformers, sorted)", rate(torch_embedder.encode, texts)),
        ("onnx-fp32 (the default), sorted by length", rate(fp32.encode, texts)),
        ("onnx-int8, sorted by length", rate(int8.encode, texts)),
        ("onnx-int8, corpus order", rate(int8_unsorted, texts)),
    ]
    print(f"{len(texts)} passages, {words:.0f} words on average; agreement with torch: "
          f"fp32 {fp32.export_agreement:.4f}, int8 {int8.export_agreement:.4f}\n")
    print("| backend | passages/s |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value:.1f} |")
    queries = [f"{t.split('.')[0][:80]} evidence" for t in texts[:300]]
    print("\n| one query at a time | wall ms | CPU ms |\n|---|---|---|")
    for label, onnx in (("onnx-fp32", fp32), ("onnx-int8", int8)):
        for name, encode in (("batch session (all cores)", onnx.encode),
                             ("query session (one thread)", onnx.encode_queries)):
            wall, cpu = per_query(encode, queries)
            print(f"| {label} {name} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
