"""The bundled corpus ingests without failure and answers plain-language questions."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
import yaml
from typer.testing import CliRunner

from harness.corpus_queries import QUERIES
from search.confidence import Confidence
from search.spelling import speller_for
from search.trust import trusted_search
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
        if p.suffix in {".md", ".txt", ".pdf", ".docx", ".png", ".jpg", ".jpeg", ".heic"}
        and p.name != "README.md"
        and not any(part.startswith("_") for part in p.relative_to(CORPUS).parts)
    ]
    assert report["summary"]["failed"] == 0, [r for r in report["results"] if r["reason"]]
    assert report["summary"]["added"] == len(supported) >= 150
    kinds = [r["source"].split("/")[0] for r in report["results"]]
    assert kinds.count("practices") >= 60
    assert kinds.count("session-notes") >= 60
    assert kinds.count("readings") >= 25


def test_session_notes_run_over_18_months_in_seven_communities() -> None:
    notes = sorted(p for p in (CORPUS / "session-notes").rglob("*.*"))
    communities = {p.parent.name for p in notes}
    assert len(communities) >= 7, communities
    days = sorted(dt.date.fromisoformat(p.name[:10]) for p in notes)
    assert (days[-1] - days[0]).days >= 18 * 30, (days[0], days[-1])


def test_long_readings_are_pdfs_of_15_pages_or_more() -> None:
    pages = {p.name: len(pypdf.PdfReader(p).pages) for p in (CORPUS / "readings").glob("*.pdf")}
    assert len([n for n in pages.values() if n >= 15]) >= 4, pages


def controlled_tags() -> set[str]:
    """The tag list of corpus/README.md: the first column of its Tags table."""
    text = (CORPUS / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Tags") :]
    return set(re.findall(r"^\| `([a-z-]+)` \|", section, re.MULTILINE))


def test_every_document_is_tagged_from_the_controlled_list() -> None:
    allowed = controlled_tags()
    assert 20 <= len(allowed) <= 50
    for path in CORPUS.rglob("*.md"):
        if path.name == "README.md":
            continue
        match = re.match(r"\A---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.DOTALL)
        assert match, path
        tags = yaml.safe_load(match.group(1)).get("tags", [])
        assert 2 <= len(tags) <= 5, path
        assert set(tags) <= allowed, (path, set(tags) - allowed)


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


@pytest.mark.parametrize("query", ["dog barks all night at the neighbours",
                                   "wedding speech ideas for my brother"])
def test_near_in_meaning_but_about_something_else_is_not_strong(
    hub: Runtime, query: str
) -> None:
    """A passage about nights or families comes near; no document holds the query's subject,
    and no reading of its words as the hub's ("barks" as "banks") makes it an answer."""
    plain = trusted_search(hub.index, query, options=hub.search_options())
    assert plain.evidence.best_cosine is not None and plain.evidence.best_cosine >= 0.40
    answer = trusted_search(hub.index, query, options=hub.search_options(),
                            speller=speller_for(hub.index.catalog))
    assert answer.confidence is not Confidence.STRONG, (answer.searched_for, answer.evidence)


def test_jargon_answered_by_its_reading_is_strong(hub: Runtime) -> None:
    answer = trusted_search(hub.index, "boundary objects and brokers",
                            options=hub.search_options())
    assert answer.confidence is Confidence.STRONG, answer.evidence
