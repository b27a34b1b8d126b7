"""Kill -9 an ingest at random points, repair, and check that nothing accepted was lost:
bench/crash.py runs it at full size, tests/ingest/test_crash.py smaller.

A child process (this file run as a script) ingests the documents (into the embedded store,
or into PostgreSQL and a Chroma server) and records each one whose ingest returned. Once it
is ingesting, the parent kills it with SIGKILL at a random moment, runs `commons check
--repair`, then `commons check`, and checks that every recorded document is READY and found
by both retrievers. Between rounds some documents are edited, so
interrupted replacements are exercised too.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMONS = Path(sys.executable).parent / "commons"
TOPICS = ["bedtime routines", "school refusal", "kinship carers", "bail support",
          "peer mentoring", "grief in young children", "safety planning", "transitions"]


def token(i: int) -> str:
    return f"crashtoken{i:04d}"


def write_docs(folder: Path, n: int, version: int, rng: random.Random, only: set[int] | None
               ) -> None:
    for i in range(n):
        if only is not None and i not in only:
            continue
        topic = rng.choice(TOPICS)
        body = " ".join(f"Practitioners discussed {topic} and agreed next steps (v{version})."
                        for _ in range(rng.randint(3, 40)))
        (folder / f"doc-{i:04d}.md").write_text(
            f"---\ntitle: Note {i} on {topic}\nkind: session-note\n---\n"
            f"## Discussion\n\n{token(i)} {body}\n"
        )


def child(folder: Path, log: Path) -> None:
    """Ingest the folder, appending each returned document to the log (durably)."""
    from ingest.files import discover
    from ingest.models import IngestResult, Outcome
    from service.runtime import open_runtime
    from service.settings import Settings

    runtime = open_runtime(Settings())
    pipeline = runtime.pipeline
    pipeline.batch_chunks = 16  # many small writes: more places to be killed
    with log.open("a") as handle:

        def record(result: IngestResult) -> None:
            if result.outcome in (Outcome.ADDED, Outcome.UPDATED, Outcome.UNCHANGED):
                handle.write(result.source + "\n")
                handle.flush()
                os.fsync(handle.fileno())

        pipeline.ingest(discover([folder]), progress=record)


def commons(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMMONS), *args], env=env, capture_output=True, text=True,
                          timeout=600)


def verify(data: Path, returned: set[str], database_url: str | None = None,
           chroma_url: str | None = None) -> dict[str, int]:
    from search.models import Method
    from search.retrieval import SearchOptions, search
    from service.runtime import make_embedder
    from service.settings import Settings
    from store.embedded import open_store
    from store.records import Filters, Status

    embedder = make_embedder(Settings(data_dir=data))
    index = open_store(data, embedder, chroma_url=chroma_url, database_url=database_url).index
    lost = not_found = 0
    for source in sorted(returned):
        doc = index.catalog.find_by_source(source)
        if doc is None or doc.status is not Status.READY:
            lost += 1
            continue
        i = int(source.split("-")[1].split(".")[0])
        hits = search(index, token(i), options=SearchOptions(method=Method.BM25, k=3))
        first = index.catalog.chunks_of(doc.id)[0].id
        nearest = index.vectors.query(index.vectors.vectors_of([first])[0], Filters(), 1)
        if doc.id not in [h.document.id for h in hits] or [c for c, _ in nearest] != [first]:
            not_found += 1
    half = sum(
        1 for d in index.catalog.all_documents()
        if d.status is not Status.READY
        or len(index.vectors.ids_of_document(d.id)) != len(index.catalog.chunks_of(d.id))
    )
    index.close()
    return {"lost": lost, "not_searchable": not_found, "half_indexed": half}


def run(n_docs: int = 200, kills: int = 6, seed: int = 1, workdir: Path | None = None,
        max_delay: float = 3.0, database_url: str | None = None,
        chroma_url: str | None = None) -> dict[str, object]:
    """Kill and repair `kills` times, then verify; on the embedded store, or on PostgreSQL
    and a Chroma server when their URLs are given."""
    rng = random.Random(seed)
    base = Path(workdir or tempfile.mkdtemp(prefix="commons-crash-"))
    folder, data, log = base / "docs", base / "data", base / "returned.txt"
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "COMMONS_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1",
           **({"COMMONS_DATABASE_URL": database_url} if database_url else {}),
           **({"COMMONS_CHROMA_URL": chroma_url} if chroma_url else {})}
    write_docs(folder, n_docs, 0, rng, None)
    rounds = []
    for round_no in range(kills):
        if round_no:
            write_docs(folder, n_docs, round_no, rng, set(rng.sample(range(n_docs), n_docs // 5)))
        process = subprocess.Popen(
            [sys.executable, __file__, str(folder), str(log)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        seen = _lines(log)
        while _lines(log) == seen and process.poll() is None and time.monotonic() - started < 300:
            time.sleep(0.05)  # wait until the child is ingesting, then kill at a random point
        time.sleep(rng.uniform(0.0, max_delay))
        delay = time.monotonic() - started
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        process.wait()
        before = commons("check", env=env)
        repaired = commons("check", "--repair", env=env)
        after = commons("check", env=env)
        rounds.append({
            "killed_after_s": round(delay, 1), "finished_first": finished,
            "disagreements_found": _count(before.stdout),
            "disagreements_after_repair": _count(after.stdout),
            "repair_exit": repaired.returncode,
        })
    returned = set(log.read_text().split()) if log.exists() else set()
    outcome = verify(data, returned, database_url, chroma_url)
    # finally let an ingest run to the end: everything must go in after all those kills
    subprocess.run([sys.executable, __file__, str(folder), str(log)], env=env,
                   check=True, capture_output=True, timeout=1800)
    final = commons("check", env=env)
    complete = set(log.read_text().split())
    return {"documents": n_docs, "returned_before_kills": len(returned), "rounds": rounds,
            **outcome, "after_full_run": len(complete),
            "disagreements_after_full_run": _count(final.stdout)}


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def _count(output: str) -> int:
    for line in output.splitlines():
        if line.startswith("disagreements:"):
            return int(line.split(":")[1])
    raise RuntimeError(f"no disagreement count in: {output}")


if __name__ == "__main__":  # the child: ingest the folder, logging what returned
    sys.path.insert(0, str(ROOT))
    child(Path(sys.argv[1]), Path(sys.argv[2]))
