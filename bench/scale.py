"""Scale benchmark: index build, disk, serve memory and query latency at 10k-300k chunks.

    .venv/bin/python bench/scale.py [--sizes 10000 100000 300000] [--queries 200]
                                    [--stores embedded postgres]
                                    [--backend onnx-fp32|onnx-int8|torch]

Chunk texts are sentences of the bundled corpus recombined to realistic lengths; their
vectors are real embeddings of corpus passages mixed with noise (embedding 300k chunks for
real would take hours on this CPU), cached in bench/.cache/. Documents go in through the
index's real write path (catalog, FTS5 or PostgreSQL's postings, Chroma). Query latency is
measured in-process; the memory figure is the resident size of a real `commons serve` on the
built store after a few searches. `--stores postgres` builds each size in a fresh database of
a throwaway PostgreSQL cluster (harness/postgres_server.py, as the tests do). Queries are
embedded by the hub's default backend (ONNX, full precision), as `commons serve` embeds them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import numpy as np  # noqa: E402
import psycopg  # noqa: E402

from bench.embedders import BACKENDS, DEFAULT, make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from harness.postgres_server import fresh_database, running_postgres  # noqa: E402
from ingest.files import discover  # noqa: E402
from ingest.loaders import load  # noqa: E402
from ingest.pipeline import Pipeline  # noqa: E402
from search.models import Method  # noqa: E402
from search.retrieval import SearchOptions, search  # noqa: E402
from search.snippets import split_sentences  # noqa: E402
from store.embedded import open_store  # noqa: E402
from store.embedder import Embedder  # noqa: E402
from store.index import Index  # noqa: E402
from store.records import ChunkRecord, DocumentRecord, Kind, Status  # noqa: E402

CHUNKS_PER_DOC = 10
QUERIES = [
    "kid shuts down after a fight at home", "parents who never come to meetings",
    "newcomers learning from the edges", "graded return after school refusal",
    "safety plan with a teenager", "explaining death to a four-year-old",
    "keeping an online community of practice engaged", "STEPS re-entry plan",
    "measuring the value our community creates", "calming a shouting teenager",
]


def corpus_material(embedder: Embedder) -> tuple[list[str], np.ndarray]:
    sentences: list[str] = []
    passages: list[str] = []
    for item in discover([ROOT / "corpus"]):
        loaded = load(item.read(), item.name)
        for section in loaded.sections:
            passages.append(section.text[:1500])
            sentences.extend(s for s in split_sentences(section.text) if len(s) > 30)
    return sentences, embedder.encode(passages)


def synthetic(n: int, sentences: list[str], base: np.ndarray, cache: Path
              ) -> tuple[list[str], np.ndarray]:
    rng = random.Random(n)
    texts = [" ".join(rng.choice(sentences) for _ in range(rng.randint(3, 9))) for _ in range(n)]
    path = cache / f"scale-vectors-{n}.npy"
    if path.exists():
        return texts, np.load(path)
    gen = np.random.default_rng(n)
    picks = gen.integers(0, len(base), size=(n, 2))
    mix = gen.random((n, 1)).astype(np.float32)
    vectors = mix * base[picks[:, 0]] + (1 - mix) * base[picks[:, 1]]
    vectors += gen.normal(0, 0.02, vectors.shape).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors.astype(np.float32))
    return texts, vectors.astype(np.float32)


def _index(folder: Path, embedder: Embedder, database_url: str | None) -> Index:
    return open_store(folder, embedder, database_url=database_url).index


def build(folder: Path, embedder: Embedder, texts: list[str], vectors: np.ndarray,
          database_url: str | None = None) -> float:
    """Write the chunks as documents of CHUNKS_PER_DOC, grouped as `commons ingest` groups
    its writes (about Pipeline.batch_chunks chunks per vector write)."""
    index = _index(folder, embedder, database_url)
    per_write = max(1, Pipeline.batch_chunks // CHUNKS_PER_DOC)
    started = time.perf_counter()
    group: list[tuple[DocumentRecord, list[ChunkRecord], np.ndarray]] = []
    for d in range(len(texts) // CHUNKS_PER_DOC):
        doc = DocumentRecord(
            id=f"doc{d:06d}", source=f"scale/doc{d:06d}.md", title=f"Synthetic note {d}",
            kind=Kind.SESSION_NOTE, content_hash=f"{d:064x}", filename=f"doc{d}.md",
            media_type="text/markdown", community=("Early Years", "Youth Justice")[d % 2],
            date=f"2026-{d % 12 + 1:02d}-01", status=Status.PENDING,
        )
        rows = range(d * CHUNKS_PER_DOC, (d + 1) * CHUNKS_PER_DOC)
        chunks = [ChunkRecord(doc.id, i, texts[r], ("Discussion",), context=doc.title)
                  for i, r in enumerate(rows)]
        group.append((doc, chunks, vectors[rows.start : rows.stop]))
        if len(group) == per_write:
            index.write_many(group)
            group = []
    if group:
        index.write_many(group)
    elapsed = time.perf_counter() - started
    index.close()
    return elapsed


def latencies(folder: Path, embedder: Embedder, n_queries: int, words: list[str],
              database_url: str | None = None) -> dict[str, tuple[float, float]]:
    index = _index(folder, embedder, database_url)
    rng = random.Random(0)
    # a corpus word makes every query unique, so no cached query embedding helps
    queries = [f"{rng.choice(QUERIES)} {rng.choice(words)}" for _ in range(n_queries)]
    out = {}
    for method in (Method.DENSE, Method.BM25, Method.HYBRID):
        embedder.clear_query_cache()
        options = SearchOptions(method=method, k=10)
        times = []
        for q in queries:
            started = time.perf_counter()
            search(index, q, options=options)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[method.value] = (statistics.median(times), times[int(0.95 * (len(times) - 1))])
    index.close()
    return out


def serve_rss_mb(folder: Path, backend: str, database_url: str | None = None) -> float:
    from harness.ports import free_port

    port = free_port()
    env = {**os.environ, "COMMONS_DATA_DIR": str(folder), "COMMONS_EMBED_BACKEND": backend,
           **({"COMMONS_DATABASE_URL": database_url} if database_url else {})}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "commons"), "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            if process.poll() is not None:
                raise RuntimeError("commons serve exited; see its output by running it by hand")
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.25)
        for q in QUERIES:
            httpx.get(f"{url}/api/search", params={"q": q}, timeout=60)
        status = Path(f"/proc/{process.pid}/status").read_text()
        return int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1]) / 1024
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 300_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--stores", nargs="+", choices=["embedded", "postgres"],
                        default=["embedded"])
    parser.add_argument("--backend", choices=BACKENDS, default=DEFAULT,
                        help=f"how queries are embedded (the hub's default: {DEFAULT})")
    args = parser.parse_args()
    print(describe(), flush=True)
    embedder = make_embedder(args.backend)
    print(f"queries embedded by {embedder.name}", flush=True)
    sentences, base = corpus_material(embedder)
    print("| store | chunks | build s | chunks/s (write only) | disk MB | serve RSS MB | "
          "dense p50/p95 ms | bm25 p50/p95 ms | hybrid p50/p95 ms |")
    print("|---|---|---|---|---|---|---|---|---|", flush=True)
    with contextlib.ExitStack() as stack:
        server = (stack.enter_context(running_postgres()) if "postgres" in args.stores
                  else None)
        for n in args.sizes:
            for store in args.stores:
                url = fresh_database(server) if server and store == "postgres" else None
                row(store, n, embedder, sentences, base, args.queries, url, args.backend)


def row(store: str, n: int, embedder: Embedder, sentences: list[str], base: np.ndarray,
        n_queries: int, database_url: str | None, backend: str = DEFAULT) -> None:
    """Build one store of n chunks, measure it, print its row, and remove it."""
    texts, vectors = synthetic(n, sentences, base, ROOT / "bench" / ".cache")
    folder = Path(tempfile.mkdtemp(prefix=f"commons-scale-{n}-"))
    seconds = build(folder, embedder, texts, vectors, database_url)
    disk = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1_048_576
    if database_url:  # the database's share of the disk too
        with psycopg.connect(database_url, autocommit=True) as conn:
            # what autovacuum does within a minute of a bulk load: without it the postings'
            # index-only scans visit the table for every posting, and the planner has no
            # statistics
            conn.execute("VACUUM ANALYZE")
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        disk += (size[0] if size else 0) / 1_048_576
    words = sorted({w for t in sentences for w in t.split() if w.isalpha() and len(w) > 3})
    lat = latencies(folder, embedder, n_queries, words, database_url)
    rss = serve_rss_mb(folder, backend, database_url)
    shutil.rmtree(folder)
    methods = ("dense", "bm25", "hybrid")
    cells = " | ".join(f"{lat[m][0]:.1f} / {lat[m][1]:.1f}" for m in methods)
    print(f"| {store} | {n:,} | {seconds:.0f} | {n / seconds:.0f} | {disk:.0f} | {rss:.0f} | "
          f"{cells} |", flush=True)


if __name__ == "__main__":
    main()
