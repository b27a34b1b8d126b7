"""The search record and the facilitators' view over a real app, store and model: who sees
what, what is kept (redacted, for how long, or not at all), and when a text may be quoted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.accounts import Role, add_user
from service.app import create_app
from service.cli import app as cli
from service.deps import get_credential
from service.operations.insights import purge_expired
from service.runtime import Runtime
from service.settings import Settings
from store.catalog import Catalog
from store.embedder import Embedder
from store.insights import LoggedSearch
from tests.service.conftest import AUTH, TOKEN

BOTH_STORES = True

DOCUMENTS = {
    "Alpha": ("calm.md", b"# Calming an angry teenager\n\nA calm-down script for teenagers "
              b"who are angry: lower your voice, name the feeling, offer a way out."),
    "Beta": ("sleep.md", b"# Bedtime routines\n\nA steady bedtime routine helps younger "
             b"children in care sleep: the same time, a story, a night light."),
}


class Hub:
    """A real app with a facilitator and a member in each of two communities, and a reader."""

    def __init__(self, client: TestClient, tokens: dict[str, str] | None = None) -> None:
        self.client = client
        self.runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
        if tokens is not None:  # the same data folder opened again
            self.tokens = tokens
            return
        self.tokens = {
            name: add_user(self.runtime.accounts, name, role, communities)
            for name, role, communities in [
                ("fac-a", Role.FACILITATOR, ("Alpha",)), ("fac-b", Role.FACILITATOR, ("Beta",)),
                ("mem-a", Role.CONTRIBUTOR, ("Alpha",)), ("mem-a2", Role.CONTRIBUTOR, ("Alpha",)),
                ("mem-b", Role.CONTRIBUTOR, ("Beta",)), ("reader", Role.READER, ()),
            ]}
        for community, (name, text) in DOCUMENTS.items():
            done = client.post("/api/documents", headers=AUTH, files={"file": (name, text)},
                               data={"community": community, "kind": "practice"})
            assert done.status_code == 201, done.text

    def auth(self, user: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user]}"}

    def search(self, user: str, query: str) -> dict[str, Any]:
        found = self.client.get("/api/search", params={"q": query}, headers=self.auth(user))
        assert found.status_code == 200, found.text
        body: dict[str, Any] = found.json()
        return body

    def insights(self, user: str, **params: str) -> Any:
        return self.client.get("/api/insights", params=params, headers=self.auth(user))


def _hub(tmp_path: Path, embedder: Embedder, store_url: str | None,
         tokens: dict[str, str] | None = None, **settings: Any) -> Iterator[Hub]:
    chosen = Settings(data_dir=tmp_path / "data", api_tokens=TOKEN, database_url=store_url,
                      **settings)
    with TestClient(create_app(chosen, embedder=embedder)) as client:
        yield Hub(client, tokens)


@pytest.fixture
def hub(tmp_path: Path, embedder: Embedder, store_url: str | None) -> Iterator[Hub]:
    yield from _hub(tmp_path, embedder, store_url)


def _rows(hub: Hub, sql: str) -> list[Any]:
    """Rows of the hub's own tables, read directly (what is really kept)."""
    catalog = hub.runtime.index.catalog
    assert isinstance(catalog, Catalog)  # PgCatalog is one too
    return catalog.read(sql)


def _texts(body: Any) -> str:
    return json.dumps(body)


def test_a_facilitator_sees_only_their_communities_searches_feedback_and_stories(
        hub: Hub) -> None:
    mine = hub.search("mem-a", "calm-down script for an angry teenager")
    theirs = hub.search("mem-b", "bedtime routine for a foster child who cannot sleep")
    hub.search("fac-b", "bedtime routine for a foster child who cannot sleep")
    for found, user, story in [(mine, "mem-a", "used the script at drop-off, it worked"),
                               (theirs, "mem-b", "the night light settled a six-year-old")]:
        doc = found["results"][0]["id"]
        told = hub.client.post(f"/api/searches/{found['search_id']}/results/{doc}/feedback",
                               json={"helpful": True, "story": story}, headers=hub.auth(user))
        assert told.status_code == 204, told.text
    seen_a = hub.insights("fac-a")
    assert seen_a.status_code == 200
    text_a = _texts(seen_a.json())
    assert "drop-off" in text_a and seen_a.json()["searches"] == 1
    assert "night light" not in text_a and "bedtime" not in text_a.lower()
    assert "Bedtime routines" not in text_a  # nor the other community's documents' use
    assert hub.insights("fac-a", community="Beta").status_code == 403
    for name in ("stories", "looked-for", "most-helpful", "activity"):
        exported = hub.client.get(f"/api/insights/{name}.csv", headers=hub.auth("fac-a"))
        assert exported.status_code == 200
        assert "night light" not in exported.text and "Beta" not in exported.text
    seen_b = _texts(hub.insights("fac-b").json())
    assert "night light" in seen_b and "drop-off" not in seen_b
    everything = _texts(hub.client.get("/api/insights", headers=AUTH).json())
    assert "night light" in everything and "drop-off" in everything


def test_a_reader_sees_no_insights(hub: Hub) -> None:
    hub.search("mem-a", "calm-down script for an angry teenager")
    assert hub.insights("reader").status_code == 403
    assert hub.client.get("/api/insights/stories.csv", headers=hub.auth("reader")).status_code \
        == 403
    assert hub.client.get("/api/insights").status_code == 401  # anonymous: sign in first
    page = hub.client.get("/", params={"q": "angry teenager"}, headers=hub.auth("reader"))
    assert 'href="/insights"' not in page.text


def test_only_the_searching_session_gives_feedback(hub: Hub) -> None:
    found = hub.search("mem-a", "calm-down script for an angry teenager")
    url = f"/api/searches/{found['search_id']}/feedback"
    assert hub.client.post(url, json={"answered": False}, headers=hub.auth("mem-a2")) \
        .status_code == 404
    assert hub.client.post(url, json={"answered": False}, headers=hub.auth("mem-a")) \
        .status_code == 204
    unanswered = hub.insights("fac-a").json()["unanswered"]
    assert [g["unmet"] for g in unanswered] == [1]


def test_a_query_holding_a_phone_number_is_stored_redacted(hub: Hub) -> None:
    hub.search("mem-a", "angry teen, mum asked me to call 0412 345 678 back")
    story = hub.search("mem-a", "calm-down script")
    doc = story["results"][0]["id"]
    hub.client.post(f"/api/searches/{story['search_id']}/results/{doc}/feedback",
                    json={"helpful": True, "story": "rang her on 0412 345 678, it helped"},
                    headers=hub.auth("mem-a"))
    texts = [r["text"] for r in _rows(hub, "SELECT text FROM search_texts")]
    stories = [r["story"] for r in _rows(hub, "SELECT story FROM search_results "
                                         "WHERE story IS NOT NULL")]
    assert "angry teen, mum asked me to call [phone removed] back" in texts
    assert stories == ["rang her on [phone removed], it helped"]
    assert not any("345" in t for t in texts + stories)


def test_retention_purges_old_searches(hub: Hub) -> None:
    store = hub.runtime.insights
    old = (datetime.now(UTC) - timedelta(days=91)).isoformat(timespec="seconds")
    store.record(LoggedSearch("old", old, "reader", ("Alpha",), "an old question", "weak",
                              True, "x", ("doc",)))
    hub.search("mem-a", "calm-down script for an angry teenager")
    assert store.count() == 2
    assert purge_expired(hub.runtime) == 1
    assert store.count() == 1
    texts = [r["text"] for r in _rows(hub, "SELECT text FROM search_texts")]
    assert texts == ["calm-down script for an angry teenager"]


def test_insights_off_keeps_nothing(tmp_path: Path, embedder: Embedder,
                                    store_url: str | None) -> None:
    for hub in _hub(tmp_path, embedder, store_url):
        hub.search("mem-a", "calm-down script for an angry teenager")
        assert hub.runtime.insights.count() == 1
        tokens = hub.tokens
    # what was kept goes too
    for hub in _hub(tmp_path, embedder, store_url, tokens, insights=False):
        assert hub.runtime.insights.count() == 0
        found = hub.search("mem-a", "calm-down script for an angry teenager")
        assert found["search_id"] is None
        assert hub.runtime.insights.count() == 0
        page = hub.client.get("/", params={"q": "angry teenager"}, headers=hub.auth("mem-a"))
        assert "Did this answer your question?" not in page.text


def test_a_text_is_quoted_only_when_enough_sessions_asked_it(hub: Hub) -> None:
    secret = "my neighbour's grandson keeps setting fires in the shed"
    for _ in range(3):  # one session, however often, is one searcher
        hub.search("mem-a", secret)
    body = hub.insights("fac-a").json()
    assert secret not in _texts(body)
    group = body["looked-for"][0]
    assert group["searches"] == 3 and group["hidden_texts"] == 1
    assert group["group"] == "(words too personal to show)"  # no word two people used
    hub.search("mem-a2", "grandson keeps setting fires in the shed")  # a close variant
    body = hub.insights("fac-a").json()
    group = body["looked-for"][0]
    assert secret in group["examples"]
    assert "fires" in group["group"] and "neighbour's" not in group["group"]


def test_the_cli_gives_the_report_as_json_and_csv(tmp_path: Path, embedder: Embedder,
                                                  store_url: str | None) -> None:
    for hub in _hub(tmp_path, embedder, store_url, embed_backend="torch"):
        hub.search("mem-a", "calm-down script for an angry teenager")
        hub.search("mem-a2", "calm-down script for an angry teenager")
    env = {"COMMONS_DATA_DIR": str(tmp_path / "data"), "COMMONS_EMBED_BACKEND": "torch"}
    if store_url:
        env["COMMONS_DATABASE_URL"] = store_url
    done = CliRunner().invoke(cli, ["insights", "--json", "--community", "Alpha"], env=env)
    assert done.exit_code == 0, done.output
    body = json.loads(done.output)
    assert body["communities"] == ["Alpha"] and body["searches"] == 2
    assert body["looked-for"][0]["examples"] == "calm-down script for an angry teenager"
    exported = CliRunner().invoke(cli, ["insights", "--csv", "looked-for"], env=env)
    assert exported.output.splitlines()[0] == \
        "group,searches,unmet,searchers,by_month,examples,hidden_texts"


def test_a_tokens_searches_are_linked_within_one_day_only() -> None:
    """A token lasts for months: the secret behind its pseudonym changes with the UTC day,
    while a browser session's is its own cookie."""
    token = HTTPAuthorizationCredentials(scheme="Bearer", credentials="a-long-lived-token")
    today = datetime.now(UTC).date().isoformat()
    assert asyncio.run(get_credential(token)) == f"bearer:{today}:a-long-lived-token"
    assert asyncio.run(get_credential(None, session="cookie-1")) == "cookie-1"
    assert asyncio.run(get_credential(None, pre_session="pre-1")) == "pre-1"
