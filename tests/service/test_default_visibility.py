"""Who sees an upload when its uploader does not say: its kind's default, a setting."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH, TOKEN


def _upload(client: TestClient, name: str, **data: str) -> dict[str, str]:
    body = f"# {name}\n\nNotes on calm mornings and school drop-off.\n".encode()
    response = client.post("/api/documents", files={"file": (f"{name}.md", body)}, data=data,
                           headers=AUTH)
    assert response.status_code == 201, response.text
    document: dict[str, str] = response.json()
    return document


@pytest.mark.parametrize(("data", "expected"), [
    ({"kind": "session-note", "community": "Early Years"}, "community"),
    ({"kind": "session-note"}, "public"),  # no community to limit it to
    ({"kind": "practice", "community": "Early Years"}, "public"),
    ({"kind": "reading"}, "public"),
    ({"kind": "session-note", "community": "Early Years", "visibility": "public"}, "public"),
    ({"kind": "practice", "visibility": "private"}, "private"),
])
def test_defaults_by_kind(client: TestClient, data: dict[str, str], expected: str) -> None:
    assert _upload(client, "note", **data)["visibility"] == expected


def test_the_defaults_are_settings(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN,
                        note_visibility="private", practice_visibility="community")
    with TestClient(create_app(settings, embedder=embedder)) as client:
        assert _upload(client, "a", kind="session-note")["visibility"] == "private"
        assert _upload(client, "b", kind="practice", community="Early Years")[
            "visibility"] == "community"
        form = client.get("/upload", headers=AUTH).text
        assert "As usual: notes only you, practices its community, readings everyone." in form


def test_a_file_that_says_keeps_its_own(client: TestClient) -> None:
    body = b"---\nvisibility: private\ncommunity: Early Years\n---\n# Mine\n\nA private note.\n"
    response = client.post("/api/documents", files={"file": ("mine.md", body)}, headers=AUTH)
    assert response.json()["visibility"] == "private"


def test_the_form_offers_the_default_first(client: TestClient) -> None:
    form = client.get("/upload", headers=AUTH).text
    assert '<option value="" selected>As usual for its kind</option>' in form
    assert "As usual: notes its community, practices everyone, readings everyone." in form


def test_ingest_takes_a_visibility(tmp_path: Path) -> None:
    folder = tmp_path / "session-notes" / "early-years"
    folder.mkdir(parents=True)
    (folder / "2026-01-01-a.md").write_text("# A\n\nA note on calm mornings.\n")
    env = {"COMMONS_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    wrong = runner.invoke(cli, ["ingest", str(tmp_path / "session-notes"), "--visibility",
                                "friends"], env=env)
    assert wrong.exit_code == 2 and "public, community or private" in wrong.output
    done = runner.invoke(cli, ["ingest", str(tmp_path / "session-notes"), "--visibility",
                               "community", "--json"], env=env)
    assert done.exit_code == 0, done.output
    listed = runner.invoke(cli, ["docs", "--json"], env=env)
    assert '"visibility": "community"' in listed.output
