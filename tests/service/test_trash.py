"""Deleting moves a document to the trash: out of every index at once, back on restore."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ingest.models import Overrides
from ingest.pipeline import Item
from service.accounts import COMMAND_LINE, Role, add_user
from service.app import create_app
from service.cli import app as cli
from service.operations import documents, trash
from service.runtime import open_runtime
from service.settings import Settings
from store.accounts import Accounts
from store.embedder import Embedder
from store.records import Kind
from tests.service.conftest import AUTH

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL

NOTE = (b"# Kestrel CoP, March\n\nThe kestrel homework club keeps its Tuesday slot; families "
        b"asked for a quieter room after the bell.\n")
QUERY = "kestrel homework club quieter room"


def _add(client: TestClient, name: str = "kestrel.md", data: bytes = NOTE) -> str:
    made = client.post("/api/documents", headers=AUTH, files={"file": (name, data)},
                       data={"visibility": "public", "community": "Early Years",
                             "tags": "homework"})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _found(client: TestClient, doc_id: str) -> bool:
    hits = client.get("/api/search", params={"q": QUERY}, headers=AUTH).json()["results"]
    return doc_id in {h["id"] for h in hits}


def test_a_deleted_document_leaves_every_index_and_comes_back_whole(
    client: TestClient,
) -> None:
    doc_id = _add(client)
    assert _found(client, doc_id)
    assert client.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 204
    assert not _found(client, doc_id)  # neither by words nor by meaning
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert not runtime.index.vectors.ids_of_document(doc_id)
    assert runtime.index.catalog.find_by_id(doc_id) is None
    assert client.get(f"/api/documents/{doc_id}", headers=AUTH).status_code == 404
    assert client.get("/api/tags", headers=AUTH).json()["tags"].get("homework") is None
    listed = client.get("/api/trash", headers=AUTH).json()
    assert listed["days"] == 30 and [t["document"]["id"] for t in listed["items"]] == [doc_id]
    assert listed["items"][0]["trashed_by"]
    back = client.post(f"/api/trash/{doc_id}/restore", headers=AUTH)
    assert back.status_code == 200, back.text
    assert back.json()["community"] == "Early Years" and back.json()["tags"] == ["homework"]
    assert _found(client, doc_id)
    assert runtime.index.vectors.ids_of_document(doc_id)
    assert client.get("/api/trash", headers=AUTH).json()["items"] == []
    assert client.get(f"/api/documents/{doc_id}/file", headers=AUTH).content == NOTE
    entries = runtime.audit.entries()  # newest first
    assert [(e.action, e.doc_id) for e in entries[:3]] == [
        ("download", doc_id), ("restore", doc_id), ("delete", doc_id)]


def test_emptying_the_trash_removes_the_original_for_good(client: TestClient) -> None:
    doc_id = _add(client)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    digest = runtime.index.catalog.get(doc_id).content_hash
    client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    assert runtime.pipeline.originals.exists(digest)  # kept while it may come back
    emptied = client.post("/api/trash/empty", headers=AUTH).json()
    assert [d["id"] for d in emptied["removed"]] == [doc_id]
    assert not runtime.pipeline.originals.exists(digest)
    assert client.post(f"/api/trash/{doc_id}/restore", headers=AUTH).status_code == 404


def test_documents_past_their_days_are_purged_and_the_clean_up_is_audited(
    client: TestClient,
) -> None:
    doc_id = _add(client)
    client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert trash.purge_expired(runtime) == []  # deleted just now: 30 days to go
    later = datetime.now(UTC) + timedelta(days=31)
    assert [d.id for d in trash.purge_expired(runtime, now=later)] == [doc_id]
    assert runtime.index.catalog.trashed() == []
    entry = runtime.audit.entries()[0]
    assert (entry.action, entry.actor, entry.doc_id) == ("purge", trash.EXPIRY_ACTOR, doc_id)


def test_a_restore_refuses_to_overwrite_what_took_its_place(client: TestClient) -> None:
    doc_id = _add(client)
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    source = runtime.index.catalog.get(doc_id).source
    client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    newer = NOTE + b"\nA second version, synced from the same place.\n"
    synced = runtime.ingest_one(Item(source=source, read=lambda: newer,
                                     overrides=Overrides(kind=Kind.SESSION_NOTE)))
    assert synced.document is not None, synced.reason
    refused = client.post(f"/api/trash/{doc_id}/restore", headers=AUTH)
    assert refused.status_code == 409 and "cannot be restored" in refused.json()["detail"]
    assert [t["document"]["id"] for t in client.get("/api/trash", headers=AUTH).json()["items"]]


def test_the_same_content_uploaded_again_while_in_the_trash_is_a_new_document(
    client: TestClient,
) -> None:
    doc_id = _add(client)
    client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    again = _add(client, name="kestrel-again.md")
    assert again != doc_id and _found(client, again)
    client.post("/api/trash/empty", headers=AUTH)  # the trashed copy goes; the file stays
    assert client.get(f"/api/documents/{again}/file", headers=AUTH).content == NOTE


def test_reading_or_restoring_the_trash_needs_a_token(client: TestClient) -> None:
    assert client.get("/api/trash").status_code == 401
    assert client.post("/api/trash/empty").status_code in (401, 403)


def test_who_may_restore_is_who_may_change(tmp_path: Path, embedder: Embedder) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=AUTH["Authorization"][7:])
    with TestClient(create_app(settings, embedder=embedder)) as client:
        catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
        people = {}
        for user, role, community in [("fac-ey", Role.FACILITATOR, "Early Years"),
                                      ("fac-yj", Role.FACILITATOR, "Youth Justice"),
                                      ("contrib-ey", Role.CONTRIBUTOR, "Early Years")]:
            token = add_user(Accounts(catalog), user, role, (community,))
            people[user] = {"Authorization": f"Bearer {token}"}
        made = client.post("/api/documents", headers=people["contrib-ey"],
                           files={"file": ("kestrel.md", NOTE)},
                           data={"community": "Early Years"})
        doc_id = made.json()["id"]
        assert client.delete(f"/api/documents/{doc_id}",
                             headers=people["contrib-ey"]).status_code == 204

        def listed(who: str) -> list[str]:
            items = client.get("/api/trash", headers=people[who]).json()["items"]
            return [t["document"]["id"] for t in items]

        assert listed("contrib-ey") == [doc_id] == listed("fac-ey")  # its owner, its facilitator
        assert listed("fac-yj") == []  # another community's facilitator sees nothing of it
        assert client.post(f"/api/trash/{doc_id}/restore",
                           headers=people["fac-yj"]).status_code == 404
        assert client.post("/api/trash/empty", headers=people["fac-ey"]).status_code == 403
        assert client.post(f"/api/trash/{doc_id}/restore",
                           headers=people["fac-ey"]).status_code == 200


def test_the_command_line_lists_restores_and_empties(tmp_path: Path) -> None:
    notes = tmp_path / "notes" / "session-notes"
    notes.mkdir(parents=True)
    (notes / "kestrel.md").write_bytes(NOTE)
    env = {"COMMONS_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(notes.parent)], env=env).exit_code == 0
    assert "The trash is empty." in runner.invoke(cli, ["trash", "list"], env=env).output
    settings = Settings(data_dir=tmp_path / "data")
    runtime = open_runtime(settings)
    try:
        [doc] = runtime.index.catalog.all_documents()
        documents.delete(runtime, COMMAND_LINE, doc.id)
    finally:
        runtime.close()
    listed = runner.invoke(cli, ["trash", "list"], env=env)
    assert doc.id in listed.output and "Kestrel CoP, March" in listed.output
    restored = runner.invoke(cli, ["trash", "restore", doc.id], env=env)
    assert restored.exit_code == 0 and "can be found in search again" in restored.output
    found = runner.invoke(cli, ["search", QUERY, "--json"], env=env)
    assert doc.id in found.output
    missing = runner.invoke(cli, ["trash", "restore", "nope"], env=env)
    assert missing.exit_code == 2 and "commons trash list" in missing.output
    runtime = open_runtime(settings)
    try:
        documents.delete(runtime, COMMAND_LINE, doc.id)
    finally:
        runtime.close()
    emptied = runner.invoke(cli, ["trash", "empty", "--yes"], env=env)
    assert "Removed 1 document for good." in emptied.output
