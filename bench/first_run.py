"""Time to first page: what `make run` does on a new data folder, timed step by step.

    .venv/bin/python bench/first_run.py

With an empty data folder (in a temporary directory): `commons ingest corpus/ --prune`
(which prepares the search model once: its ONNX export), then `commons serve` until the
search page answers, then a first search. The installed packages are not counted: pip's time
depends on the network. The machine line gives a Python reference loop, to compare machines.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from harness.ports import free_port  # noqa: E402
from ingest.files import discover  # noqa: E402

COMMONS = Path(sys.executable).parent / "commons"


def main() -> None:
    files = sum(1 for _ in discover([ROOT / "corpus"]))
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COMMONS_DATA_DIR": str(Path(tmp) / "data"), "HF_HUB_OFFLINE": "1"}
        started = time.perf_counter()
        subprocess.run([str(COMMONS), "ingest", str(ROOT / "corpus"), "--prune"], env=env,
                       check=True, capture_output=True, timeout=1800)
        ingested = time.perf_counter()
        port = free_port()
        server = subprocess.Popen([str(COMMONS), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            while True:
                try:
                    if httpx.get(url + "/", timeout=5).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None or time.perf_counter() - ingested > 600:
                    raise RuntimeError("commons serve did not start")
                time.sleep(0.1)
            served = time.perf_counter()
            answer = httpx.get(url + "/", params={"q": "kid shuts down after a fight at home"},
                               timeout=60)
            answer.raise_for_status()
            searched = time.perf_counter()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(describe())
    print("| step | seconds |\n|---|---|")
    print(f"| ingest corpus/ ({files} files), preparing the model once | "
          f"{ingested - started:.1f} |")
    print(f"| serve until the search page answers | {served - ingested:.1f} |")
    print(f"| first search page | {searched - served:.2f} |")
    print(f"| **time to first page** | **{served - started:.1f}** |")


if __name__ == "__main__":
    main()
