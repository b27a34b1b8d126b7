"""One operations layer under the API, the page and the command line: rights checked there,
the audit written there, after the action succeeded and never for what did not happen."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.accounts import COMMAND_LINE, Caller, Role
from service.app import create_app
from service.operations import documents, users
from service.operations.audit import AuditAction
from service.operations.permissions import NotAllowed
from service.runtime import Runtime
from service.settings import Settings
from store.embedder import Embedder
from store.records import Visibility
from tests.service.conftest import AUTH, TOKEN
from tests.web.conftest import form_token

BOTH_STORES = True  # each test runs on the embedded store and on PostgreSQL


@pytest.fixture
def client(tmp_path: Path, embedder: Embedder) -> Iterator[TestClient]:
    settings = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN)
    with TestClient(create_app(settings, embedder=embedder),
                    follow_redirects=False) as test_client:
        yield test_client


def runtime_of(client: TestClient) -> Runtime:
    runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
    return runtime


def actions(client: TestClient) -> list[tuple[str, str]]:
    """(actor, action) of every audit entry, oldest first."""
    return [(e.actor, e.action) for e in reversed(runtime_of(client).audit.entries(1000))]


def bearer(client: TestClient, user: str, role: Role, community: str) -> dict[str, str]:
    token = users.add(runtime_of(client), COMMAND_LINE, user, role, (community,))
    return {"Authorization": f"Bearer {token}"}


def upload(client: TestClient, name: str, headers: dict[str, str], **data: str) -> str:
    body = f"# {name}\n\n## Plan\n\nA calm start to the morning for children in care.\n"
    sent = client.post("/api/documents", files={"file": (f"{name}.md", body.encode())},
                       data=data, headers=headers)
    assert sent.status_code == 201, sent.text
    return str(sent.json()["id"])


def test_a_refused_change_or_delete_writes_no_audit_entry(client: TestClient) -> None:
    owner = bearer(client, "sam.ey", Role.CONTRIBUTOR, "Early Years")
    other = bearer(client, "lee.ey", Role.CONTRIBUTOR, "Early Years")
    doc_id = upload(client, "mornings", owner, community="Early Years")
    before = actions(client)
    assert client.patch(f"/api/documents/{doc_id}", json={"title": "Mine"},
                        headers=other).status_code == 403
    assert client.delete(f"/api/documents/{doc_id}", headers=other).status_code == 403
    assert client.patch(f"/api/documents/{doc_id}", json={"visibility": "community",
                                                          "community": None},
                        headers=owner).status_code == 422  # refused after the rights check
    assert client.delete("/api/documents/no-such-id", headers=owner).status_code == 404
    assert actions(client) == before
    # what did happen is recorded, once, after it happened
    assert client.patch(f"/api/documents/{doc_id}", json={"title": "Calm mornings"},
                        headers=owner).status_code == 200
    assert client.delete(f"/api/documents/{doc_id}", headers=owner).status_code == 204
    assert actions(client)[len(before):] == [("sam.ey", AuditAction.CHANGE),
                                             ("sam.ey", AuditAction.DELETE)]


def test_a_duplicate_upload_and_a_failed_user_add_are_not_audited(client: TestClient) -> None:
    doc_id = upload(client, "duplicate", AUTH)
    before = actions(client)
    again = client.post("/api/documents", files={"file": ("copy.md", b"# duplicate\n\n## Plan"
                        b"\n\nA calm start to the morning for children in care.\n")},
                        headers=AUTH)
    assert again.status_code == 200 and again.json()["id"] == doc_id
    runtime = runtime_of(client)
    users.add(runtime, COMMAND_LINE, "kim.fs", Role.READER, ("Family Support",))
    with pytest.raises(ValueError, match="already exists"):
        users.add(runtime, COMMAND_LINE, "kim.fs", Role.ADMIN, ())
    with pytest.raises(NotAllowed):
        users.add(runtime, Caller(Role.FACILITATOR, "fac"), "pat", Role.ADMIN, ())
    assert not users.remove(runtime, COMMAND_LINE, "nobody")
    assert actions(client)[len(before):] == [("cli:local", AuditAction.USER_ADD)]
    assert {a for _, a in actions(client)} <= set(AuditAction)


def test_the_page_form_offers_and_applies_visibility(client: TestClient) -> None:
    page = client.get("/upload").text
    assert re.search(r'<select id="visibility" name="visibility"', page)
    for choice in Visibility:
        assert f'value="{choice.value}"' in page
    note = b"# Harbour CoP\n\nThe Pelican Street homework club restarts in May.\n"
    sent = client.post("/upload", files={"file": ("pelican.md", note)},
                       data={"csrf_token": form_token(client, "/upload"), "token": TOKEN,
                             "visibility": "private"})
    assert sent.status_code == 303, sent.text
    doc_id = sent.headers["location"].split("/documents/")[1].split("?")[0]
    assert runtime_of(client).index.catalog.get(doc_id).visibility is Visibility.PRIVATE
    client.cookies.clear()  # the token typed into the form had signed its holder in
    assert client.get(f"/api/documents/{doc_id}").status_code == 404  # hidden from others
    assert client.get(f"/api/documents/{doc_id}", headers=AUTH).status_code == 200
    # the API and the page reach the same operation: same refusal, same words
    refused = client.post("/upload", files={"file": ("x.md", note + b"more")},
                          data={"csrf_token": form_token(client, "/upload"), "token": TOKEN,
                                "visibility": "community"})
    assert refused.status_code == 422
    assert "community visibility needs a community" in refused.text
    # one upload, and the sign-in that typing the token into the form made
    assert sorted(actions(client)) == [("token:admin", AuditAction.SIGN_IN),
                                       ("token:admin", AuditAction.UPLOAD)]


def test_the_command_line_exports_through_the_same_operation(client: TestClient,
                                                             tmp_path: Path) -> None:
    upload(client, "exported", AUTH)
    runtime = runtime_of(client)
    reader = Caller(Role.READER, "reader")
    with pytest.raises(NotAllowed):
        documents.export_all(runtime, reader, tmp_path / "nope.tar.gz")
    assert not (tmp_path / "nope.tar.gz").exists()
    assert documents.export_all(runtime, COMMAND_LINE, tmp_path / "hub.tar.gz") == 1
    assert actions(client)[-1] == ("cli:local", AuditAction.EXPORT)


def test_a_personal_data_refusal_says_so_in_the_api(client: TestClient) -> None:
    note = b"# Tern CoP\n\nCall the carer on 0412 345 678 before the Tern outing.\n"
    refused = client.post("/api/documents", files={"file": ("tern.md", note)}, headers=AUTH)
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "personal-data"
    assert body["findings"] and "0412 345 678" not in str(body)
    assert actions(client) == []  # nothing was added, nothing is recorded
