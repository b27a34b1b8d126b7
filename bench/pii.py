"""Precision and recall of the PII guard on held-out session-note lines, and its speed.

    .venv/bin/python bench/pii.py [--misses] [--dev]

bench/pii_eval.jsonl holds invented session-note lines, each with its personal data labelled
as character spans ("kind", "start", "end"); it was written before the name rules and is
never used to tune them (their development cases are in harness/pii_cases.py, which
--dev scores). Detection runs with no names list, as on a hub without one. A found span
counts as right when it overlaps a labelled span of the same kind; a labelled span counts
as found when a found span of its kind overlaps it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.pii_cases import CASES, score  # noqa: E402
from ingest.pii import PiiKind, detect  # noqa: E402

EVAL = ROOT / "bench" / "pii_eval.jsonl"
Span = tuple[str, int, int]


@dataclass
class Tally:
    right: int = 0  # found spans that overlap a labelled one
    found: int = 0
    hit: int = 0  # labelled spans that a found one overlaps
    labelled: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.hit / self.labelled if self.labelled else 1.0


def load(path: Path = EVAL) -> list[tuple[str, list[Span]]]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            row = json.loads(raw)
            lines.append((row["text"], [(s["kind"], s["start"], s["end"])
                                        for s in row["spans"]]))
    return lines


def tally(lines: list[tuple[str, list[Span]]]) -> dict[str, Tally]:
    tallies = {k.value: Tally() for k in PiiKind}
    for text, labelled in lines:
        found = [(f.kind.value, f.start, f.end) for f in detect(text)]
        for spans, against, is_found in ((found, labelled, True), (labelled, found, False)):
            for kind, start, end in spans:
                ok = any(k == kind and s < end and start < e for k, s, e in against)
                t = tallies[kind]
                if is_found:
                    t.found, t.right = t.found + 1, t.right + ok
                else:
                    t.labelled, t.hit = t.labelled + 1, t.hit + ok
                if not ok:
                    t.misses.append(f"{'false' if is_found else 'missed'} {kind}: "
                                    f"{text[start:end]!r} in {text!r}")
    return tallies


def speed(lines: list[tuple[str, list[Span]]], target_chars: int = 2_000_000) -> tuple[float,
                                                                                         float]:
    """Lines per second one line at a time, and characters per second on one long document."""
    detect("warm up: load the name lists")
    texts = [t for t, _ in lines]
    rounds = 5
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            detect(text)
    per_line = rounds * len(texts) / (time.perf_counter() - start)
    document = "\n".join(texts)
    document = "\n".join([document] * (target_chars // len(document) + 1))[:target_chars]
    start = time.perf_counter()
    detect(document)
    return per_line, len(document) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list each miss and false alarm")
    parser.add_argument("--dev", action="store_true",
                        help="also score the development cases in harness/pii_cases.py")
    args = parser.parse_args()
    lines = load()
    with_names = sum(any(k == "name" for k, _, _ in spans) for _, spans in lines)
    print(f"{len(lines)} held-out lines, {with_names} with names, no names list\n")
    print("| kind | labelled | found | precision | recall |")
    print("| --- | ---: | ---: | ---: | ---: |")
    tallies = tally(lines)
    for kind, t in tallies.items():
        if t.labelled or t.found:
            print(f"| {kind} | {t.labelled} | {t.found} | {t.precision:.3f} | {t.recall:.3f} |")
    per_line, chars = speed(lines)
    print(f"\n{per_line:,.0f} lines/s one at a time; {chars / 1e6:.2f} M characters/s on one "
          "2 M-character document")
    if args.misses:
        print()
        for t in tallies.values():
            for line in t.misses:
                print(f"- {line}")
    if args.dev:
        dev = score(detect)
        print(f"\nDevelopment cases ({len(CASES)} lines, with their names list):\n")
        for kind in [*PiiKind, None]:
            d = dev[kind]
            print(f"- {kind.value if kind else 'overall'}: precision {d.precision:.3f}, "
                  f"recall {d.recall:.3f}")


if __name__ == "__main__":
    main()
