"""How well photos and scans are read (OCR), how fast, and whether they are still found.

    .venv/bin/python bench/ocr.py [--no-corpus] [--json]

Eight original passages (practice guidance and CoP meeting notes, written for this bench) are
drawn as pictures in three conditions (harness/scans.py): a clean 300 dpi scan (an image-only
PDF), a phone photo of the page (turned up to 3 degrees, out of focus, lit from one side,
noisy, JPEG) and handwriting-like lettering on a flipchart sheet (PNG). Each is read by the
hub's own loader (ingest/loaders, Tesseract), and compared with its text:

- character and word error rates (jiwer; whitespace, line breaks and case do not count, as
  search ignores them and Humor Sans has capitals only; punctuation does), and pages
  recognised per second, per condition;
- top-3 found: every version is indexed in one temporary hub beside the bundled corpus (151
  documents, unless --no-corpus), and the query written for each passage is searched among
  the corpus and that condition's versions only; a hit is the passage's version in the top 3.
  The typed originals (.txt) are the baseline.

Needs Debian's tesseract-ocr and fonts-dejavu-core; the handwriting-like condition takes
turns among fonts-comic-neue, fonts-humor-sans and fonts-dejavu-extra's Oblique, skipping
those not installed (plain DejaVu Sans if none is).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jiwer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from harness.scans import (  # noqa: E402
    HANDWRITING,
    SANS,
    Condition,
    encoded,
    flipchart,
    page,
    photographed,
    scanned_pdf,
)
from ingest.files import discover  # noqa: E402
from ingest.loaders import FileReader, load  # noqa: E402
from ingest.models import LoadedDocument, Outcome, Overrides  # noqa: E402
from ingest.ocr import PagesRead  # noqa: E402
from ingest.pipeline import Item, Pipeline, document_id  # noqa: E402
from search.retrieval import SearchOptions, search  # noqa: E402
from store.embedded import open_store  # noqa: E402
from store.embedder import Embedder  # noqa: E402
from store.records import Filters, Kind  # noqa: E402


@dataclass(frozen=True)
class Passage:
    name: str
    text: str
    query: str  # written for the passage, in other words than its own


PASSAGES = [
    Passage("walking-check-in", "Walking check-ins for older teens. Several members found that "
            "boys aged fourteen to sixteen would not join a seated opening circle. A short walk "
            "around the oval, two or three at a time, with one question each, worked better. "
            "Keep the question light on the way out and ask the harder one on the way back, "
            "when nobody has to make eye contact. Note who did not come and follow up the same "
            "day.", "teenagers refuse to sit in the morning circle, what else can we try"),
    Passage("repair-after-shouting", "Repair after you raised your voice. Name what happened "
            "in one sentence without blaming the child: I shouted at you before lunch and that "
            "was not fair. Say what you will do next time. Then stop talking and let the child "
            "decide how close to come. Repair done within the day matters more than the "
            "perfect words, and it shows the group that adults own their mistakes too.",
            "apologising to a child after a worker lost their temper"),
    Passage("agenda-for-new-cop", "A first meeting agenda for a new Community of Practice. "
            "Ten minutes for names and the work each person does. Twenty minutes for a story "
            "of practice from a volunteer. Twenty minutes in pairs on what the group wants to "
            "learn together this year. Ten minutes to agree how often to meet, where notes "
            "will live and who will host the next session. Finish on time.",
            "how to run the opening session when starting a community of practice"),
    Passage("school-refusal-morning", "Mornings with a child who will not go to school. Agree "
            "one small step with the family for the first week, such as getting dressed and "
            "travelling to the school gate. Arrange for a named adult to meet the child at the "
            "gate at the same time every day. Count attempts, not full days, and celebrate each "
            "one. Review the plan with the family every Friday.",
            "child anxious about attending school each morning, gradual return plan"),
    Passage("notes-kinship-carers", "Family Support meeting notes, October. Kinship carers "
            "told us the forms are the hardest part of the first month. The group agreed to "
            "draft a one page guide to payments and respite, written with two grandparent "
            "carers. A caseworker will trial a monthly phone call instead of home visits for "
            "carers who work shifts. Actions: draft guide by the next meeting.",
            "grandparents raising grandchildren struggle with paperwork and payments"),
    Passage("notes-sleep-routines", "Residential Care meeting notes, August. The night staff "
            "shared what helped with bedtime in the units. A fixed wind down hour with lights "
            "dimmed, phones handed in at nine, and a warm drink worked for most young people. "
            "Two houses tried a short chat at the bedroom door about tomorrow, and fewer young "
            "people left their rooms after midnight.",
            "getting young people in care to settle down at night"),
    Passage("notes-youth-justice-mentors", "Youth Justice meeting notes, May. The mentoring "
            "trial matched six young people leaving detention with adult mentors from local "
            "sports clubs. Four were still meeting their mentor after three months. Members "
            "said the first week home is when support matters most, so mentors will now meet "
            "the young person before release.",
            "mentor support for teenagers coming out of detention"),
    Passage("notes-staff-wellbeing", "Leadership Group notes, March. Facilitators reported "
            "tired teams after a hard winter. The group agreed to protect the last fifteen "
            "minutes of every meeting for debriefing, to rotate who takes notes, and to cancel "
            "a session rather than run it short of people. Managers will ask about workload "
            "in supervision every month.",
            "preventing burnout among staff who run the meetings"),
]


def pictured(passage: Passage, condition: Condition, seed: int) -> tuple[str, bytes]:
    """The passage drawn as a picture in the condition: a file name and its bytes."""
    if condition is Condition.CLEAN:
        return f"{passage.name}.pdf", scanned_pdf([page(passage.text)])
    if condition is Condition.PHOTO:
        sheet = page(passage.text, face=SANS, size=44, columns=60)
        return f"{passage.name}.jpg", encoded(photographed(sheet, seed=seed), "JPEG")
    faces = [f for f in HANDWRITING if f.exists()] or [SANS]  # the hands take turns
    sheet = flipchart([passage.text], face=faces[seed % len(faces)], seed=seed)
    return f"{passage.name}.png", encoded(sheet, "PNG")


def squeezed(text: str) -> str:
    """Text as compared: lower case, one space between words."""
    return " ".join(text.lower().split())


@dataclass
class Result:
    condition: str
    cer: float
    wer: float
    pages_per_s: float
    found: float  # share of passages whose version is in the top 3


Pictures = dict[tuple[Condition, str], tuple[str, bytes]]  # (condition, passage) -> file


def read_all(pictures: Pictures) -> tuple[dict[tuple[Condition, str], LoadedDocument],
                                          list[Result]]:
    """Each passage in each condition, read by the hub's loader; error rates and speed."""
    loaded: dict[tuple[Condition, str], LoadedDocument] = {}
    results = []
    for condition in Condition:
        start = time.perf_counter()
        for passage in PASSAGES:
            filename, data = pictures[condition, passage.name]
            loaded[condition, passage.name] = load(data, filename)
        seconds = time.perf_counter() - start
        truth = [squeezed(p.text) for p in PASSAGES]
        read = [squeezed(loaded[condition, p.name].text) for p in PASSAGES]
        results.append(Result(condition.value, jiwer.cer(truth, read), jiwer.wer(truth, read),
                              len(PASSAGES) / seconds, 0.0))
    return loaded, results


def _reader(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def found_rates(loaded: dict[tuple[Condition, str], LoadedDocument], corpus: bool,
                pictures: Pictures) -> dict[str, float]:
    """Top-3 found, per condition and for the typed originals, in one temporary hub."""
    versions: dict[str, dict[str, str]] = {"typed": {}}  # condition -> passage -> source
    texts: dict[str, LoadedDocument] = {}
    items = []
    for passage in PASSAGES:
        source = f"typed/{passage.name}.txt"
        versions["typed"][passage.name] = source
        data = passage.text.encode()
        items.append(Item(source=source, read=_reader(data),
                          overrides=Overrides(kind=Kind.PRACTICE)))
    for (condition, name), doc in loaded.items():
        filename, data = pictures[condition, name]
        source = f"{condition.name.lower()}/{filename}"
        versions.setdefault(condition.value, {})[name] = source
        texts[filename] = doc
        items.append(Item(source=source, read=_reader(data),
                          overrides=Overrides(kind=Kind.PRACTICE)))

    def cached(data: bytes, filename: str, *,
               pages_read: PagesRead | None = None) -> LoadedDocument:  # no second OCR
        return texts[filename] if filename in texts else load(data, filename)

    loader: FileReader = cached
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Path(folder) / "data", Embedder())
        pipeline = Pipeline(store.index, store.originals, loader=loader)
        if corpus:
            pipeline.ingest(discover([ROOT / "corpus"]))
        failed = [r for r in pipeline.ingest(items) if r.outcome is Outcome.FAILED]
        assert not failed, failed
        rates: dict[str, float] = {}
        for label, sources in versions.items():
            others = tuple(document_id(s) for c, v in versions.items() if c != label
                           for s in v.values())
            found = 0
            for passage in PASSAGES:
                hits = search(store.index, passage.query, Filters(exclude_doc_ids=others),
                              SearchOptions(k=3))
                found += sources[passage.name] in [h.document.source for h in hits]
            rates[label] = found / len(PASSAGES)
        store.index.close()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-corpus", action="store_true",
                        help="search among the bench's passages only (faster, easier)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    pictures = {(c, p.name): pictured(p, c, args.seed + i)
                for c in Condition for i, p in enumerate(PASSAGES)}
    loaded, results = read_all(pictures)
    rates = found_rates(loaded, not args.no_corpus, pictures)
    for result in results:
        result.found = rates[result.condition]
    if args.json:
        print(json.dumps({"results": [r.__dict__ for r in results], "typed_found": rates["typed"]},
                         indent=2))
        return
    print(describe())
    print(f"{len(PASSAGES)} passages, one page each; top-3 among "
          f"{'the bundled corpus and ' if not args.no_corpus else ''}each condition's versions")
    print(f"{'condition':<18} {'CER':>7} {'WER':>7} {'pages/s':>8} {'top-3 found':>12}")
    print(f"{'typed (baseline)':<18} {'':>7} {'':>7} {'':>8} {rates['typed']:>12.0%}")
    for r in results:
        print(f"{r.condition:<18} {r.cer:>7.1%} {r.wer:>7.1%} {r.pages_per_s:>8.2f} "
              f"{r.found:>12.0%}")


if __name__ == "__main__":
    main()
