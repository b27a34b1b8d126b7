"""One line about the machine a benchmark ran on, so figures from two machines compare.

Latencies here move with the CPU: the same code measured 205 requests/s in the load test on
one 2-core machine and 90 to 140 on another, where int8 embedding ran half as fast. The line
names the CPU, its widest vector instructions (int8 ONNX inference uses them) and the time
of a fixed pure-Python loop (best of three).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

VECTOR_FLAGS = ("avx512_vnni", "avx_vnni", "avx512f", "avx2")


def python_loop_ms(n: int = 2_000_000) -> float:
    """Best of three timings of a plain counting loop, in milliseconds."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for i in range(n):
            total += i
        best = min(best, time.perf_counter() - started)
    return best * 1000


def describe() -> str:
    model, flags = "unknown CPU", set[str]()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                model = value.strip()
            elif key.strip() == "flags":
                flags = set(value.split())
    vectors = ", ".join(f for f in VECTOR_FLAGS if f in flags) or "none of " + "/".join(
        VECTOR_FLAGS)
    return (f"machine: {model}, {os.cpu_count()} cores, vector instructions: {vectors}; "
            f"Python reference loop {python_loop_ms():.0f} ms")


if __name__ == "__main__":
    print(describe())
