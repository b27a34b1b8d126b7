"""Tags stay tidy: one spelling on entry, and a merge that facilitators and admins can run
through the API, the page and the CLI, recorded in the audit log."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ingest.fields import tag, tags
from service.accounts import Role, add_user
from service.app import create_app
from service.cli import app as cli
from service.settings import Settings
from store.accounts import Accounts
from store.embedder import Embedder
from tests.service.conftest import AUTH


@pytest.mark.parametrize(("typed", "stored"), [
    ("Early Years", "early-years"), ("early_years", "early-years"),
    ("  early -- years ", "early-years"), ("ACEs", "aces"), ("Self\u2013Harm", "self-harm"),
    ("---", ""),
])
def test_a_tag_has_one_spelling(typed: str, stored: str) -> None:
    assert tag(typed) == stored


def test_tags_collapse_to_one_each() -> None:
    assert tags(["Early Years", "early-years", "", "Bail"]) == ("early-years", "bail")


@pytest.fixture
def hub(tmp_path: Path, embedder: Embedder
        ) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=AUTH["Authorization"][7:])
    with TestClient(create_app(settings, embedder=embedder)) as client:
        catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
        headers = {"admin": AUTH}
        for user, role in [("fac-yj", Role.FACILITATOR), ("contrib-yj", Role.CONTRIBUTOR)]:
            token = add_user(Accounts(catalog), user, role, ("Youth Justice",))
            headers[user] = {"Authorization": f"Bearer {token}"}
        for name, community, typed in [
            ("yj1", "Youth Justice", "ACEs, Bail Support"),
            ("yj2", "Youth Justice", "aces, adverse childhood experiences"),
            ("ey1", "Early Years", "ACES, Early_Years"),
        ]:
            body = f"# Note {name}\n\nWe talked about {name} and bail support.\n".encode()
            response = client.post("/api/documents", files={"file": (f"{name}.md", body)},
                                   data={"community": community, "tags": typed,
                                         "visibility": "public"}, headers=AUTH)
            assert response.status_code == 201, response.text
        yield client, headers


def test_tags_are_stored_normalised_and_counted(
    hub: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, _ = hub
    counts = client.get("/api/tags", headers=AUTH).json()["tags"]
    assert counts == {"aces": 3, "adverse-childhood-experiences": 1, "bail-support": 1,
                      "early-years": 1}
    # a filter typed the other way finds the same documents
    found = client.get("/api/documents", params={"tag": "Bail Support"}, headers=AUTH).json()
    assert found["total"] == 1


def test_a_facilitator_merges_in_their_communities_only(
    hub: tuple[TestClient, dict[str, dict[str, str]]],
) -> None:
    client, headers = hub
    refused = client.post("/api/tags/merge", json={"source": "aces", "target": "x"},
                          headers=headers["contrib-yj"])
    assert refused.status_code == 403
    done = client.post("/api/tags/merge",
                       json={"source": "ACEs", "target": "Adverse Childhood Experiences"},
                       headers=headers["fac-yj"]).json()
    assert done == {"source": "aces", "target": "adverse-childhood-experiences",
                    "changed": 2, "not_allowed": 1}
    counts = client.get("/api/tags", headers=AUTH).json()["tags"]
    assert counts["adverse-childhood-experiences"] == 2  # yj2 had both: it keeps one
    assert counts["aces"] == 1  # the Early Years note is not theirs to change
    by_admin = client.post("/api/tags/merge", json={"source": "aces",
                                                    "target": "adverse-childhood-experiences"},
                           headers=AUTH).json()
    assert by_admin["changed"] == 1 and by_admin["not_allowed"] == 0
    assert "aces" not in client.get("/api/tags", headers=AUTH).json()["tags"]
    audit = client.app.state.runtime.audit.entries(50)  # type: ignore[attr-defined]
    merges = [e for e in audit if e.action == "tag-merge"]
    assert len(merges) == 3 and {e.actor for e in merges} == {"fac-yj", "token:admin"}
    same = client.post("/api/tags/merge", json={"source": "Bail Support", "target": "bail-support"},
                       headers=AUTH)
    assert same.status_code == 422 and "same tag" in same.json()["detail"]


def test_the_page_merges_with_its_form(hub: tuple[TestClient, dict[str, dict[str, str]]]) -> None:
    client, headers = hub
    page = client.get("/tags", headers=headers["fac-yj"])
    assert page.status_code == 200 and "Merge a tag into another" in page.text
    assert "Merge a tag" not in client.get("/tags", headers=headers["contrib-yj"]).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    merged = client.post("/tags/merge", data={"source": "bail support", "target": "bail",
                                              "csrf_token": csrf.group(1)},
                         headers=headers["fac-yj"])
    assert merged.status_code == 200
    assert "Merged &#39;bail-support&#39; into &#39;bail&#39; on 1 document." in merged.text


def test_the_cli_lists_and_merges(tmp_path: Path) -> None:
    data = tmp_path / "data"
    notes = tmp_path / "notes" / "practices"
    notes.mkdir(parents=True)
    (notes / "a.md").write_text("---\ntags: [Early Years, ACEs]\n---\n# A\n\nSome text.\n")
    env = {"COMMONS_DATA_DIR": str(data)}
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(notes)], env=env).exit_code == 0
    listed = runner.invoke(cli, ["tags", "list"], env=env)
    assert "early-years" in listed.output and "aces" in listed.output
    merged = runner.invoke(cli, ["tags", "merge", "ACEs", "trauma-informed"], env=env)
    assert merged.exit_code == 0, merged.output
    assert "on 1 document" in merged.output
    assert "trauma-informed" in runner.invoke(cli, ["tags", "list"], env=env).output
    same = runner.invoke(cli, ["tags", "merge", "aces", "ACES"], env=env)
    assert same.exit_code == 2
