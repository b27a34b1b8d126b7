"""The facilitators' view: do the query groups recover known unanswered needs, and how long
does /insights take over a large search record?

    .venv/bin/python bench/insights.py [--searches 520] [--page-rows 100000]
                                       [--backend onnx-int8|torch]

1. Grouping. A synthetic log of searches (default 520): 40 from each of 8 unanswered topics
   (child and youth care needs the bundled corpus does not cover, each written here in a
   dozen phrasings, with a context such as "for a 9 year old" added to some) plus answerable
   noise (every answerable query of bench/practitioner_queries.jsonl, once). Each is
   embedded with the hub's default backend (full-precision ONNX, exported once to bench/.cache/) and
   the distinct texts are grouped by search.grouping as the page groups them. Printed:
   purity (of the groups holding topic searches, the share of their searches from their
   main topic; noise in them counts against) and coverage (the share of each topic's
   searches in that topic's largest group), overall and per topic, at the default distance
   threshold and at others for comparison.
2. The page. The bundled corpus is indexed in a temporary folder, `--page-rows` synthetic
   searches (texts drawn from the same phrasings and noise with varied contexts, a
   distinct text embedded once, 90 days, 4,000 sessions, the corpus' communities, three
   results each, no feedback) are inserted directly, and GET /insights is timed for an
   admin (every community) and a facilitator (one), through the real app. Machines differ,
   so a plain search (GET /api/search) timed in the same run is printed beside it as a ratio.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import median

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.embedders import BACKENDS, DEFAULT, make_embedder  # noqa: E402
from bench.machine import describe  # noqa: E402
from harness.practitioner_queries import ANSWERABLE, load_queries  # noqa: E402
from search import grouping  # noqa: E402
from store.embedder import Embedder, Vectors  # noqa: E402
from store.insights import LoggedSearch  # noqa: E402

# Needs the bundled corpus has no guide for (checked against corpus/practices and readings).
TOPICS: dict[str, list[str]] = {
    "gaming": [
        "teenager gaming all night and refusing to stop",
        "how much screen time is too much for a 13 year old",
        "young person addicted to online games, misses school",
        "boy gets aggressive when we take the console away",
        "limits on phones and gaming in a residential unit",
        "kid plays video games until 3am every night",
        "gaming addiction in adolescents what works",
        "teen spends all his money on loot boxes in games",
        "negotiating screen time rules with a foster teenager",
        "young person only talks about fortnite and won't leave his room",
        "screen time agreement for a family with teenagers",
        "how to reduce gaming without a fight",
    ],
    "bedwetting": [
        "8 year old still wets the bed every night",
        "bedwetting in foster care how to respond without shame",
        "child wetting the bed after moving placement",
        "nocturnal enuresis in school age children",
        "how to help a child who wets the bed on school camp",
        "bed wetting and soiling in a 7 year old",
        "carers getting cross about bedwetting",
        "night time wetting at 10 years old, is it normal",
        "child hides wet sheets in the morning",
        "bedwetting alarm does it work",
        "school age kid wets his pants during the day",
        "toileting accidents after trauma",
    ],
    "diabetes": [
        "child with type 1 diabetes on a school excursion",
        "managing insulin for a young person in residential care",
        "teenager with diabetes not checking blood sugar",
        "diabetes care plan for a student",
        "what to do if a diabetic child has a hypo at school",
        "carer training for a child's insulin pump",
        "young person refusing diabetes treatment",
        "blood glucose monitoring for a foster child",
        "type 1 diabetes and sleepovers",
        "teacher worried about a student's low blood sugar",
        "diabetic teen eating sweets secretly",
        "insulin injections for a 9 year old",
    ],
    "mutism": [
        "child who never speaks at school but talks at home",
        "selective mutism in a 6 year old",
        "girl won't say a word to teachers",
        "how to support a child with selective mutism in class",
        "kid only whispers to one friend and nobody else",
        "child silent at kindergarten for months",
        "selective mutism or just shy",
        "speaking anxiety in primary school child",
        "child freezes and cannot speak when asked a question",
        "refugee child not speaking at school for a year",
        "mute at school talks normally with parents",
        "strategies for a nonverbal anxious child in class",
    ],
    "firesetting": [
        "child setting fires at home",
        "young person lighting fires in the bushland",
        "10 year old playing with matches and lighters",
        "fire setting behaviour in children what to do",
        "teenager set fire to a bin at school",
        "kid obsessed with fire and burning things",
        "firesetting in residential care safety plan",
        "boy lit a fire in his bedroom",
        "juvenile fire setting intervention programs",
        "foster child keeps hiding lighters",
        "child burned paper in the toilets",
        "fire safety education for a child who lights fires",
    ],
    "allergy": [
        "child with severe peanut allergy on camp",
        "anaphylaxis plan for an excursion",
        "how to use an epipen on a child",
        "food allergy in a residential unit kitchen",
        "young person carrying an adrenaline autoinjector",
        "allergic reaction at school what should staff do",
        "nut allergy and birthday parties at kindergarten",
        "managing food allergies for foster carers",
        "teen with allergies eating takeaway",
        "bee sting allergy on a school trip",
        "epipen training for youth workers",
        "child had an allergic reaction to eggs at lunch",
    ],
    "deaf": [
        "deaf child in a hearing foster family",
        "learning sign language to talk with a deaf teenager",
        "hearing impaired student left out in class",
        "child with cochlear implant at school",
        "interpreter for a deaf young person at court",
        "how to include a deaf kid in group activities",
        "auslan for carers of a deaf child",
        "hard of hearing child misses instructions",
        "deaf teenager isolated from peers",
        "hearing aids keep getting lost",
        "communication with a deaf child who has no language yet",
        "deaf parent and hearing child support",
    ],
    "radicalisation": [
        "teenager watching extremist videos online",
        "young person repeating far right slogans",
        "signs of online radicalisation in a teen",
        "boy joined a hate group chat",
        "worried a young man is being radicalised",
        "extremist memes shared by students",
        "talking to a teenager about conspiracy theories",
        "misogynist influencers and boys in care",
        "young person posting violent extremist content",
        "radicalisation prevention for youth workers",
        "teen says he admires a mass shooter",
        "online grooming into extremist groups",
    ],
}
CONTEXTS = ["", "", "", " for a 9 year old", " in residential care", " in foster care",
            " at school", " any advice", " urgently", " for a 15 year old",
            " in our community", " as a new worker", " with a family", " after a placement move"]
THRESHOLDS = (0.5, 0.6, 0.62, 0.64, 0.66, 0.68, 0.7)


def noise_queries() -> list[str]:
    return [q.text for q in load_queries() if q.type in ANSWERABLE]


def synthetic_log(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """(text, topic or "noise") for `n` searches: 8 topics share n minus the noise."""
    noise = noise_queries()
    per_topic = max(1, (n - len(noise)) // len(TOPICS))
    log = [(rng.choice(phrasings) + rng.choice(CONTEXTS), topic)
           for topic, phrasings in TOPICS.items() for _ in range(per_topic)]
    log += [(text, "noise") for text in noise]
    rng.shuffle(log)
    return log


def score(log: list[tuple[str, str]], vectors: dict[str, Vectors],
          threshold: float) -> tuple[float, float, dict[str, tuple[float, float]], int]:
    """(purity, coverage, per topic (purity of its main group, coverage), number of groups)."""
    texts = list(dict.fromkeys(t for t, _ in log))
    counts = Counter(t for t, _ in log)
    numbers = grouping.group(np.stack([vectors[t] for t in texts]), [counts[t] for t in texts],
                             threshold)
    number_of = dict(zip(texts, numbers, strict=True))
    in_group: dict[int, Counter[str]] = defaultdict(Counter)
    for text, topic in log:
        in_group[number_of[text]][topic] += 1
    topical = [c for c in in_group.values() if any(t != "noise" for t in c)]
    purity = sum(max(n for t, n in c.items() if t != "noise") for c in topical) / \
        sum(sum(c.values()) for c in topical)
    per: dict[str, tuple[float, float]] = {}
    covered = 0
    for topic in TOPICS:
        main = max(in_group.values(), key=lambda c: c[topic])
        total = sum(c[topic] for c in in_group.values())
        covered += main[topic]
        per[topic] = (main[topic] / sum(main.values()), main[topic] / total)
    topic_searches = sum(1 for _, t in log if t != "noise")
    return purity, covered / topic_searches, per, len(in_group)


def grouping_bench(embedder: Embedder, n: int, rng: random.Random) -> None:
    log = synthetic_log(n, rng)
    texts = list(dict.fromkeys(t for t, _ in log))
    vectors = dict(zip(texts, embedder.encode_queries(texts), strict=True))
    topical = sum(1 for _, t in log if t != "noise")
    print(f"\n## Grouping: {len(log)} searches ({topical} from {len(TOPICS)} unanswered topics, "
          f"{len(log) - topical} answerable noise), {len(texts)} distinct texts\n")
    print("| distance threshold | purity | coverage | groups |")
    print("| --- | --- | --- | --- |")
    for threshold in THRESHOLDS:
        purity, coverage, _, groups = score(log, vectors, threshold)
        mark = " (default)" if threshold == grouping.THRESHOLD else ""
        print(f"| {threshold}{mark} | {purity:.3f} | {coverage:.3f} | {groups} |")
    _, _, per, _ = score(log, vectors, grouping.THRESHOLD)
    print("\n| topic | purity of its main group | coverage |")
    print("| --- | --- | --- |")
    for topic, (purity, coverage) in per.items():
        print(f"| {topic} | {purity:.3f} | {coverage:.3f} |")


def page_bench(embedder: Embedder, rows: int, rng: random.Random) -> None:
    from fastapi.testclient import TestClient

    from ingest.files import discover
    from service.accounts import Role, add_user
    from service.app import create_app
    from service.settings import Settings

    token = "bench-admin-token"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", api_tokens=token)
        app = create_app(settings, embedder=embedder)
        runtime = app.state.runtime
        started = time.perf_counter()
        runtime.pipeline.ingest(discover([ROOT / "corpus"]))
        documents = runtime.index.catalog.all_documents()
        communities = sorted({d.community for d in documents if d.community})
        print(f"\n## The page over {rows:,} searches\n\nCorpus indexed: {len(documents)} "
              f"documents, {len(communities)} communities, {time.perf_counter() - started:.0f} s")
        phrasings = [p for ps in TOPICS.values() for p in ps] + noise_queries()
        texts = list(dict.fromkeys(p + c for p in phrasings for c in CONTEXTS))
        started = time.perf_counter()
        vectors = dict(zip(texts, embedder.encode_queries(texts), strict=True))
        print(f"{len(texts):,} distinct texts embedded in {time.perf_counter() - started:.0f} s")
        sessions = [f"{i:032x}" for i in range(4000)]
        now = datetime.now(UTC)
        doc_ids = [d.id for d in documents]
        batch: list[LoggedSearch] = []
        started = time.perf_counter()
        for i in range(rows):
            text = rng.choice(texts)
            at = now - timedelta(seconds=rng.randrange(89 * 86400))
            batch.append(LoggedSearch(
                f"bench-{i}", at.isoformat(timespec="seconds"), "contributor",
                (rng.choice(communities),), text, rng.choice(("strong", "weak", "none")),
                rng.random() < 0.4, rng.choice(sessions), tuple(rng.sample(doc_ids, 3)),
                vectors[text]))
            if len(batch) == 5000:
                runtime.insights.record_many(batch)
                batch = []
        runtime.insights.record_many(batch)
        print(f"{rows:,} searches inserted in {time.perf_counter() - started:.0f} s")
        facilitator = add_user(runtime.accounts, "bench-facilitator", Role.FACILITATOR,
                               (communities[0],))
        with TestClient(app) as client:
            def timed(path: str, bearer: str, repeat: int) -> float:
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    answer = client.get(path, headers={"Authorization": f"Bearer {bearer}"})
                    times.append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text[:300]
                return median(times) * 1000

            search = timed("/api/search?q=teenager+shouting+and+throwing+things", token, 7)
            admin = timed("/insights", token, 3)
            one = timed("/insights", facilitator, 3)
            chart = timed("/insights/charts/searches.svg", token, 3)
        print("\n| request | median ms | / one search |")
        print("| --- | --- | --- |")
        for name, ms in [("GET /api/search (reference)", search),
                         ("GET /insights, admin: every community", admin),
                         (f"GET /insights, facilitator of {communities[0]}", one),
                         ("GET /insights/charts/searches.svg, admin", chart)]:
            print(f"| {name} | {ms:.0f} | {ms / search:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--searches", type=int, default=520)
    parser.add_argument("--page-rows", type=int, default=100_000, help="0: skip the page")
    parser.add_argument("--backend", default=DEFAULT, choices=BACKENDS,
                        help=f"how to embed (the hub's default: {DEFAULT})")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    print(f"Machine: {describe()}")
    embedder = make_embedder(args.backend)
    grouping_bench(embedder, args.searches, random.Random(args.seed))
    if args.page_rows:
        page_bench(embedder, args.page_rows, random.Random(args.seed))


if __name__ == "__main__":
    main()
