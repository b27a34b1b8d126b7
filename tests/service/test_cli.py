"""The `commons` command line, in-process with typer's runner, on real temporary data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"COMMONS_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "2026-02-05-yj.md").write_text(
        "# Youth Justice CoP\n\n## Actions\n\nSR to circulate the STEPS re-entry one-pager.\n"
    )
    (folder / "2026-03-05-smh.txt").write_text(
        "School Mental Health CoP\n\nCASE DISCUSSION\nA Year 8 student avoids school on "
        "Mondays; the team agreed a graded return starting in the library.\n"
    )
    return folder


def test_ingest_search_docs(env: dict[str, str], notes: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(notes), "--kind", "session-note", "--community", "Mixed"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "2 added" in result.output and "0 failed" in result.output
    again = runner.invoke(app, ["ingest", str(notes), "--kind", "session-note"], env=env)
    assert "2 unchanged" in again.output

    found = runner.invoke(app, ["search", "student who avoids school", "--json", "-k", "1"],
                          env=env)
    body = json.loads(found.output)
    assert body["results"][0]["source"] == "2026-03-05-smh.txt"
    assert body["results"][0]["passages"][0]["heading_path"] == ["CASE DISCUSSION"]

    listed = json.loads(runner.invoke(app, ["docs", "--json"], env=env).output)
    assert {d["date"] for d in listed} == {"2026-02-05", "2026-03-05"}
    assert {d["community"] for d in listed} == {"Mixed"}


def test_ingest_reports_failures_and_exits_nonzero(env: dict[str, str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    result = runner.invoke(app, ["ingest", str(bad), "--kind", "reading"], env=env)
    assert result.exit_code == 1
    assert "1 failed" in result.output and "not a readable PDF" in result.output


def test_missing_path_is_a_clear_error(env: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope")], env=env)
    assert result.exit_code == 2 and "does not exist" in result.output


def test_model_mismatch_names_reindex(env: dict[str, str], notes: Path) -> None:
    runner.invoke(app, ["ingest", str(notes), "--kind", "session-note"], env=env)
    from store.catalog import Catalog

    catalog = Catalog(Path(env["COMMONS_DATA_DIR"]) / "commons.db")
    catalog.set_meta("model", "another-model")
    catalog.close()
    refused = runner.invoke(app, ["search", "school"], env=env)
    assert refused.exit_code == 2 and "commons reindex" in refused.output
    rebuilt = runner.invoke(app, ["reindex"], env=env)
    assert rebuilt.exit_code == 0 and "2 updated" in rebuilt.output
    assert runner.invoke(app, ["search", "school"], env=env).exit_code == 0


def test_eval_on_a_tiny_dataset(env: dict[str, str], tmp_path: Path) -> None:
    data = tmp_path / "tiny"
    (data / "qrels").mkdir(parents=True)
    docs = {
        "d1": ("Attachment", "Infants use a carer as a secure base from which to explore."),
        "d2": ("Resilience", "Resilience arises from ordinary adaptive systems in children."),
        "d3": ("Adverse experiences", "Childhood adversity is linked to adult heart disease."),
    }
    (data / "corpus.jsonl").write_text("\n".join(
        json.dumps({"_id": k, "title": t, "text": x}) for k, (t, x) in docs.items()))
    (data / "queries.jsonl").write_text("\n".join([
        json.dumps({"_id": "q1", "text": "secure base exploration in infants"}),
        json.dumps({"_id": "q2", "text": "childhood adversity and heart disease in adults"}),
    ]))
    (data / "qrels" / "test.tsv").write_text("query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n")
    result = runner.invoke(app, ["eval", str(data), "--json", "--method", "hybrid"], env=env)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output[result.output.index("{"):])
    assert set(report) >= {"ndcg@10", "recall@100", "mrr@10", "chunks_per_s",
                           "query_ms_p50", "query_ms_p95"}
    assert report["ndcg@10"] == 1.0 and report["mrr@10"] == 1.0
    assert report["documents"] == 3


def test_serve_refuses_public_address_without_tokens(env: dict[str, str]) -> None:
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0"], env=env)
    assert result.exit_code == 2 and "COMMONS_API_TOKENS" in result.output


@pytest.mark.parametrize("folder", ["readings", "reading", "Session_Notes/early-years"])
def test_the_folder_named_on_the_command_line_says_the_kind(
        env: dict[str, str], tmp_path: Path, folder: str) -> None:
    named = tmp_path / "saved" / folder
    named.mkdir(parents=True)
    (named / "our-communities-of-practice.txt").write_text(
        "Please visit our events page for details!\n\nOur centre hosts Communities of "
        "Practice where practitioners meet each term to share what works.\n")
    result = runner.invoke(app, ["ingest", str(named)], env=env)
    assert result.exit_code == 0, result.output
    [doc] = json.loads(runner.invoke(app, ["docs", "--json"], env=env).output)
    assert doc["kind"] == ("session-note" if "Notes" in folder else "reading")
    assert doc["title"] == "Our communities of practice"  # never the page's first line
    assert doc["source"] == "our-communities-of-practice.txt"  # sources start below it
    assert doc["community"] == ("Early Years" if "Notes" in folder else None)


def test_a_folder_that_says_no_kind_still_asks_for_one(env: dict[str, str],
                                                        tmp_path: Path) -> None:
    named = tmp_path / "saved" / "downloads"
    named.mkdir(parents=True)
    (named / "page.txt").write_text("Some words about a centre.\n")
    result = runner.invoke(app, ["ingest", str(named)], env=env)
    assert result.exit_code == 1
    assert "cannot tell whether this is a practice" in result.output
