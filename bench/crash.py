"""Crash test: kill -9 an ingest at random points, repair, and prove nothing was lost.

    .venv/bin/python bench/crash.py [--docs 200] [--kills 6] [--seed 1]

A child process ingests the documents and records each one whose ingest returned. Once it
is ingesting, the parent kills it with SIGKILL at a random moment, runs `commons check
--repair`, then `commons check`, and checks that every recorded document is READY and found
by both retrievers. Between rounds some documents are edited, so interrupted replacements are
exercised too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.crash import run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=20.0,
                        help="kill up to this many seconds after ingest starts")
    args = parser.parse_args()
    report = run(args.docs, args.kills, args.seed, max_delay=args.max_delay)
    rounds: list[dict[str, object]] = report["rounds"]  # type: ignore[assignment]
    for i, r in enumerate(rounds, start=1):
        print(f"round {i}: killed after {r['killed_after_s']} s"
              f"{' (had already finished)' if r['finished_first'] else ''}; "
              f"disagreements found {r['disagreements_found']}, "
              f"after repair {r['disagreements_after_repair']}")
    print(json.dumps({k: v for k, v in report.items() if k != "rounds"}))


if __name__ == "__main__":
    main()
