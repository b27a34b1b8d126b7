"""Load test: concurrent clients mixing searches (90%) and uploads (10%) on `commons serve`.

    .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--think 0] [--uploads 0.1]
                                   [--url http://127.0.0.1:PORT] [--workers 1 2]

Without --url it starts `commons serve` on a free loopback port over a temporary copy of the
bundled corpus, once per `--workers` count (`commons serve --workers N`, each on its own copy
of the same ingested data folder), and ends with a table comparing them. Loopback only;
bounded in time and in requests. Prints requests/s, latency percentiles, errors, whether
every accepted upload is searchable afterwards, and the CPU the server (all its processes)
and this load generator used (both share the machine's cores).

--think 0 (the default) is a saturation test: each client sends its next request as soon as
the last one answers. --think S makes each client pause a random time (exponential, mean S
seconds) between requests, as people reading results do.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe, python_loop_ms  # noqa: E402

QUERIES = [
    "kid shuts down after a fight at home", "parents who never come to meetings",
    "newcomers learning from the edges", "school refusal graded return",
    "safety plan for a teenager", "grief in young children", "running a community meeting",
    "STEPS re-entry plan", "Calm Corner kit", "measuring the value of our community",
    "de-escalation with a shouting teen", "kinship carers and transitions to school",
]
MAX_REQUESTS = 200_000


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))] if values else 0


def vocabulary() -> list[str]:
    """Words of the bundled corpus, to make (almost) every query unique: no cache helps."""
    words: set[str] = set()
    for path in (ROOT / "corpus").rglob("*.md"):
        words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", path.read_text()))
    return sorted(words)


WORDS = vocabulary()


async def client(http: aiohttp.ClientSession, stop: float, rng: random.Random,
                 stats: dict[str, list[Any]], think: float, uploads: float) -> None:
    while time.monotonic() < stop and len(stats["search"]) + len(stats["upload"]) < MAX_REQUESTS:
        if think:
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0, stop - time.monotonic())))
            if time.monotonic() >= stop:
                break
        started = time.perf_counter()
        try:
            if rng.random() >= uploads:
                query = f"{rng.choice(QUERIES)} {rng.choice(WORDS)}"
                kind, request = "search", http.get("/api/search", params={"q": query})
            else:
                marker = f"loadmarker{rng.getrandbits(48):x}"
                note = (f"# Load test note {marker}\n\n## Discussion\n\n{marker} The group "
                        f"talked about {rng.choice(QUERIES)} and agreed actions.\n").encode()
                form = aiohttp.FormData()
                form.add_field("file", note, filename=f"{marker}.md")
                kind, request = "upload", http.post("/api/documents", data=form)
            async with request as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            stats["errors"].append(type(exc).__name__)
            continue
        stats[kind].append((time.perf_counter() - started) * 1000)
        if status >= 400:
            stats["errors"].append(str(status))
        elif kind == "upload" and status < 300:
            stats["accepted"].append(marker)


async def run(url: str, clients: int, seconds: float, seed: int, think: float,
              uploads: float, server_pid: int | None) -> dict[str, list[Any]]:
    """The load phase, then the check that every accepted upload is searchable."""
    host = urlparse(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise SystemExit("load tests target loopback addresses only")
    stats: dict[str, list[Any]] = {"search": [], "upload": [], "errors": [], "accepted": []}
    # aiohttp: the generator shares the machine's cores, and httpx used up to ten times the
    # CPU per request, which the server then did not have
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(url, connector=connector, timeout=timeout) as http:
        started, own_cpu = time.monotonic(), time.process_time()
        server_cpu = cpu_seconds(server_pid) if server_pid else 0.0
        stop = started + seconds
        await asyncio.gather(*(client(http, stop, random.Random(seed + i), stats, think, uploads)
                               for i in range(clients)))
        elapsed = time.monotonic() - started
        stats["cores"] = [
            (cpu_seconds(server_pid) - server_cpu) / elapsed if server_pid else None,
            (time.process_time() - own_cpu) / elapsed,
        ]
        lost = 0
        for marker in stats["accepted"]:
            async with http.get("/api/search", params={"q": marker, "method": "bm25"}) as found:
                results = (await found.json())["results"]
            if not any(marker in r["title"] for r in results):
                lost += 1
        stats["lost"] = [lost]
    return stats


COMMONS = str(Path(sys.executable).parent / "commons")


def ingested_corpus() -> Path:
    """A data folder holding the bundled corpus (ingested once for every run)."""
    data = Path(tempfile.mkdtemp(prefix="commons-load-")) / "data"
    env = {**os.environ, "COMMONS_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    subprocess.run([COMMONS, "ingest", str(ROOT / "corpus")], env=env, check=True,
                   capture_output=True)
    return data


def start_server(corpus: Path, workers: int = 1) -> tuple[subprocess.Popen[bytes], str]:
    from harness.ports import free_port

    data = corpus.parent / f"data-{workers}-workers"
    shutil.copytree(corpus, data)
    env = {**os.environ, "COMMONS_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    port = free_port()
    process = subprocess.Popen([COMMONS, "serve", "--port", str(port), "--workers",
                                str(workers)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("commons serve did not start")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its descendants alive now (Linux
    /proc): a server with several workers and a Chroma server is a tree of processes."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stats[int(entry.name)] = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    children: dict[int, list[int]] = {}
    for child, fields in stats.items():
        children.setdefault(int(fields[1]), []).append(child)
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            total += int(stats[current][11]) + int(stats[current][12])
        todo.extend(children.get(current, []))
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause between a client's requests, seconds (0: none)")
    parser.add_argument("--uploads", type=float, default=0.1,
                        help="share of requests that are uploads (0 to 1)")
    parser.add_argument("--url")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1],
                        help="server processes (commons serve --workers N); one run for each")
    args = parser.parse_args()
    print(describe(), flush=True)
    if args.url:
        report(args, asyncio.run(run(args.url, args.clients, args.seconds, args.seed,
                                     args.think, args.uploads, None)), 0.0)
        return
    corpus = ingested_corpus()
    rows = []
    for workers in args.workers:
        print(f"\n## {workers} worker process{'es' if workers > 1 else ''}", flush=True)
        process, url = start_server(corpus, workers)
        try:
            started = time.monotonic()
            stats = asyncio.run(run(url, args.clients, args.seconds, args.seed, args.think,
                                    args.uploads, process.pid))
            elapsed = time.monotonic() - started
        finally:
            process.terminate()
            process.wait(timeout=60)
        report(args, stats, elapsed)
        total = len(stats["search"]) + len(stats["upload"])
        rows.append((workers, total / args.seconds, statistics.median(stats["search"]),
                     percentile(stats["search"], 95), len(stats["errors"])))
    if len(rows) > 1:
        print("\n| workers | requests/s | search p50 ms | search p95 ms | errors | "
              "throughput vs 1st |")
        print("|---|---|---|---|---|---|")
        for workers, rate, p50, p95, errors in rows:
            print(f"| {workers} | {rate:.1f} | {p50:.0f} | {p95:.0f} | {errors} | "
                  f"{rate / rows[0][1]:.2f} |")


def report(args: argparse.Namespace, stats: dict[str, list[Any]], elapsed: float) -> None:
    """Print one run's figures."""
    total = len(stats["search"]) + len(stats["upload"])
    print(f"{args.clients} clients, {args.seconds:.0f} s, think {args.think:g} s, "
          f"uploads {args.uploads:.0%}: {total} "
          f"requests, {total / args.seconds:.1f} requests/s "
          f"(wall {elapsed:.0f} s incl. verification)")
    for kind in ("search", "upload"):
        values = stats[kind]
        if values:
            print(f"{kind:7} n={len(values):6}  p50 {statistics.median(values):7.0f} ms  "
                  f"p95 {percentile(values, 95):7.0f} ms  p99 {percentile(values, 99):7.0f} ms")
    print(f"errors: {len(stats['errors'])} {sorted(set(stats['errors']))}")
    print(f"uploads accepted: {len(stats['accepted'])}; lost (not searchable after): "
          f"{stats['lost'][0]}")
    server, generator = stats["cores"]
    usage = f"load generator {generator:.2f}"
    if server is not None:
        per_request = server * args.seconds * 1000 / max(total, 1)
        usage = f"server {server:.2f} ({per_request:.1f} ms of CPU per request), {usage}"
    print(f"CPU used during the load, in cores (of {os.cpu_count()}): {usage}")
    print(f"Python reference loop after the load: {python_loop_ms():.0f} ms (a shared host's "
          "speed can change while it runs)")


if __name__ == "__main__":
    main()
