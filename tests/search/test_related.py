"""Related documents and related readings that add something: maximal marginal relevance over
document centroids (real model, real index), and the pure selection rule by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.diversity import mmr, relative
from search.retrieval import related
from service.accounts import Caller, Role
from service.runtime import Runtime, open_runtime
from service.settings import Settings
from service.web.forms import SearchForm
from service.web.pages import READINGS, search_page
from store.embedder import Embedder
from store.records import Filters, Kind, doc_id_of


def item(source: str, text: str, kind: str, community: str | None = None) -> Item:
    data = text.encode()
    return Item(source=source, read=lambda: data, filename=source.rsplit("/", 1)[-1],
                overrides=Overrides(kind=Kind(kind), community=community))


def test_mmr_by_hand() -> None:
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0]])
    # by relevance alone: 0, 1, 2; the near-copy of 0 gives way to the different one
    assert mmr([1.0, 0.95, 0.7], vectors, 3, lambda_=1.0) == [0, 1, 2]
    assert mmr([1.0, 0.95, 0.7], vectors, 3) == [0, 2, 1]
    assert mmr([1.0, 0.95, 0.7], vectors, 1) == [0]
    assert mmr([], np.zeros((0, 2)), 3) == []
    with pytest.raises(ValueError):
        mmr([1.0], vectors, 1)


def test_relative_keeps_the_gaps() -> None:
    assert relative([0.032, 0.016, 0.024]) == pytest.approx([1.0, 0.5, 0.75])
    assert relative([]) == []


SERIES = ("# Kestrel CoP - {month} meeting\n\n## Attendance\n\nPresent: AB, CD, EF, GH.\n\n"
          "## Check-in\n\nMembers shared how {topic} went this month.\n\n## Actions\n\n"
          "- AB to write up {topic} for the shared drive.\n- CD to book the room for the next "
          "meeting.\n")
MONTHS = {
    "January": "inviting families to family group conferences",
    "March": "the school transition passports",
    "May": "the bail support roster",
    "July": "the bedtime routines in residential care",
    "September": "planning next year's sessions",
}
NEIGHBOURS = {
    "practices/fgc.md": ("practice", "# Family group conferences\n\nA family group conference "
                         "brings the wider family together to make a plan for a child. Invite "
                         "families in person, explain the private family time, and agree who "
                         "writes the plan."),
    "readings/family-decision.md": ("reading", "# Family decision making\n\nA review of "
                                    "research on family group conferences and family-led "
                                    "decisions in child welfare: families who are invited well "
                                    "take part and keep to plans they made themselves."),
}


@pytest.fixture
def series(pipeline: Pipeline) -> Pipeline:
    items = [item(f"notes/kestrel-{m}.md", SERIES.format(month=m, topic=t), "session-note",
                  "Kestrel") for m, t in MONTHS.items()]
    items += [item(source, text, kind) for source, (kind, text) in NEIGHBOURS.items()]
    pipeline.ingest(items)
    return pipeline


def test_related_is_not_filled_by_one_meeting_series(series: Pipeline) -> None:
    index = series.index
    january = index.catalog.find_by_source("notes/kestrel-January.md")
    assert january is not None
    sources = {d.id: d.source for d in index.catalog.all_documents()}
    centroid = index.vectors.vectors_of(index.vectors.ids_of_document(january.id)).mean(axis=0)
    chunks = index.vectors.query(
        centroid / np.linalg.norm(centroid), Filters(exclude_doc_ids=(january.id,)), 50)
    nearest = list(dict.fromkeys(doc_id_of(cid) for cid, _ in chunks))
    # by nearness alone the other four meetings fill the list ahead of the other documents
    assert all(sources[d].startswith("notes/") for d in nearest[:4])

    found = [h.document.source for h in related(index, january.id, k=4)]
    assert len(found) == 4 and "notes/kestrel-January.md" not in found
    assert found[0] == sources[nearest[0]]  # the nearest still comes first
    assert set(NEIGHBOURS) & set(found[:2])  # a document on January's subject comes next


@pytest.fixture
def runtime(tmp_path: Path, embedder: Embedder) -> Iterator[Runtime]:
    rt = open_runtime(Settings(data_dir=tmp_path / "hub"), embedder=embedder)
    yield rt
    rt.close()


QUERY = "bedtime routine for children in care"


def test_related_readings_skip_the_results_and_near_copies(runtime: Runtime) -> None:
    items = [item(f"practices/bedtime-{i}.md", f"# Bedtime routine for children in care, "
                  f"guide {i}\n\nA bedtime routine for children in care, step {i}: the same "
                  "bedtime routine every night helps children in care settle.", "practice")
             for i in range(9)]
    items.append(item("readings/review.md", "# Bedtime routines for children in care\n\nA "
                      "review of bedtime routines for children in care: the bedtime routine "
                      "matters most for children in care.", "reading"))
    items += [item(f"readings/sleep-{i}.md", f"# Sleep in care, part {i}\n\nSleep series, part "
                   f"{i}: a bedtime routine helps children in foster care sleep. Keep bedtime "
                   "at the same hour and the routine short.", "reading") for i in range(4)]
    items += [
        item("readings/secure-base.md", "# A secure base\n\nAttachment research: predictable "
             "carers at bedtime help children who have lost their first families to trust "
             "adults again.", "reading"),
        item("readings/ordinary-magic.md", "# Ordinary magic\n\nResilience research: ordinary "
             "routines, like meals and sleep, protect children when life is chaotic.",
             "reading"),
    ]
    runtime.pipeline.ingest(items)
    admin = Caller(Role.ADMIN, "admin")
    page = search_page(runtime, admin, SearchForm(q=QUERY))
    results = {h.source for h in page.results}
    readings = [h.source for h in page.readings]

    assert any(s.startswith("readings/") for s in results)  # the panel used to repeat these
    assert len(readings) == READINGS
    assert not results & set(readings)

    shown = tuple(h.id for h in page.results)
    by_relevance = [h.document.source for h in runtime.search(
        QUERY, Filters(kind=Kind.READING, exclude_doc_ids=shown), k=READINGS)]
    sleep = [s for s in by_relevance if s.startswith("readings/sleep-")]
    assert len(sleep) >= 2  # by relevance alone the series would fill the panel
    assert len([s for s in readings if s.startswith("readings/sleep-")]) <= 1
