"""The practitioner query set is well formed: enough queries of each kind, judgments that
point at real documents, twins that match, and nothing judged for unanswerable queries.

Shape only; bench/practitioner.py measures how search does on it.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from harness.practitioner_queries import ANSWERABLE, FIELDS, UNANSWERABLE, rows
from ingest.loaders import load
from tests.conftest import REPO

CORPUS = REPO / "corpus"
MINIMUMS = {
    "everyday": 25,
    "jargon": 15,
    "group_decision": 10,
    "recency": 8,
    "theory": 10,
    "pdf_page": 6,
    "misspelled": 20,
    "offtopic": 25,
    "non_english": 5,
}
ROWS = rows()
BY_ID = {row["id"]: row for row in ROWS}


def test_every_row_has_the_fields_and_a_unique_id() -> None:
    assert len(ROWS) >= 200
    assert len(BY_ID) == len(ROWS), "duplicate ids"
    for row in ROWS:
        assert set(row) == FIELDS, row["id"]
        assert row["type"] in MINIMUMS, row["id"]
        assert row["query"].strip(), row["id"]


def test_each_type_is_answerable_or_not() -> None:
    assert sorted((*ANSWERABLE, *UNANSWERABLE)) == sorted(MINIMUMS)


def test_each_type_meets_its_minimum() -> None:
    counts = Counter(row["type"] for row in ROWS)
    short = {t: (counts[t], n) for t, n in MINIMUMS.items() if counts[t] < n}
    assert not short, f"(have, need) per type: {short}"


def test_queries_are_not_repeated() -> None:
    texts = Counter(row["query"].strip().lower() for row in ROWS)
    assert [t for t, n in texts.items() if n > 1] == []


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_judgments_name_existing_documents_with_grades_1_to_3(row: dict[str, Any]) -> None:
    for path, grade in row["judgments"].items():
        assert (CORPUS / path).is_file(), f"{row['id']}: no corpus/{path}"
        assert not path.startswith("_"), f"{row['id']}: {path} is a source, not a document"
        assert grade in (1, 2, 3), f"{row['id']}: grade {grade} for {path}"


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_answerable_queries_have_a_direct_answer_and_unanswerable_ones_none(
    row: dict[str, Any],
) -> None:
    if row["type"] in UNANSWERABLE:
        assert row["judgments"] == {}
        assert row["twin_of"] is None and row["page"] is None
    else:
        assert 3 in row["judgments"].values(), f"{row['id']}: nothing judged 3"


def test_non_english_queries_say_what_they_mean() -> None:
    for row in ROWS:
        if row["type"] == "non_english":
            assert row["note"].strip(), f"{row['id']}: note should give the English meaning"


def test_misspelled_twins_point_to_a_correct_spelling_with_equal_judgments() -> None:
    for row in ROWS:
        if row["type"] != "misspelled":
            assert row["twin_of"] is None, row["id"]
            continue
        twin = BY_ID.get(row["twin_of"])
        assert twin is not None, f"{row['id']}: twin {row['twin_of']} does not exist"
        assert twin["type"] not in {"misspelled", *UNANSWERABLE}, row["id"]
        assert row["judgments"] == twin["judgments"], row["id"]
        assert row["query"] != twin["query"], row["id"]


def test_recency_queries_judge_the_latest_note_highest() -> None:
    """The newest note that is about the subject (judged 2 or 3) is 3, every older one less;
    a newer note that only mentions it in passing (judged 1) does not count."""
    for row in ROWS:
        if row["type"] != "recency":
            continue
        notes = {p: g for p, g in row["judgments"].items()
                 if p.startswith("session-notes/") and g >= 2}
        latest = max(notes, key=lambda p: Path(p).name[:10])
        assert notes[latest] == 3, row["id"]
        older = [g for p, g in notes.items() if p != latest]
        assert all(g < 3 for g in older), f"{row['id']}: an older note is judged 3"


def _pages(path: str) -> int:
    data = (CORPUS / path).read_bytes()
    n_pages = load(data, Path(path).name).n_pages
    assert n_pages is not None
    return n_pages


def test_pdf_page_queries_name_a_page_of_their_pdf() -> None:
    for row in ROWS:
        if row["type"] != "pdf_page":
            assert row["page"] is None or row["type"] == "misspelled", row["id"]
            continue
        pdfs = [p for p, g in row["judgments"].items() if g == 3 and p.endswith(".pdf")]
        assert len(pdfs) == 1, f"{row['id']}: exactly one PDF should be judged 3"
        page = row["page"]
        assert isinstance(page, int) and 1 <= page <= _pages(pdfs[0]), row["id"]
