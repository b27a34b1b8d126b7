"""The embedded store and PostgreSQL side by side: `commons eval` on each shared set in both.

    .venv/bin/python bench/stores.py [--sets scifact cranfield cisi] [--methods bm25 hybrid]

PostgreSQL mode runs against a throwaway cluster on loopback (harness/postgres_server.py),
a fresh database per set; each run builds its index from scratch through the real pipeline,
so a set costs a few minutes. Prints nDCG@10 and query p50 / p95 for each store and method,
and the difference in nDCG@10 (the two stores' BM25 are the same formula, so it should be 0
to rounding).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from harness.postgres_server import fresh_database, running_postgres  # noqa: E402

DATASETS = ROOT.parent / "shared" / "datasets"


def evaluate(name: str, methods: list[str],
             database_url: str | None) -> dict[str, dict[str, float]]:
    """`commons eval` on one set; {method: report}."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1",
           **({"COMMONS_DATABASE_URL": database_url} if database_url else {})}
    command = [str(Path(sys.executable).parent / "commons"), "eval", str(DATASETS / name),
               "--json", *(a for m in methods for a in ("--method", m))]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    reports = json.loads(done.stdout.strip().splitlines()[-1])
    reports = reports if isinstance(reports, list) else [reports]
    return {r["method"]: r for r in reports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", default=["scifact", "cranfield", "cisi"])
    parser.add_argument("--methods", nargs="+", default=["bm25", "hybrid"])
    args = parser.parse_args()
    print(describe(), flush=True)
    print("| set | method | nDCG@10 embedded | nDCG@10 PostgreSQL | difference | "
          "p50 / p95 ms embedded | p50 / p95 ms PostgreSQL |")
    print("|---|---|---|---|---|---|---|", flush=True)
    with running_postgres() as server:
        for name in args.sets:
            embedded = evaluate(name, args.methods, None)
            postgres = evaluate(name, args.methods, fresh_database(server))
            for method in args.methods:
                e, p = embedded[method], postgres[method]
                print(f"| {name} | {method} | {e['ndcg@10']:.4f} | {p['ndcg@10']:.4f} | "
                      f"{p['ndcg@10'] - e['ndcg@10']:+.4f} | "
                      f"{e['query_ms_p50']:.1f} / {e['query_ms_p95']:.1f} | "
                      f"{p['query_ms_p50']:.1f} / {p['query_ms_p95']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
