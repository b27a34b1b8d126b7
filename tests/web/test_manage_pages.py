"""Editing details, deleting with a confirmation and restoring from the trash, on the page
(plain forms: no JavaScript needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.settings import Settings
from store.embedder import Embedder
from tests.service.conftest import AUTH, TOKEN
from tests.web.conftest import form_token, sign_in

NOTE = (b"# Plover CoP, June\n\nThe plover reading circle moves to Thursdays; two carers "
        b"offered to run the book swap.\n")


@pytest.fixture
def client(tmp_path: Path, embedder: Embedder) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN)
    with TestClient(create_app(settings, embedder=embedder),
                    follow_redirects=False) as test_client:
        yield test_client


def _note(client: TestClient) -> str:
    made = client.post("/api/documents", headers=AUTH, files={"file": ("plover.md", NOTE)},
                       data={"visibility": "public", "community": "Early Years"})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _search(client: TestClient, q: str) -> list[str]:
    return [h["id"] for h in client.get("/api/search", params={"q": q}).json()["results"]]


def test_the_document_page_offers_edit_and_delete_only_to_those_allowed(
    client: TestClient,
) -> None:
    doc_id = _note(client)
    visitor = client.get(f"/documents/{doc_id}").text
    assert "Edit details" not in visitor
    assert client.get(f"/documents/{doc_id}/edit").status_code == 401
    sign_in(client, TOKEN)
    page = client.get(f"/documents/{doc_id}").text
    assert f'href="/documents/{doc_id}/edit"' in page
    assert f'href="/documents/{doc_id}/delete"' in page


def test_details_are_changed_on_the_page_and_search_follows(client: TestClient) -> None:
    doc_id = _note(client)
    sign_in(client, TOKEN)
    form = client.get(f"/documents/{doc_id}/edit").text
    assert 'value="Plover CoP, June"' in form
    sent = client.post(f"/documents/{doc_id}/edit", data={
        "csrf_token": form_token(client, f"/documents/{doc_id}/edit"),
        "title": "Plover reading circle: June", "kind": "session-note",
        "community": "Family Support", "tags": "Reading Groups, carers", "authors": "Facilitator",
        "date": "2026-06-11", "visibility": "public"})
    assert sent.status_code == 303 and sent.headers["location"].endswith("?edited=changed")
    shown = client.get(sent.headers["location"]).text
    assert "Saved." in shown and "Plover reading circle: June" in shown
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert (doc["community"], doc["tags"], doc["date"]) == (
        "Family Support", ["reading-groups", "carers"], "2026-06-11")
    found = client.get("/api/search", params={"q": "plover reading circle",
                                              "community": "Family Support"}).json()
    assert [h["id"] for h in found["results"]] == [doc_id]
    bad = client.post(f"/documents/{doc_id}/edit", data={
        "csrf_token": form_token(client, f"/documents/{doc_id}/edit"),
        "title": "Plover", "kind": "session-note", "date": "11 June",
        "visibility": "public"})
    assert bad.status_code == 422 and "2026-03-12" in bad.text
    forged = client.post(f"/documents/{doc_id}/edit", data={"title": "Forged",
                                                            "kind": "practice",
                                                            "visibility": "public"})
    assert forged.status_code == 403
    assert client.get(f"/api/documents/{doc_id}").json()["title"] != "Forged"


def test_delete_asks_first_then_the_trash_offers_undo(client: TestClient) -> None:
    doc_id = _note(client)
    sign_in(client, TOKEN)
    confirm = client.get(f"/documents/{doc_id}/delete").text
    assert "Move to the trash" in confirm and "30 days" in confirm
    assert doc_id in _search(client, "plover reading circle")  # asking deletes nothing
    sent = client.post(f"/documents/{doc_id}/delete",
                       data={"csrf_token": form_token(client, f"/documents/{doc_id}/delete")})
    assert sent.status_code == 303 and sent.headers["location"] == f"/trash?deleted={doc_id}"
    assert doc_id not in _search(client, "plover reading circle")
    trash = client.get(sent.headers["location"]).text
    assert "“Plover CoP, June” is in the trash." in trash and "Undo: restore it" in trash
    restored = client.post(f"/trash/{doc_id}/restore",
                           data={"csrf_token": form_token(client, "/trash")})
    assert restored.status_code == 303
    assert "Restored from the trash" in client.get(restored.headers["location"]).text
    assert doc_id in _search(client, "plover reading circle")


def test_only_an_admin_empties_the_trash_and_only_when_ticked(client: TestClient) -> None:
    doc_id = _note(client)
    client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    sign_in(client, TOKEN)
    page = client.get("/trash").text
    assert "Plover CoP, June" in page and "Empty the trash" in page
    unticked = client.post("/trash/empty", data={"csrf_token": form_token(client, "/trash")})
    assert unticked.status_code == 422 and "Tick the box" in unticked.text
    ticked = client.post("/trash/empty", data={"csrf_token": form_token(client, "/trash"),
                                               "confirm": "yes"})
    assert "Removed 1 document for good." in ticked.text
    assert "The trash is empty." in ticked.text
    client.cookies.clear()
    assert "Sign in" in client.get("/trash").text
    assert re.search(r"Plover", client.get("/trash").text) is None
