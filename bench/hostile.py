"""Hostile files: a generated set of bad uploads, each with the status it must get.

    .venv/bin/python bench/hostile.py OUT_DIR     # writes the files and manifest.json
    .venv/bin/python bench/hostile.py --measure in-process   # time, peak memory per .docx
    .venv/bin/python bench/hostile.py --measure worker       # the same through the worker

tests/service/test_hostile.py posts every file to a real `commons serve` and checks the
status, that each answer comes within the client's time bound, and that the server keeps
serving with bounded memory.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness.hostile import cases, hostile_docx, repeated_paragraphs
from ingest.loaders import Loader

_LOAD_ONE = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]) << 20,) * 2)
from ingest.loaders import load
if sys.argv[3] == "worker":
    from ingest.parse_worker import ParseWorker
    worker = ParseWorker(timeout_s=float(sys.argv[4]), memory_mb=int(sys.argv[5]), workers=1)
    loader = worker.load
else:
    loader = load
data = sys.stdin.buffer.read()
start = time.perf_counter()
try:
    document = loader(data, sys.argv[1])
    outcome = f"read: {sum(len(s.text) for s in document.sections):,} characters"
except BaseException as exc:
    outcome = f"{type(exc).__name__}: {str(exc)[:90]}"
print(json.dumps({"seconds": time.perf_counter() - start, "outcome": outcome}))
"""


def _peak_mb(pids: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among running processes."""
    peak = 0.0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _family(pid: int) -> list[int]:
    """A process and its descendants (a thread's children are listed under that thread)."""
    try:
        kids = [int(c) for t in Path(f"/proc/{pid}/task").glob("*/children")
                for c in t.read_text().split()]
    except OSError:  # it ended meanwhile
        kids = []
    return [pid, *(p for kid in kids for p in _family(kid))]


def measure(via: str, give_up_s: float, cap_mb: int, timeout_s: float, memory_mb: int) -> None:
    """Time and peak memory of reading each hostile .docx, each in a fresh process."""
    import subprocess
    import time

    print(f"reading through: {via}; given up after {give_up_s:.0f} s; address space capped at "
          f"{cap_mb:,} MB" + (f"; worker limits {timeout_s:.0f} s, {memory_mb:,} MB"
                               if via == "worker" else ""))
    print(f"{'file':28} {'size':>8} {'seconds':>8} {'peak MB':>8}  outcome")
    root = Path(__file__).resolve().parent.parent
    for name, data, _ in hostile_docx():
        args = [sys.executable, "-c", _LOAD_ONE, name, str(cap_mb), via, str(timeout_s),
                str(memory_mb)]
        start = time.perf_counter()
        child = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, cwd=root)
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(data)
        child.stdin.close()
        peak = 0.0
        while child.poll() is None and time.perf_counter() - start < give_up_s:
            peak = max(peak, _peak_mb(_family(child.pid)))
            time.sleep(0.1)
        if child.poll() is None:
            child.kill()
            child.wait()
            seconds, outcome = time.perf_counter() - start, "still reading: killed"
        else:
            report = json.loads(child.stdout.read() or b'{"seconds": 0, "outcome": "crashed"}')
            seconds, outcome = report["seconds"], report["outcome"]
        print(f"{name:28} {len(data) / 1024:6.0f}KB {seconds:8.1f} {peak:8.0f}  {outcome}",
              flush=True)
    if via == "worker":
        _note_beside_a_slow_file(timeout_s, memory_mb)


def _note_beside_a_slow_file(timeout_s: float, memory_mb: int) -> None:
    """How long a small note waits while the slowest hostile file is being read."""
    import threading
    import time

    from ingest.parse_worker import ParseWorker

    slow = repeated_paragraphs(200_000)
    with ParseWorker(timeout_s, memory_mb, workers=2) as worker:
        worker.load(b"# Warm\n\nStart the workers.", "warm.md")
        reader = threading.Thread(target=lambda: _refused(worker, slow), daemon=True)
        reader.start()
        time.sleep(0.2)
        start = time.perf_counter()
        worker.load(b"# Note\n\nA small note uploaded meanwhile.", "note.md")
        print(f"a small note read while repeated-paragraphs.docx is read: "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        reader.join()


def _refused(worker: Loader, data: bytes) -> None:
    with contextlib.suppress(Exception):
        worker(data, "slow.docx")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=Path("hostile-files"))
    parser.add_argument("--measure", choices=["in-process", "worker"],
                        help="instead: time reading each hostile .docx, and its peak memory")
    parser.add_argument("--give-up", type=float, default=300, help="seconds per file")
    parser.add_argument("--cap-mb", type=int, default=8192,
                        help="address-space cap for the measured process")
    parser.add_argument("--timeout", type=float, default=60, help="the worker's time limit")
    parser.add_argument("--memory-mb", type=int, default=1024, help="the worker's limit")
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.give_up, args.cap_mb, args.timeout, args.memory_mb)
        return
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    manifest = []
    for number, (name, data, status) in enumerate(cases()):
        stored = out / f"{number:02d}.bin"
        stored.write_bytes(data)
        manifest.append({"name": name, "file": stored.name, "status": status,
                         "bytes": len(data)})
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1))
    print(f"{len(manifest)} hostile files written to {out}")


if __name__ == "__main__":
    main()
