"""Who sees what: every role x visibility x endpoint, through the real service, on the
embedded store and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from harness.postgres_server import fresh_database
from service.accounts import Role, add_user
from service.app import create_app
from service.settings import Settings
from store.accounts import Accounts
from store.audit import AuditLog
from store.embedder import Embedder
from tests.service.conftest import AUTH

DOCS = {  # name: (marker word, community, visibility, uploader)
    "pub": ("zebrafinch", "Early Years", "public", "admin"),
    "ey-comm": ("kookaburra", "Early Years", "community", "contrib-ey"),
    "ey-priv": ("lyrebird", "Early Years", "private", "contrib-ey"),
    "yj-comm": ("cassowary", "Youth Justice", "community", "fac-yj"),
}
SEES = {
    "anonymous": {"pub"},
    "reader-ey": {"pub", "ey-comm"},
    "contrib-ey": {"pub", "ey-comm", "ey-priv"},
    "reader-yj": {"pub", "yj-comm"},
    "fac-yj": {"pub", "yj-comm"},
    "admin": set(DOCS),
}


Hub = tuple[TestClient, dict[str, dict[str, str]], dict[str, str]]  # client, headers, ids


@pytest.fixture(scope="module", params=["embedded", "postgresql"])
def hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
        embedder: Embedder) -> Iterator[Hub]:
    data = tmp_path_factory.mktemp("matrix") / "data"
    url = (fresh_database(request.getfixturevalue("postgres_server"))
           if request.param == "postgresql" else None)
    settings = Settings(data_dir=data, api_tokens=AUTH["Authorization"][7:], database_url=url)
    with TestClient(create_app(settings, embedder=embedder)) as client:
        catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
        headers = {"anonymous": {}, "admin": AUTH}
        for user, role, community in [
            ("reader-ey", Role.READER, "Early Years"),
            ("contrib-ey", Role.CONTRIBUTOR, "Early Years"),
            ("reader-yj", Role.READER, "Youth Justice"),
            ("fac-yj", Role.FACILITATOR, "Youth Justice"),
        ]:
            token = add_user(Accounts(catalog), user, role, (community,))
            headers[user] = {"Authorization": f"Bearer {token}"}
        ids = {}
        for name, (marker, community, visibility, uploader) in DOCS.items():
            body = (f"# Note {marker}\n\n## Discussion\n\nThe {marker} group talked about "
                    "bedtime routines and calm transitions for young children.\n").encode()
            response = client.post(
                "/api/documents", files={"file": (f"{name}.md", body)},
                data={"community": community, "visibility": visibility},
                headers=headers[uploader])
            assert response.status_code == 201, response.text
            ids[name] = response.json()["id"]
        yield client, headers, ids


@pytest.mark.parametrize("who", list(SEES))
def test_each_role_sees_exactly_what_it_may(
    hub: tuple[TestClient, dict[str, dict[str, str]], dict[str, str]], who: str
) -> None:
    client, headers, ids = hub
    h = headers[who]
    seen = SEES[who]
    name_of = {v: k for k, v in ids.items()}

    for method in ("bm25", "dense", "hybrid"):
        found = client.get("/api/search", params={"q": "bedtime routines group", "k": 10,
                                                  "method": method}, headers=h).json()
        assert {name_of[r["id"]] for r in found["results"]} == seen, method
        assert sum(found["facets"]["kind"].values()) == len(seen)
    for name, (marker, _community, _, _) in DOCS.items():
        hits = client.get("/api/search", params={"q": marker, "method": "bm25"},
                          headers=h).json()["results"]
        assert (ids[name] in [r["id"] for r in hits]) is (name in seen), (name, "search")
        for path in (f"/api/documents/{ids[name]}", f"/api/documents/{ids[name]}/file",
                     f"/api/documents/{ids[name]}/related"):
            status = client.get(path, headers=h).status_code
            assert status == (200 if name in seen else 404), (name, path)
    listed = client.get("/api/documents", headers=h).json()
    assert {name_of[d["id"]] for d in listed["items"]} == seen and listed["total"] == len(seen)
    related = client.get(f"/api/documents/{ids['pub']}/related", params={"k": 10},
                         headers=h).json()["results"]
    assert {name_of[r["id"]] for r in related} == seen - {"pub"}
    assert client.get("/api/stats", headers=h).json()["documents"] == len(seen)
    assert client.get("/api/health", headers=h).json()["documents"] == len(seen)
    empty = client.get("/api/search", params={"q": ""}, headers=h).json()
    assert sum(empty["facets"]["community"].values()) == len(seen)


def test_who_may_change_what(
    hub: tuple[TestClient, dict[str, dict[str, str]], dict[str, str]]
) -> None:
    client, headers, ids = hub
    note = {"file": ("x.md", b"# A reader's note\n\nShould not get in.")}
    assert client.post("/api/documents", files=note, headers=headers["reader-ey"]
                       ).status_code == 403
    assert client.patch(f"/api/documents/{ids['pub']}", json={"title": "no"},
                        headers=headers["contrib-ey"]).status_code == 403
    assert client.patch(f"/api/documents/{ids['ey-comm']}", json={"title": "no"},
                        headers=headers["fac-yj"]).status_code == 404  # cannot even see it
    assert client.patch(f"/api/documents/{ids['yj-comm']}", json={"tags": ["checked"]},
                        headers=headers["fac-yj"]).status_code == 200
    assert client.patch(f"/api/documents/{ids['ey-priv']}", json={"visibility": "community"},
                        headers=headers["contrib-ey"]).status_code == 200
    hits = client.get("/api/search", params={"q": "lyrebird", "method": "dense"},
                      headers=headers["reader-ey"]).json()["results"]
    assert ids["ey-priv"] in [h["id"] for h in hits]  # now shared with the community
    catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    actions = [(e.actor, e.action) for e in AuditLog(catalog).entries(100)]
    assert ("contrib-ey", "upload") in actions and ("fac-yj", "change") in actions
    assert ("reader-ey", "download") in actions
    # the store refuses (SQLite's trigger, or PostgreSQL's)
    with pytest.raises(Exception, match="append-only"), catalog.transaction() as db:
        db.execute("DELETE FROM audit")


def test_tokens_are_stored_hashed(
    hub: tuple[TestClient, dict[str, dict[str, str]], dict[str, str]], tmp_path: Path
) -> None:
    client, headers, _ = hub
    catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    raw = headers["reader-ey"]["Authorization"][7:]
    stored = {row["token_hash"] for row in catalog.read("SELECT token_hash FROM users")}
    assert raw not in stored and len(stored) == 4
    assert client.get("/api/documents", headers={"Authorization": "Bearer nope"}
                      ).status_code == 401
