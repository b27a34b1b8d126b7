"""Signing in on the pages: a session cookie that shows what the user may see, and the
admin's audit page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.accounts import SESSION_COOKIE, Role, add_user
from service.app import create_app
from service.settings import Settings
from store.accounts import Accounts
from store.embedder import Embedder
from tests.service.conftest import AUTH, TOKEN
from tests.web.conftest import form_token, sign_in, sign_out


@pytest.fixture
def hub(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[TestClient]:
    data = tmp_path_factory.mktemp("signin") / "data"
    with TestClient(create_app(Settings(data_dir=data, api_tokens=TOKEN), embedder=embedder),
                    follow_redirects=False) as client:
        note = b"# Osprey circle\n\nThe Osprey circle met about bail support for teenagers.\n"
        created = client.post("/api/documents", files={"file": ("osprey.md", note)},
                              data={"community": "Youth Justice", "visibility": "community"},
                              headers=AUTH)
        assert created.status_code == 201
        yield client


def test_a_member_signs_in_and_sees_community_notes(hub: TestClient) -> None:
    catalog = hub.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    token = add_user(Accounts(catalog), "reader-yj", Role.READER, ("Youth Justice",))
    assert "Osprey circle" not in hub.get("/?q=bail+support+for+teenagers").text  # anonymous
    refused = hub.post("/login", data={"token": "not-a-token", "csrf_token": form_token(hub)})
    assert refused.status_code == 401 and "not valid" in refused.text
    signed = sign_in(hub, token)
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
    assert token not in cookie
    assert "Osprey circle" in hub.get("/?q=bail+support+for+teenagers").text
    assert "Sign out" in hub.get("/").text
    assert hub.get("/admin/audit").status_code == 404  # a reader is not an admin
    assert sign_out(hub).status_code == 303
    assert "Osprey circle" not in hub.get("/?q=bail+support+for+teenagers").text


def test_admin_sees_the_audit_page(hub: TestClient) -> None:
    sign_in(hub, TOKEN)
    page = hub.get("/admin/audit")
    assert page.status_code == 200
    assert "upload" in page.text and "sign-in" in page.text


def test_removing_a_user_ends_their_session(hub: TestClient) -> None:
    catalog = hub.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    token = add_user(Accounts(catalog), "gone-soon", Role.READER, ("Youth Justice",))
    sign_in(hub, token)
    assert "Osprey circle" in hub.get("/?q=bail+support+for+teenagers").text
    Accounts(catalog).remove_user("gone-soon")
    assert "Osprey circle" not in hub.get("/?q=bail+support+for+teenagers").text


def test_the_readings_panel_shows_only_readings_the_visitor_may_see(hub: TestClient) -> None:
    reading = b"# Heron bail reading\n\nA reading on bail support for teenagers in custody.\n"
    created = hub.post("/api/documents", files={"file": ("heron.md", reading)},
                       data={"kind": "reading", "community": "Youth Justice",
                             "visibility": "community"}, headers=AUTH)
    assert created.status_code == 201
    page = hub.get("/?q=bail+support+for+teenagers").text  # anonymous
    assert "Heron bail reading" not in page
    sign_in(hub, TOKEN)  # an admin sees it
    assert "Heron bail reading" in hub.get("/?q=bail+support+for+teenagers").text


def test_browse_counts_only_what_the_visitor_may_see(hub: TestClient) -> None:
    assert "Youth Justice" not in hub.get("/browse").text  # its one note is community-only
    sign_in(hub, TOKEN)
    assert "Youth Justice" in hub.get("/browse").text
