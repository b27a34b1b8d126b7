"""Documents written together share one vector write and stay each recoverable."""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from ingest.models import Outcome
from ingest.pipeline import Item, Pipeline, Prepared, _distinct_runs
from search.retrieval import search
from service.runtime import open_runtime
from service.settings import Settings
from store.embedder import Embedder
from store.index import Index
from store.originals import OriginalStore
from store.records import Filters, Status


def _item(name: str, text: str) -> Item:
    return Item(source=f"session-notes/{name}.md", read=partial(str.encode, text))


def _prepared(pipeline: Pipeline, name: str, text: str) -> Prepared:
    prepared = pipeline.prepare(_item(name, text))
    assert isinstance(prepared, Prepared)
    return prepared


def test_a_later_version_of_a_document_waits_for_the_next_run(pipeline: Pipeline) -> None:
    a1 = _prepared(pipeline, "a", "# A\n\nFirst version.\n")
    b = _prepared(pipeline, "b", "# B\n\nAnother note.\n")
    a2 = _prepared(pipeline, "a", "# A\n\nSecond version.\n")
    none = np.zeros((0, 0))
    runs = _distinct_runs([(a1, none), (b, none), (a2, none)])
    assert [[p for p, _ in run] for run in runs] == [[a1, b], [a2]]


def test_documents_written_together_are_each_searchable(
    pipeline: Pipeline, index: Index
) -> None:
    batch = [
        _prepared(pipeline, "calm", "# Calm corner\n\nCushions and a timer for quiet time.\n"),
        _prepared(pipeline, "walk", "# Walk and talk\n\nTalking side by side while walking.\n"),
        _prepared(pipeline, "calm", "# Calm corner\n\nA revised calm corner with headphones.\n"),
    ]
    results = pipeline.write(batch)
    assert [r.outcome for r in results] == [Outcome.ADDED, Outcome.ADDED, Outcome.ADDED]
    documents = index.catalog.documents()
    assert sorted(d.title for d in documents) == ["Calm corner", "Walk and talk"]
    assert all(d.status is Status.READY for d in documents)
    assert index.vectors.count() == index.catalog.chunk_count()
    hits = search(index, "headphones", Filters())
    assert hits and hits[0].document.title == "Calm corner"
    assert "headphones" in hits[0].passages[0].text  # the later version won


def test_write_many_refuses_a_document_twice(pipeline: Pipeline, index: Index) -> None:
    note = _prepared(pipeline, "twice", "# Twice\n\nThe same note.\n")
    vectors = index.embed(note.chunks)
    with pytest.raises(ValueError, match="once"):
        index.write_many([(note.doc, note.chunks, vectors), (note.doc, note.chunks, vectors)])


def test_a_failed_group_write_leaves_its_documents_unsearchable(
    pipeline: Pipeline, index: Index
) -> None:
    good = _prepared(pipeline, "good", "# Good\n\nA note about family meetings.\n")
    bad = _prepared(pipeline, "bad", "# Bad\n\nA note whose vectors are broken.\n")
    vectors = index.embed(good.chunks)
    wrong = np.ones((len(bad.chunks), 7), dtype=np.float32)  # not the model's dimension
    with pytest.raises(Exception):  # noqa: B017 - Chroma's own error type
        index.write_many([(good.doc, good.chunks, vectors), (bad.doc, bad.chunks, wrong)])
    # the group left both PENDING (never searchable); writing each alone repairs the good one
    assert index.catalog.documents() == []
    assert pipeline.write([good])[0].outcome is Outcome.ADDED
    assert [d.title for d in index.catalog.documents()] == ["Good"]


class GroupWritesFail(Index):
    """A real index whose writes of several documents at once fail (a fault injected)."""

    def write_many(self, entries, twins=None):  # type: ignore[no-untyped-def]
        if len(entries) > 1:
            raise OSError("no space left on device")
        return super().write_many(entries, twins)


def test_the_pipeline_writes_each_document_alone_when_the_group_fails(
    tmp_path: Path, embedder: Embedder
) -> None:
    index = GroupWritesFail(tmp_path / "data", embedder)
    try:
        pipeline = Pipeline(index, OriginalStore(tmp_path / "data" / "originals"))
        batch = [_prepared(pipeline, f"n{i}", f"# Note {i}\n\nAbout topic {i}.\n")
                 for i in range(3)]
        assert [r.outcome for r in pipeline.write(batch)] == [Outcome.ADDED] * 3
        assert index.catalog.count() == 3
    finally:
        index.close()


def test_concurrent_uploads_are_all_written(tmp_path: Path, embedder: Embedder) -> None:
    runtime = open_runtime(Settings(data_dir=tmp_path / "data"), embedder=embedder)
    try:
        prepared = [_prepared(runtime.pipeline, f"note{i}", f"# Note {i}\n\nTopic {i}.\n")
                    for i in range(12)]
        results: list[Outcome] = []
        threads = [threading.Thread(target=lambda p=p: results.append(
            runtime.write_one(p).outcome)) for p in prepared]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert results == [Outcome.ADDED] * 12
        catalog = runtime.index.catalog
        assert catalog.count() == 12 and runtime.index.vectors.count() == catalog.chunk_count()
    finally:
        runtime.close()
