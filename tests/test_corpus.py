"""The bundled corpus ingests without failure and answers plain-language questions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from harness.corpus_queries import QUERIES
from service.cli import app
from service.runtime import Runtime, open_runtime
from service.settings import Settings
from store.records import Filters
from tests.conftest import REPO

CORPUS = REPO / "corpus"


@pytest.fixture(scope="module")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    data = tmp_path_factory.mktemp("corpus-data")
    result = CliRunner().invoke(
        app, ["ingest", str(CORPUS), "--json"], env={"COMMONS_DATA_DIR": str(data)}
    )
    yield data, result.output


def test_every_corpus_file_ingests(corpus_data: tuple[Path, str]) -> None:
    _, output = corpus_data
    report = json.loads(output[output.index("{"):])
    supported = [
        p for p in CORPUS.rglob("*")
        if p.suffix in {".md", ".txt", ".pdf", ".docx"} and p.name != "README.md"
        and not any(part.startswith("_") for part in p.relative_to(CORPUS).parts)
    ]
    assert report["summary"]["failed"] == 0, [r for r in report["results"] if r["reason"]]
    assert report["summary"]["added"] == len(supported) >= 43
    kinds = [r["source"].split("/")[0] for r in report["results"]]
    assert kinds.count("practices") >= 20
    assert kinds.count("session-notes") >= 12
    assert kinds.count("readings") >= 10


@pytest.fixture(scope="module")
def hub(corpus_data: tuple[Path, str]) -> Iterator[Runtime]:
    """The hub as `commons serve` opens it: default settings, default embedding backend."""
    runtime = open_runtime(Settings(data_dir=corpus_data[0]))
    yield runtime
    runtime.close()


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_plain_language_query_finds_its_document(
    hub: Runtime, query: str, expected: str
) -> None:
    hits = hub.search(query, Filters(), k=3)
    assert expected in [h.document.source for h in hits], [h.document.source for h in hits]
