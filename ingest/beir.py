"""Reading a BEIR-layout dataset: corpus.jsonl, queries.jsonl, qrels/test.tsv."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.models import Overrides, PiiDecision
from ingest.pipeline import Item
from store.records import Kind


@dataclass(frozen=True)
class Dataset:
    name: str
    corpus: dict[str, tuple[str, str]]  # id -> (title, text)
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def load_dataset(folder: Path, split: str = "test") -> Dataset:
    missing = [
        name
        for name in ("corpus.jsonl", "queries.jsonl", f"qrels/{split}.tsv")
        if not (folder / name).exists()
    ]
    if missing:
        raise FileNotFoundError(
            f"'{folder}' is not a BEIR-layout dataset: missing {', '.join(missing)}"
        )
    corpus: dict[str, tuple[str, str]] = {}
    with (folder / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                corpus[str(row["_id"])] = (row.get("title") or "", row.get("text") or "")
    queries: dict[str, str] = {}
    with (folder / "queries.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                queries[str(row["_id"])] = row["text"]
    qrels: dict[str, dict[str, int]] = {}
    with (folder / "qrels" / f"{split}.tsv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t")
        for row in reader:
            if not row or row[0] == "query-id":
                continue
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    queries = {q: t for q, t in queries.items() if q in qrels}
    return Dataset(folder.name, corpus, queries, qrels)


def _constant(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def corpus_items(dataset: Dataset) -> Iterator[Item]:
    """Each corpus record as a text file with front matter, through the normal pipeline."""
    for doc_id, (title, text) in dataset.corpus.items():
        # the record's id in its front matter: two records with the same text stay two
        # documents (CISI has such pairs, and both are judged), not one and a duplicate
        header = yaml.safe_dump({"title": title or doc_id, "record": doc_id},
                                allow_unicode=True, width=10_000)
        data = f"---\n{header}---\n{text}\n".encode()
        yield Item(
            source=doc_id,
            read=_constant(data),
            filename=f"{doc_id}.txt",
            # published abstracts cite authors by name: kept, as the uploader of a reading would
            overrides=Overrides(kind=Kind.READING, pii=PiiDecision.KEEP),
        )
