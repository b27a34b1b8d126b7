"""Passages with content come first: citations, reference lists and bare headings after."""

from __future__ import annotations

from ingest.models import Overrides
from ingest.pipeline import Item, Pipeline
from search.models import Passage
from search.passages import WEAK, content_first, reference_likeness
from search.retrieval import SearchOptions, search
from store.records import Filters, Kind

CITATION = ("Wenger, E. (1998). Communities of practice: Learning, meaning, and identity. "
            "Cambridge University Press. https://doi.org/10.1017/CBO9780511803932")
REFERENCES = """- Lave, J., & Wenger, E. (1991). Situated learning: Legitimate peripheral
participation. Cambridge University Press.
- Akkerman, S. F., & Bakker, A. (2011). Boundary crossing and boundary objects. Review of
Educational Research, 81(2), 132-169.
- Masten, A. S. (2001). Ordinary magic. American Psychologist, 56(3), 227-238."""
PROSE = ("Newcomers learn by taking part in the real work of a community of practice, first in "
         "small and low-risk ways, then more fully as their standing grows. Give them a real "
         "task in the first meeting and a named person to sit with.")


def test_citations_and_reference_lists_read_as_references() -> None:
    assert reference_likeness(CITATION) >= WEAK
    assert reference_likeness(REFERENCES) >= WEAK
    assert reference_likeness(PROSE) < WEAK


def test_a_citation_followed_by_a_summary_is_content() -> None:
    assert reference_likeness(CITATION + "\n" + PROSE + " " + PROSE) < WEAK


def test_reference_headings_and_bare_headings() -> None:
    assert reference_likeness(PROSE, ("Brief", "Further reading")) == 1.0
    assert reference_likeness(PROSE, ("References",)) == 1.0
    assert reference_likeness(PROSE, ("Key ideas",)) < WEAK
    assert reference_likeness("Key ideas") == 1.0
    assert reference_likeness("") == 1.0


def passage(chunk_id: str, text: str, score: float) -> Passage:
    return Passage(chunk_id=chunk_id, text=text, score=score)


def test_content_first_demotes_but_never_drops() -> None:
    ranked = [passage("d:0", CITATION, 0.9), passage("d:1", REFERENCES, 0.8),
              passage("d:2", PROSE, 0.5), passage("d:3", PROSE + " Again.", 0.4)]
    assert [p.chunk_id for p in content_first(ranked)] == ["d:2", "d:3", "d:0", "d:1"]
    only_references = ranked[:2]
    assert content_first(only_references) == tuple(only_references)


BRIEF = f"""# Brief: Communities of Practice (Wenger, 1998)

## Citation

{CITATION}

## Key ideas

{PROSE}

The community of practice is where a practitioner's identity forms, Wenger argues: people
become who they are by taking part, not by reading procedures.

## References

{REFERENCES}
"""


def test_a_bibliography_chunk_is_not_the_first_passage(pipeline: Pipeline) -> None:
    data = BRIEF.encode()
    pipeline.ingest([Item(source="readings/wenger.md", read=lambda: data, filename="wenger.md",
                          overrides=Overrides(kind=Kind.READING))])
    query = "Wenger 1998 communities of practice Cambridge University Press"
    (hit,) = search(pipeline.index, query, Filters(), SearchOptions(k=1))
    first, *rest = hit.passages
    assert first.heading_path[-1] == "Key ideas"
    # the citation matched, and better: it was demoted, not lost
    citation = next(p for p in rest if p.heading_path[-1] == "Citation")
    assert citation.score > first.score
    assert "<mark>Wenger</mark>" in first.snippet
