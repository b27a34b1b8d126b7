"""Questions about the last meeting put the newest session notes first."""

from __future__ import annotations

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.models import Kind
from search.recency import favour_recent, wants_recent
from search.retrieval import SearchOptions, search


def test_recency_questions_are_recognised() -> None:
    for query in ("what did we decide last session about transitions", "latest notes on bail",
                  "most recent meeting of the early years group", "at the previous meeting"):
        assert wants_recent(query), query
    for query in ("transition planning for year 7", "last resort restraint policy",
                  "session notes template", "kid shuts down after a fight at home"):
        assert not wants_recent(query), query


def test_the_newest_of_the_head_moves_up_and_undated_ones_keep_their_place() -> None:
    ranking = [("old", 1.0), ("undated", 0.9), ("new", 0.8), ("tail", 0.1)]
    dates = {"old": "2025-01-10", "new": "2026-10-08", "tail": "2026-11-01"}
    lifted = favour_recent(ranking, dates, head=3)
    assert [k for k, _ in lifted] == ["new", "old", "undated", "tail"]
    assert favour_recent(ranking, {}, head=3) == ranking  # no dates: nothing moves


def _note(day: str, text: str) -> Item:
    body = f"# Transitions CoP, {day}\n\n## Decisions\n\n{text}\n".encode()
    return Item(source=f"session-notes/early-years/{day}.md", read=lambda: body,
                filename=f"{day}.md",
                overrides=Overrides(kind=Kind.SESSION_NOTE.value, date=day))


def test_last_session_puts_the_newest_meeting_first(pipeline: Pipeline) -> None:
    pipeline.ingest([
        _note("2026-01-22", "We decided to trial a transition passport for every child moving "
              "to school, with photos of the new classroom and teacher, and a transition "
              "meeting with each family about the move."),
        _note("2026-05-21", "We agreed to keep the transition passport and add a visit to the "
              "school before the move."),
        _note("2026-10-08", "A short catch-up: the passport carries on as it is."),
    ])
    recent = search(pipeline.index, "what did we decide last session about transitions",
                    options=SearchOptions(k=3))
    assert recent[0].document.date == "2026-10-08"
    plain = search(pipeline.index, "what did we decide last session about transitions",
                   options=SearchOptions(k=3, recency=False))
    assert plain[0].document.date != "2026-10-08"  # without the lift, the wordiest wins
