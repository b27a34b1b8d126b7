"""Search practitioners can trust, through the real app: confidence, language, did-you-mean,
and suggestions that never show a word of a document the caller may not see, nor a name the
personal-data guard flagged in a document its uploader kept."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from search.spelling import speller_for
from service.accounts import Role, add_user
from service.app import create_app
from service.settings import Settings
from store.accounts import Accounts
from store.embedder import Embedder
from store.records import Filters, Viewer
from tests.service.conftest import AUTH

PUBLIC = {
    "co-regulation.md": "# Co-regulation strategies for hypoarousal\n\nWhen a child shuts "
    "down and goes flat (hypoarousal), co-regulation strategies start with the adult: a warm "
    "voice, gentle movement, rhythm and sensory input bring them back into the window of "
    "tolerance.\n",
    "parents.md": "# Engaging parents who never come to meetings\n\nCall parents back at "
    "times that suit them, meet at the school gate, and ask what would help.\n",
}
Hub = tuple[TestClient, dict[str, dict[str, str]]]
PRIVATE_WORD = "marshwillow"  # only in a private document of another user
KEPT_NAME = "Zephyrine"  # a child's name the guard flags; the uploader keeps it


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder
        ) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    data = tmp_path_factory.mktemp("trust") / "data"
    settings = Settings(data_dir=data, api_tokens=AUTH["Authorization"][7:])
    with TestClient(create_app(settings, embedder=embedder)) as client:
        catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
        users = {"admin": AUTH}
        for user in ("owner", "stranger"):
            token = add_user(Accounts(catalog), user, Role.CONTRIBUTOR, ("Early Years",))
            users[user] = {"Authorization": f"Bearer {token}"}
        for name, text in PUBLIC.items():
            upload(client, name, text, AUTH)
        upload(client, "mine.md", f"# The {PRIVATE_WORD} group\n\nOur {PRIVATE_WORD} group "
               "met about bedtime routines.\n", users["owner"], visibility="private")
        kept = upload(client, "case.md", f"# Case discussion\n\n{KEPT_NAME}, aged 7, was upset "
                      "at drop-off; her carer will stay ten minutes longer.\n", AUTH, pii="keep")
        assert any("kept" in w for w in kept["warnings"])  # the guard did flag the name
        yield client, users


def upload(client: TestClient, name: str, text: str, headers: dict[str, str],
           **fields: str) -> dict[str, Any]:
    response = client.post("/api/documents", files={"file": (name, text.encode())},
                           data={"kind": "practice", **fields}, headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def search(client: TestClient, q: str, headers: dict[str, str] | None = None,
           **params: str) -> dict[str, object]:
    response = client.get("/api/search", params={"q": q, **params}, headers=headers or {})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_nonsense_has_no_answer_and_the_page_says_so(hub: Hub) -> None:
    client, _ = hub
    body = search(client, "qwpoeiruty zxmnv florp")
    assert body["confidence"] == "none"
    page = client.get("/", params={"q": "qwpoeiruty zxmnv florp"}).text
    assert "No document here seems to answer" in page
    assert "<details class=\"nearest\">" in page  # the nearest, folded away


def test_answerable_query_is_strong(hub: Hub) -> None:
    client, _ = hub
    body = search(client, "parents never come to meetings")
    assert body["confidence"] == "strong"
    assert body["did_you_mean"] is None and body["searched_for"] is None


def test_french_query_gets_the_notice(hub: Hub) -> None:
    client, _ = hub
    body = search(client, "comment calmer un adolescent en colère")
    assert "French" in str(body["notice"]) and "English only" in str(body["notice"])
    assert body["confidence"] != "strong"
    assert "English only" in client.get("/", params={"q": "comment calmer un enfant "
                                                     "en colère"}).text


def test_misspelled_query_finds_the_right_document(hub: Hub) -> None:
    client, _ = hub
    body = search(client, "co-regultion stratagies for hypoarrousal")
    assert body["did_you_mean"] == body["searched_for"] == \
        "co-regulation strategies for hypoarousal"
    results = body["results"]
    assert isinstance(results, list) and results[0]["title"].startswith("Co-regulation")
    typed = search(client, "co-regultion stratagies for hypoarrousal", as_typed="true")
    assert typed["searched_for"] is None
    page = client.get("/", params={"q": "co-regultion stratagies for hypoarrousal"}).text
    assert "Showing results for" in page and "as_typed=1" in page


def speller_says(client: TestClient, query: str, viewer: Viewer) -> str:
    """The correction the hub's speller makes for a viewer (whatever the confidence)."""
    catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    return str(speller_for(catalog).correct(query, Filters(viewer=viewer)))


def test_a_private_word_is_never_suggested_to_others(hub: Hub) -> None:
    client, users = hub
    query = "marshwilow group"  # one letter short of the private word
    for who in (None, users["stranger"]):
        body = search(client, query, who)
        assert PRIVATE_WORD not in f"{body['did_you_mean']} {body['searched_for']}"
    stranger = Viewer(user_id="stranger", communities=("Early Years",))
    assert PRIVATE_WORD not in speller_says(client, query, stranger)
    # the owner may see the document, so to them the word is suggested: the check can fail
    owner = Viewer(user_id="owner", communities=("Early Years",))
    assert speller_says(client, query, owner) == f"{PRIVATE_WORD} group"


def test_a_name_the_guard_flagged_is_never_suggested(hub: Hub) -> None:
    client, users = hub
    query = "zefyrine drop-off"  # two edits from the kept name
    for who in (None, users["stranger"], users["admin"]):
        body = search(client, query, who)
        assert KEPT_NAME.lower() not in f"{body['did_you_mean']} {body['searched_for']}".lower()
    assert KEPT_NAME.lower() not in speller_says(client, query, Viewer(admin=True)).lower()
    catalog = client.app.state.runtime.index.catalog  # type: ignore[attr-defined]
    rows = catalog.read("SELECT guarded FROM spelling WHERE word = ?", (KEPT_NAME.lower(),))
    assert [r["guarded"] for r in rows] == [1]  # in the dictionary, held back as guarded
    # the same kind of typo of a word in a clean document is corrected
    assert speller_says(client, "hypoarrousal", Viewer(admin=True)) == "hypoarousal"
