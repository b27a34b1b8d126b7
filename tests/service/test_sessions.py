"""Web sessions against a real `commons serve`: bound to the token that opened them, admin
tokens apart from user ids, and nothing private left in a cache."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from service.accounts import ADMIN_TOKEN_ID, Role, add_user
from store.accounts import Accounts
from store.catalog import Catalog
from tests.service.conftest import AUTH, TOKEN, Server
from tests.web.conftest import form_token, sign_in

NOTE = b"# Quokka review\n\nThe Quokka review covers bail support for teenagers.\n"


@contextmanager
def catalog_of(data: Path) -> Iterator[Catalog]:
    """The served data folder's catalog, opened beside the server (as `commons users` does)."""
    catalog = Catalog(data / "commons.db")
    try:
        yield catalog
    finally:
        catalog.close()


def upload(url: str, name: str, body: bytes, **fields: str) -> str:
    answer = httpx.post(f"{url}/api/documents", files={"file": (name, body)}, data=fields,
                        headers=AUTH, timeout=60)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


@dataclass(frozen=True)
class Hub:
    url: str
    data: Path


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    data = tmp_path_factory.mktemp("sessions") / "data"
    server = Server(data, COMMONS_API_TOKENS=TOKEN)
    yield Hub(server.url, data)
    server.stop()


@pytest.fixture(scope="module")
def private_id(hub: Hub) -> str:
    """A private note uploaded with the admin token."""
    return upload(hub.url, "quokka.md", NOTE, visibility="private")


def test_no_user_id_can_be_the_admin_tokens_id(tmp_path: Path) -> None:
    with catalog_of(tmp_path) as catalog, pytest.raises(ValueError, match="user ids"):
        add_user(Accounts(catalog), ADMIN_TOKEN_ID, Role.ADMIN, ())


def test_a_user_named_admin_token_is_not_an_admin(hub: Hub, private_id: str) -> None:
    with catalog_of(hub.data) as catalog:
        assert catalog.get(private_id).owner == ADMIN_TOKEN_ID
        token = add_user(Accounts(catalog), "admin-token", Role.CONTRIBUTOR, ())
    with httpx.Client(base_url=hub.url, timeout=30) as browser:
        assert sign_in(browser, token).status_code == 303
        assert browser.get("/admin/audit").status_code == 404
        assert browser.get(f"/documents/{private_id}").status_code == 404
        assert browser.get(f"/api/documents/{private_id}").status_code == 404
        changed = browser.patch(f"/api/documents/{private_id}", json={"title": "Mine now"},
                                headers={"X-CSRF-Token": form_token(browser, "/")})
        assert changed.status_code == 404
    as_user = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{hub.url}/api/documents/{private_id}", headers=as_user).status_code == 404
    mine = httpx.get(f"{hub.url}/api/documents/{private_id}", headers=AUTH)
    assert mine.status_code == 200 and mine.json()["title"] == "Quokka review"


def test_a_removed_then_re_added_user_does_not_get_the_old_session_back(hub: Hub) -> None:
    note = b"# Wombat circle\n\nThe Wombat circle planned the family-time roster.\n"
    doc_id = upload(hub.url, "wombat.md", note, community="Out of Home Care",
                    visibility="community")
    with catalog_of(hub.data) as catalog:
        first = add_user(Accounts(catalog), "kim.ohc", Role.READER, ("Out of Home Care",))
    with httpx.Client(base_url=hub.url, timeout=30) as browser:
        sign_in(browser, first)
        assert browser.get(f"/documents/{doc_id}").status_code == 200
        with catalog_of(hub.data) as catalog:
            Accounts(catalog).remove_user("kim.ohc")
            with sqlite3.connect(hub.data / "commons.db") as db:
                left = db.execute("SELECT COUNT(*) FROM sessions WHERE subject = 'kim.ohc'")
                assert left.fetchone()[0] == 0  # removed with the user
            second = add_user(Accounts(catalog), "kim.ohc", Role.READER, ("Out of Home Care",))
        assert browser.get(f"/documents/{doc_id}").status_code == 404  # old cookie: nobody
        sign_in(browser, second)
        assert browser.get(f"/documents/{doc_id}").status_code == 200


def test_private_answers_are_not_cached(hub: Hub, private_id: str) -> None:
    with httpx.Client(base_url=hub.url, timeout=30) as browser:
        sign_in(browser, TOKEN)
        answers = [
            browser.get(f"/documents/{private_id}"),
            httpx.get(f"{hub.url}/api/documents/{private_id}", headers=AUTH),
            httpx.get(f"{hub.url}/api/documents/{private_id}/file", headers=AUTH),
            httpx.get(f"{hub.url}/api/search", params={"q": "Quokka review"}, headers=AUTH),
            browser.get("/", params={"q": "Quokka review"}),
        ]
        for answer in answers:
            assert answer.status_code == 200, answer.url
            assert "Quokka" in answer.text, answer.url
            assert answer.headers["cache-control"] == "private, no-store", answer.url
            vary = {v.strip().lower() for v in answer.headers["vary"].split(",")}
            assert {"cookie", "authorization"} <= vary, answer.url
        style = browser.get("/static/app.css")
        assert style.status_code == 200 and "no-store" not in style.headers.get(
            "cache-control", "")


def test_an_admin_session_ends_when_the_admin_tokens_change(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    data = tmp_path_factory.mktemp("rotation") / "data"
    browser = httpx.Client(timeout=30)  # cookies are kept per host, not per port
    server = Server(data, COMMONS_API_TOKENS="first-admin-token")
    try:
        browser.base_url = httpx.URL(server.url)
        assert sign_in(browser, "first-admin-token").status_code == 303
        assert browser.get("/admin/audit").status_code == 200
    finally:
        server.stop()
    server = Server(data, COMMONS_API_TOKENS="second-admin-token")
    try:
        browser.base_url = httpx.URL(server.url)
        assert browser.cookies.get("commons_session")
        assert browser.get("/admin/audit").status_code == 404
        assert sign_in(browser, "second-admin-token").status_code == 303
        assert browser.get("/admin/audit").status_code == 200
    finally:
        server.stop()
        browser.close()


def test_old_sessions_are_dropped_and_admin_token_documents_migrated(tmp_path: Path) -> None:
    """A data folder from before sessions were bound to their credential."""
    path = tmp_path / "commons.db"
    Catalog(path).close()
    with sqlite3.connect(path) as db:  # back to the old layout and ids
        db.execute("DROP TABLE sessions")
        db.execute("CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, subject TEXT NOT NULL, "
                   "expires_at TEXT NOT NULL)")
        db.execute("INSERT INTO sessions VALUES ('abc', 'admin-token', '2999-01-01T00:00:00')")
        for doc_id, owner in (("d1", "admin-token"), ("d2", "local"), ("d3", "jo")):
            db.execute(
                "INSERT INTO documents(id, source, title, kind, content_hash, filename, "
                "media_type, status, visibility, owner, added_at, updated_at) VALUES "
                "(?, ?, 'T', 'session-note', 'h', 'f.md', 'text/markdown', 'ready', "
                "'private', ?, '2026-01-01', '2026-01-01')", (doc_id, f"{doc_id}.md", owner))
        db.execute("DELETE FROM meta WHERE key = 'principals'")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('vector_metadata', '2')")
    with catalog_of(tmp_path) as catalog:
        assert Accounts(catalog).session("abc") is None
        assert catalog.get("d1").owner == ADMIN_TOKEN_ID
        assert catalog.get("d2").owner == "hub:local"
        assert catalog.get("d3").owner == "jo"
        assert catalog.get_meta("vector_metadata") is None  # the vectors' owners are redone
    with sqlite3.connect(path) as db:
        columns = {row[1] for row in db.execute("PRAGMA table_info(sessions)")}
        assert {"principal", "credential_hash"} <= columns
        assert db.execute("SELECT COUNT(*) FROM sessions").fetchone()[0] == 0
