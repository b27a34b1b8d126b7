"""Kill -9 during ingest, repair, and nothing accepted is lost (harness/crash.py, smaller
than bench/crash.py)."""

from __future__ import annotations

from pathlib import Path

from harness.crash import run


def test_kill_during_ingest_loses_nothing(tmp_path: Path) -> None:
    report = run(n_docs=30, kills=3, seed=7, workdir=tmp_path)
    rounds = report["rounds"]
    assert isinstance(rounds, list)
    assert all(r["disagreements_after_repair"] == 0 for r in rounds), rounds
    assert report["returned_before_kills"], "the child never got far enough to return anything"
    assert report["lost"] == 0
    assert report["not_searchable"] == 0
    assert report["half_indexed"] == 0
    assert report["after_full_run"] == 30
    assert report["disagreements_after_full_run"] == 0
