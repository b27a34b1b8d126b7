"""`commons migrate-store`: an embedded hub moved into a real PostgreSQL and a real Chroma
server, counted on both sides, then served from there."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from service.cli import app
from tests.search.test_chroma_server import chroma_url  # noqa: F401 (a fixture: a real server)

runner = CliRunner()


def test_an_embedded_hub_moves_into_postgresql_and_a_chroma_server(
        tmp_path: Path, postgres_url: str, chroma_url: str) -> None:  # noqa: F811
    notes = tmp_path / "notes" / "session-notes"
    notes.mkdir(parents=True)
    (notes / "2026-02-05-yj.md").write_text(
        "# Youth Justice CoP\n\n## Actions\n\nSR to circulate the STEPS re-entry one-pager.\n")
    (notes / "2026-03-05-smh.md").write_text(
        "# School Mental Health CoP\n\nA Year 8 student avoids school on Mondays; the team "
        "agreed a graded return starting in the library.\n")
    here = {"COMMONS_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    assert runner.invoke(app, ["ingest", str(notes)], env=here).exit_code == 0
    added = runner.invoke(app, ["users", "add", "sam", "--role", "facilitator",
                                "--community", "Youth Justice"], env=here)
    assert added.exit_code == 0, added.output
    audit_before = runner.invoke(app, ["audit", "--json"], env=here).output
    runner.invoke(app, ["search", "a graded return to school"], env=here)  # a kept search

    moved = runner.invoke(app, ["migrate-store", "--to", postgres_url, "--chroma-url",
                                chroma_url, "--collection", "moved"], env=here)
    assert moved.exit_code == 0, moved.output
    assert "Every count agrees" in moved.output
    assert postgres_url not in moved.output  # a URL may hold a password: not echoed

    there = {**here, "COMMONS_DATABASE_URL": postgres_url, "COMMONS_CHROMA_URL": chroma_url,
             "COMMONS_CHROMA_COLLECTION": "moved"}
    found = json.loads(runner.invoke(app, ["search", "student who avoids school", "--json",
                                           "-k", "1"], env=there).output)
    assert found["results"][0]["source"].endswith("2026-03-05-smh.md")
    assert "sam" in runner.invoke(app, ["users", "list"], env=there).output
    assert runner.invoke(app, ["audit", "--json"], env=there).output == audit_before
    assert runner.invoke(app, ["check"], env=there).exit_code == 0
    kept = json.loads(runner.invoke(app, ["insights", "--json"], env=there).output)
    assert kept["searches"] == 2  # the one moved, and the one just made there

    again = runner.invoke(app, ["migrate-store", "--to", postgres_url, "--chroma-url",
                                chroma_url, "--collection", "moved"], env=here)
    assert again.exit_code == 2 and "already" in again.output
