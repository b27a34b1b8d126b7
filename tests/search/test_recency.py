"""Questions about the last meeting put the newest session notes first."""

from __future__ import annotations

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.recency import favour_recent, wants_recent
from search.retrieval import SearchOptions, search
from store.records import Kind


def test_recency_questions_are_recognised() -> None:
    for query in ("what did we decide last session about transitions", "latest notes on bail",
                  "most recent meeting of the early years group", "at the previous meeting"):
        assert wants_recent(query), query
    for query in ("transition planning for year 7", "last resort restraint policy",
                  "session notes template", "kid shuts down after a fight at home"):
        assert not wants_recent(query), query


def test_the_newest_close_match_moves_up_and_a_poor_one_does_not() -> None:
    ranking = [("old", 1.0), ("undated", 0.9), ("new", 0.8), ("newest-poor", 0.0),
               ("tail", -1.0)]
    dates = {"old": "2025-01-10", "new": "2026-10-08", "newest-poor": "2026-11-20",
             "tail": "2026-11-21"}
    lifted = favour_recent(ranking, dates, head=4)
    assert [k for k, _ in lifted] == ["new", "old", "undated", "newest-poor", "tail"]
    assert [s for _, s in lifted] == [s for _, s in ranking]  # the scale is kept
    assert favour_recent(ranking, {}, head=4) == ranking  # no dates: nothing moves


def _note(day: str, text: str) -> Item:
    body = f"# Transitions CoP, {day}\n\n## Decisions\n\n{text}\n".encode()
    return Item(source=f"session-notes/early-years/{day}.md", read=lambda: body,
                filename=f"{day}.md",
                overrides=Overrides(kind=Kind.SESSION_NOTE, date=day))


def test_last_session_puts_the_newest_meeting_first(pipeline: Pipeline) -> None:
    pipeline.ingest([
        _note("2026-01-22", "We decided to trial a transition passport for every child moving "
              "to school, with photos of the new classroom and teacher, and a transition "
              "meeting with each family about the move."),
        _note("2026-05-21", "We agreed to keep the transition passport and add a visit to the "
              "school before the move."),
        _note("2026-09-17", "Transitions: the passport stays, and each family now gets a "
              "follow-up call in the first week at school."),
        _note("2026-11-19", "Bail support: the youth workers agreed a new check-in roster for "
              "weekends."),
        _note("2026-03-12", "The calm corner kit is ready for every early years room."),
    ])
    query = "what did we decide last session about transitions"
    recent = search(pipeline.index, query, options=SearchOptions(k=5))
    assert recent[0].document.date == "2026-09-17"  # the newest meeting on transitions
    assert recent[1].document.date != "2026-11-19"  # a newer meeting on another subject
    plain = search(pipeline.index, query, options=SearchOptions(k=5, recency=False))
    assert plain[0].document.date == "2026-01-22"  # without the lift, the wordiest wins
