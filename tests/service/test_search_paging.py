"""An answer has a true count, pages that follow on, and facet counts its filters agree with."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.service.conftest import AUTH

COMMUNITIES = ("School Mental Health", "Family Support", "Early Years")
STEPS = ("a phone call home the evening before", "ten minutes in the library first",
         "a named adult at the gate", "a quiet room to settle in", "a visual timetable",
         "a buddy from the same class", "a shorter first week", "a check-in at lunchtime")
AWAY = ("Wing flutter at transonic speeds was measured in the wind tunnel.",
        "The sourdough starter needs feeding twice a day with rye flour.",
        "Our allotment grew courgettes, beans and far too many marrows.")


def _upload(client: TestClient, name: str, text: str, **fields: str) -> None:
    answer = client.post("/api/documents", headers=AUTH, data={"visibility": "public", **fields},
                         files={"file": (name, text.encode())})
    assert answer.status_code == 201, answer.text


def _hub(client: TestClient) -> None:
    """24 notes and practices on school refusal, in three communities, and 3 off-topic notes."""
    for n in range(24):
        step = STEPS[n % len(STEPS)]
        kind = "practice" if n % 4 == 0 else "session-note"
        _upload(client, f"return-{n}.md",
                f"# Graded return to school {n}\n\nA student who refuses school came back with "
                f"{step}. Attendance rose over {n + 2} weeks of a graded return plan.\n",
                kind=kind, community=COMMUNITIES[n % 3])
    for n, text in enumerate(AWAY):
        _upload(client, f"away-{n}.md", f"# Other things {n}\n\n{text}\n", kind="session-note")


def test_pages_follow_on_and_the_count_is_of_what_matches(client: TestClient) -> None:
    _hub(client)
    query = {"q": "graded return for a student refusing school"}
    first = client.get("/api/search", params=query).json()
    assert first["confidence"] == "strong" and first["offset"] == 0
    assert first["total"] == 24  # every note on the subject, none of the off-topic ones
    seen = [h["id"] for h in first["results"]]
    assert len(seen) == 10
    for offset in (10, 20):
        page = client.get("/api/search", params={**query, "offset": offset}).json()
        assert page["total"] == 24 and page["offset"] == offset
        seen += [h["id"] for h in page["results"]]
    assert len(seen) == 24 == len(set(seen))  # no document twice, none left out
    titles = {h["title"] for h in first["results"]}
    assert not any(t.startswith("Other things") for t in titles)
    past = client.get("/api/search", params={**query, "offset": 30}).json()
    assert past["results"] == [] and past["total"] == 24
    assert client.get("/api/search", params={**query, "offset": -1}).status_code == 422


def test_a_facet_count_is_what_its_filter_then_finds(client: TestClient) -> None:
    _hub(client)
    query = {"q": "graded return for a student refusing school"}
    facets = client.get("/api/search", params=query).json()["facets"]
    assert sum(facets["kind"].values()) == 24
    for kind, count in facets["kind"].items():
        found = client.get("/api/search", params={**query, "kind": kind}).json()
        assert found["total"] == count, kind
    for community, count in facets["community"].items():
        found = client.get("/api/search", params={**query, "community": community}).json()
        assert found["total"] == count, community


def test_the_page_says_how_many_and_offers_more(client: TestClient) -> None:
    _hub(client)
    page = client.get("/", params={"q": "graded return for a student refusing school"}).text
    assert "24 documents match. These are 1 to 10, best first" in page
    more = re.search(r'<a class="button" href="([^"]+)">More results', page)
    assert more is not None
    second = client.get(more.group(1).replace("&amp;", "&")).text
    assert "These are 11 to 20" in second and "Previous results" in second
    third = client.get(more.group(1).replace("&amp;", "&").replace("offset=10", "offset=20"))
    assert "These are 21 to 24" in third.text and "More results" not in third.text
