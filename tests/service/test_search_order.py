"""Results can be put in date order, through the API and on the page."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.service.conftest import AUTH


def test_sort_by_date_puts_the_newest_of_the_best_first(client: TestClient) -> None:
    for day, words in (("2026-02-05", "a bail support plan with the young person"),
                       ("2026-10-08", "bail support reviewed after the summer"),
                       ("2026-04-16", "bail support and a restorative circle")):
        note = f"# Youth Justice CoP {day}\n\nWe discussed {words}.\n".encode()
        answer = client.post("/api/documents", headers=AUTH, files={"file": (f"{day}.md", note)},
                             data={"date": day, "kind": "session-note"})
        assert answer.status_code == 201, answer.text
    by_date = client.get("/api/search", params={"q": "bail support", "sort": "date"}).json()
    assert [h["date"] for h in by_date["results"]] == ["2026-10-08", "2026-04-16", "2026-02-05"]
    best = client.get("/api/search", params={"q": "bail support"}).json()
    assert {h["id"] for h in best["results"]} == {h["id"] for h in by_date["results"]}
    assert client.get("/api/search", params={"q": "bail", "sort": "oldest"}).status_code == 422
    page = client.get("/", params={"q": "bail support", "sort": "date"}).text
    assert '<strong aria-current="true">newest first</strong>' in page
    assert page.index("2026-10-08") < page.index("2026-02-05")
