"""Kill -9 during ingest, repair, and nothing accepted is lost (harness/crash.py, smaller
than bench/crash.py), on the embedded store and on PostgreSQL with a Chroma server."""

from __future__ import annotations

from pathlib import Path

from harness.crash import run
from tests.search.test_chroma_server import chroma_url  # noqa: F401 (a fixture: a real server)


def assert_nothing_lost(report: dict[str, object], documents: int) -> None:
    rounds = report["rounds"]
    assert isinstance(rounds, list)
    assert all(r["repair_exit"] == 0 for r in rounds), rounds
    assert all(r["disagreements_after_repair"] == 0 for r in rounds), rounds
    assert report["returned_before_kills"], "the child never got far enough to return anything"
    assert report["lost"] == 0
    assert report["not_searchable"] == 0
    assert report["half_indexed"] == 0
    assert report["after_full_run"] == documents
    assert report["disagreements_after_full_run"] == 0


def test_kill_during_ingest_loses_nothing(tmp_path: Path) -> None:
    assert_nothing_lost(run(n_docs=30, kills=3, seed=7, workdir=tmp_path), 30)


def test_kill_during_ingest_loses_nothing_on_postgresql_and_a_chroma_server(
    tmp_path: Path, postgres_url: str, chroma_url: str,  # noqa: F811
) -> None:
    """`commons check --repair` works against PostgreSQL plus Chroma: after each kill -9 it
    leaves no disagreement, and every document whose ingest returned is found."""
    report = run(n_docs=20, kills=2, seed=11, workdir=tmp_path, database_url=postgres_url,
                 chroma_url=chroma_url)
    assert_nothing_lost(report, 20)
