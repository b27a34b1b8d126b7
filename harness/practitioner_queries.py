"""The practitioner query set (bench/practitioner_queries.jsonl): its rows, its query types
and a reader; tests/test_practitioner_queries.py checks its shape, bench/practitioner.py
measures search on it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

QUERIES = Path(__file__).resolve().parent.parent / "bench" / "practitioner_queries.jsonl"
FIELDS = {"id", "type", "query", "judgments", "twin_of", "page", "note"}  # every row has these
ANSWERABLE = ("everyday", "jargon", "group_decision", "recency", "theory", "pdf_page",
              "misspelled")
UNANSWERABLE = ("offtopic", "non_english")  # nothing in the corpus answers them


@dataclass(frozen=True)
class Query:
    id: str
    type: str
    text: str
    judgments: dict[str, int]  # corpus path -> grade 1-3
    twin_of: str | None = None  # a misspelled query's correctly spelled twin
    page: int | None = None  # the judged PDF's page a pdf_page query points at


def rows(path: Path = QUERIES) -> list[dict[str, Any]]:
    """The set's rows as written, one JSON object a line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query(row["id"], row["type"], row["query"], row["judgments"], row.get("twin_of"),
                  row.get("page")) for row in rows(path)]
