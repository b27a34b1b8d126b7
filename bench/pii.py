"""Precision, recall and F1 of the PII guard per kind over the labelled lines.

    .venv/bin/python bench/pii.py [--misses]

A finding counts when its kind matches an expected span and overlaps it (tests/ingest/
pii_cases.py); the test suite asserts floors on the same figures, this prints them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.pii import PiiKind, detect  # noqa: E402
from tests.ingest.pii_cases import CASES, NEGATIVES, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each miss and false alarm")
    args = parser.parse_args()
    tallies = score(detect)
    print(f"{len(CASES)} labelled lines, {len(NEGATIVES)} of them with no personal data\n")
    print("| kind | expected | found | precision | recall | F1 |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for kind in [*PiiKind, None]:
        t = tallies[kind]
        name = kind.value if kind else "**overall**"
        print(f"| {name} | {t.expected} | {t.found} | {t.precision:.3f} | {t.recall:.3f} "
              f"| {t.f1:.3f} |")
    if args.misses:
        print()
        for kind in PiiKind:
            for line in tallies[kind].misses:
                print(f"- {line}")


if __name__ == "__main__":
    main()
