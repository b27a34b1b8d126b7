"""Leases: a write or upload job in progress in another process is left alone; one whose
process died is finished by whoever looks next (several replicas on one store)."""

from __future__ import annotations

from pathlib import Path

from ingest.consistency import check, finish_interrupted
from ingest.pipeline import Item, Pipeline
from search.retrieval import SearchOptions, search
from store.catalog import Catalog
from store.index import Index
from store.jobs import JobRecord, JobStatus, JobTable
from store.records import Status

NOTE = b"# Residential Care CoP\n\nThe night shift check-in card goes to every unit in May.\n"
LONG_AGO = "2026-01-01T00:00:00+00:00"


def _catalog(index: Index) -> Catalog:
    assert isinstance(index.catalog, Catalog)  # the embedded one: its SQL stages the crash
    return index.catalog


def _interrupted(index: Index, pipeline: Pipeline) -> str:
    """A document whose write stopped after its PENDING row and vectors (a killed process)."""
    [result] = pipeline.ingest([Item("session-notes/card.md", lambda: NOTE, filename="card.md")])
    assert result.document is not None, result.reason
    doc_id = result.document.id
    with _catalog(index).transaction() as db:  # the crash: READY never came, chunks never did
        db.execute("DELETE FROM chunks_fts WHERE rowid IN "
                   "(SELECT rowid FROM chunks WHERE doc_id = ?)", (doc_id,))
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        db.execute("UPDATE documents SET status = ? WHERE id = ?", (Status.PENDING.value, doc_id))
    return doc_id


def test_a_write_in_progress_is_left_alone_and_a_stale_one_is_finished(
        index: Index, pipeline: Pipeline) -> None:
    doc_id = _interrupted(index, pipeline)
    # just begun: another process may be writing it, so neither it nor its vectors are wrong
    settled = check(pipeline, settle_seconds=60)
    assert settled.pending == [] and settled.orphan_vectors == []
    assert finish_interrupted(pipeline, settle_seconds=60) == []
    assert check(pipeline).pending == [doc_id]  # the operator's check sees it at once
    with _catalog(index).transaction() as db:
        db.execute("UPDATE documents SET updated_at = ? WHERE id = ?", (LONG_AGO, doc_id))
    [done] = finish_interrupted(pipeline, settle_seconds=60)
    assert done.document is not None and done.document.status is Status.READY
    hits = search(index, "night shift check-in card", options=SearchOptions(k=3))
    assert hits[0].document.id == doc_id
    assert check(pipeline).disagreements == 0


def test_a_job_whose_taker_stopped_renewing_goes_back_in_the_queue(index: Index) -> None:
    table = JobTable(_catalog(index))
    for name in ("alive", "dead"):
        table.add(JobRecord(name, f"{name}.pdf", JobStatus.QUEUED), b"%PDF")
    assert {table.claim()[0].id, table.claim()[0].id} == {"alive", "dead"}  # type: ignore[index]
    with _catalog(index).transaction() as db:
        db.execute("UPDATE jobs SET updated_at = ?", (LONG_AGO,))
    table.touch("alive")  # its taker renews its lease
    assert table.resume_interrupted(stale_seconds=60) == 1
    assert table.get("dead").status is JobStatus.QUEUED  # type: ignore[union-attr]
    assert table.get("alive").status is JobStatus.PROCESSING  # type: ignore[union-attr]
    assert table.resume_interrupted() == 1  # no lease: a restart takes back every job


def test_settings_lease_is_bounded(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from service.settings import Settings

    assert Settings(data_dir=tmp_path).lease_seconds == 60
    try:
        Settings(data_dir=tmp_path, lease_seconds=1)
    except ValidationError as exc:
        assert "lease_seconds" in str(exc)
    else:
        raise AssertionError("a one-second lease would take jobs from live processes")
