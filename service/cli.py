"""The `commons` command line."""

from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.errors import IngestError, MetadataError
from ingest.files import discover
from ingest.metadata import parse_kind
from ingest.models import IngestResult, Outcome, Overrides, PiiDecision
from search.confidence import Confidence
from search.listing import LIST_DEPTH
from search.models import Hit, Method
from service.accounts import COMMAND_LINE
from service.insights_tables import Table as InsightsTable
from service.insights_tables import as_json as insights_json
from service.insights_tables import table as insights_table
from service.operations import documents, insights, searching, tags, trash, users
from service.operations.searching import SearchRequest
from service.runtime import (
    Runtime,
    make_embedder,
    model_needs_preparing,
    open_runtime,
    search_options,
)
from service.settings import Settings
from store.errors import AlreadyExistsError, DocumentNotFoundError, SearchError
from store.records import Filters, Kind, Visibility

app = typer.Typer(
    help="Practice Commons: ingest practices, session notes and readings; search them.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


PREPARING = "Preparing the search model (once per data folder, about 10 to 30 s)"


@contextmanager
def _preparing(settings: Settings, reindex: bool = False) -> Iterator[None]:
    """A spinner and a word while the model is prepared (once per data folder), else nothing."""
    if not model_needs_preparing(settings, configured_only=reindex):
        yield
        return
    with err.status(PREPARING + "..."):
        yield
    err.print(PREPARING + ": done.")


def _open(adopt_model: bool = False) -> Runtime:
    settings = Settings()
    try:
        with _preparing(settings, reindex=adopt_model):
            return open_runtime(settings, adopt_model=adopt_model)
    except (SearchError, FileNotFoundError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _kind(value: str | None) -> Kind | None:
    if value is None:
        return None
    try:
        return parse_kind(value)
    except MetadataError as exc:
        raise typer.BadParameter(str(exc)) from exc


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err,
        transient=False,
    )


def _summary(results: list[IngestResult], as_json: bool) -> None:
    counts = Counter(r.outcome.value for r in results)
    if as_json:
        console.print_json(
            json.dumps(
                {
                    "summary": {o.value: counts.get(o.value, 0) for o in Outcome},
                    "results": [
                        {
                            "source": r.source,
                            "outcome": r.outcome.value,
                            "reason": r.reason,
                            "id": r.document.id if r.document else None,
                            "warnings": list(r.warnings),
                        }
                        for r in results
                    ],
                }
            )
        )
        return
    for r in results:
        if r.outcome is Outcome.FAILED:
            err.print(f"[red]failed[/red]    {r.source}: {r.reason}")
        elif r.outcome is Outcome.DUPLICATE:
            err.print(f"[yellow]duplicate[/yellow] {r.source}: {r.reason}")
        for warning in r.warnings:
            err.print(f"[yellow]warning[/yellow]   {r.source}: {warning}")
    parts = [f"{counts.get(o.value, 0)} {o.value}" for o in Outcome]
    console.print("Ingest summary: " + ", ".join(parts))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    kind: Annotated[str | None, typer.Option(help="practice, session-note or reading.")] = None,
    community: Annotated[
        str | None, typer.Option(help="Community the documents belong to.")
    ] = None,
    prune: Annotated[
        bool, typer.Option(help="Remove documents whose source file is gone.")
    ] = False,
    pii: Annotated[
        str | None, typer.Option(help="Personal data found: 'redact' it or 'keep' it.")
    ] = None,
    visibility: Annotated[str | None, typer.Option(
        help="public, community or private. Default: each file's own, else public (a folder "
        "ingested by an admin is shared as it is; uploads follow COMMONS_*_VISIBILITY).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Ingest files (Markdown, text, PDF, Word) into the index; unchanged files are skipped."""
    for path in paths:
        if not path.exists():
            err.print(f"[red]error:[/red] '{path}' does not exist")
            raise typer.Exit(2)
    if pii not in (None, "redact", "keep"):
        raise typer.BadParameter("--pii is 'redact' or 'keep'")
    try:
        chosen = Visibility(visibility.lower()) if visibility else None
    except ValueError as exc:
        raise typer.BadParameter("--visibility is public, community or private") from exc
    overrides = Overrides(kind=_kind(kind), community=community,
                          pii=PiiDecision(pii) if pii else None, visibility=chosen)
    items = list(discover(paths, overrides))
    runtime = _open()
    results: list[IngestResult] = []
    if prune:
        present = {i.source for i in items}
        results += runtime.pipeline.prune(present, keep=lambda s: s.startswith("upload:"))
    with _progress() as bar:
        task = bar.add_task("Ingesting", total=len(items), current="")

        def advance(result: IngestResult) -> None:
            bar.update(task, advance=1, current=result.source)

        results += runtime.pipeline.ingest(items, progress=advance)
    runtime.close()
    _summary(results, as_json)
    if any(r.outcome is Outcome.FAILED for r in results):
        raise typer.Exit(1)


def _hit_json(hit: Hit) -> dict[str, object]:
    doc = hit.document
    return {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind.value,
        "source": doc.source,
        "community": doc.community,
        "date": doc.date,
        "score": round(hit.score, 5),
        "passages": [
            {
                "text": p.text,
                "snippet": p.snippet,
                "heading_path": list(p.heading_path),
                "page_start": p.page_start,
                "page_end": p.page_end,
            }
            for p in hit.passages
        ],
    }


def _where(heading_path: tuple[str, ...], page_start: int | None, page_end: int | None) -> str:
    parts = [" > ".join(heading_path)] if heading_path else []
    if page_start is not None:
        pages = f"p. {page_start}" if page_start == page_end else f"pp. {page_start}-{page_end}"
        parts.append(pages)
    return ", ".join(parts)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What you are looking for, in plain words.")],
    kind: Annotated[str | None, typer.Option(help="practice, session-note or reading.")] = None,
    community: Annotated[str | None, typer.Option()] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only documents with this tag.")] = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of documents.")] = 5,
    offset: Annotated[int, typer.Option(min=0, max=LIST_DEPTH,
                                        help="Skip this many listed documents.")] = 0,
    method: Annotated[
        Method | None, typer.Option(help="Default: rerank with a reranker, else hybrid.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    as_typed: Annotated[
        bool, typer.Option("--as-typed", help="Never search a spelling correction instead.")
    ] = False,
) -> None:
    """Search in plain language; results are grouped by document with their best passages."""
    runtime = _open()
    try:
        found = searching.search(runtime, COMMAND_LINE, SearchRequest(
            query, kind=_kind(kind), community=community, tags=tuple(tag or ()), k=k,
            offset=offset, method=method, as_typed=as_typed))
    finally:
        runtime.close()
    hits = found.hits
    if as_json:
        console.print_json(json.dumps({
            "query": query, "results": [_hit_json(h) for h in hits],
            "confidence": found.confidence.value, "notice": found.notice,
            "did_you_mean": found.did_you_mean, "searched_for": found.searched_for,
            "total": found.total, "offset": found.offset,
        }))
        return
    if found.searched_for:
        console.print(f"Showing results for [bold]{found.searched_for}[/bold] "
                      f"(search instead for {query!r} with --as-typed).")
    elif found.did_you_mean:
        console.print(f"Did you mean [bold]{found.did_you_mean}[/bold]?")
    if found.notice:
        console.print(f"[yellow]{found.notice}[/yellow]")
    if not hits:
        console.print("No results. Try other words, or drop a filter.")
        return
    if found.confidence is Confidence.NONE:
        console.print("[yellow]No document here seems to answer this. The nearest:[/yellow]")
    elif found.confidence is Confidence.WEAK:
        console.print("[yellow]These may only partly answer your question.[/yellow]")
    if found.total:
        console.print(f"{found.total} documents match; {found.offset + 1}-"
                      f"{found.offset + len(hits)} of them:" if found.total > len(hits)
                      else f"{found.total} document{'s' if found.total != 1 else ''} match:")
    for rank, hit in enumerate(hits, start=found.offset + 1):
        doc = hit.document
        console.print(
            f"[bold]{rank}. {doc.title}[/bold]  [dim]{doc.kind.value} · {doc.source}"
            f"{' · ' + doc.community if doc.community else ''}[/dim]"
        )
        for p in hit.passages[:2]:
            where = _where(p.heading_path, p.page_start, p.page_end)
            text = p.text.replace("\n", " ")
            console.print(
                f"   [cyan]{where or '—'}[/cyan]: {text[:240]}{'…' if len(text) > 240 else ''}",
                highlight=False,
            )


@app.command()
def docs(
    kind: Annotated[str | None, typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the documents in the index."""
    runtime = _open()
    listed = runtime.index.catalog.documents(Filters(kind=_kind(kind)), sort="title")
    runtime.close()
    if as_json:
        console.print_json(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "title": d.title,
                        "kind": d.kind.value,
                        "source": d.source,
                        "community": d.community,
                        "date": d.date,
                        "tags": list(d.tags),
                        "visibility": d.visibility.value,
                    }
                    for d in listed
                ]
            )
        )
        return
    table = Table("id", "kind", "title", "source", "date")
    for d in listed:
        table.add_row(d.id, d.kind.value, d.title, d.source, d.date or "")
    console.print(table)
    console.print(f"{len(listed)} documents")


@app.command()
def reindex() -> None:
    """Rebuild every document from its stored original, e.g. after changing the model."""
    runtime = _open(adopt_model=True)
    total = runtime.index.catalog.count() + len(runtime.index.catalog.pending())
    with _progress() as bar:
        task = bar.add_task("Reindexing", total=total, current="")
        results = runtime.pipeline.reindex(
            progress=lambda r: bar.update(task, advance=1, current=r.source)
        )
    runtime.close()
    _summary(results, as_json=False)
    if any(r.outcome is Outcome.FAILED for r in results):
        raise typer.Exit(1)


users_app = typer.Typer(help="Accounts: who may read, upload and manage documents.",
                        no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    user_id: Annotated[str, typer.Argument(help="A short id, e.g. jm.early-years")],
    role: Annotated[str, typer.Option(help="reader, contributor, facilitator or admin")],
    community: Annotated[list[str] | None, typer.Option(help="Repeat for several.")] = None,
) -> None:
    """Add a user and print their API token (shown once; only its hash is stored)."""
    from service.accounts import Role

    try:
        chosen = Role(role)
    except ValueError as exc:
        raise typer.BadParameter("role is reader, contributor, facilitator or admin") from exc
    runtime = _open()
    try:
        token = users.add(runtime, COMMAND_LINE, user_id, chosen, tuple(community or ()))
    except (ValueError, AlreadyExistsError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    console.print(f"Added {user_id} ({role}). Their token, shown only now:")
    print(token)


@users_app.command("list")
def users_list() -> None:
    """List users, their roles and communities."""
    runtime = _open()
    try:
        found = users.listing(runtime, COMMAND_LINE)
    finally:
        runtime.close()
    table = Table("id", "role", "communities", "created")
    for u in found:
        table.add_row(u.id, u.role.value, ", ".join(u.communities), u.created_at)
    console.print(table)


tags_app = typer.Typer(help="Tags: the ones in use, and merging near-duplicates.",
                       no_args_is_help=True)
app.add_typer(tags_app, name="tags")


@tags_app.command("list")
def tags_list() -> None:
    """List the tags in use, most used first, with their number of documents."""
    runtime = _open()
    try:
        counts = tags.in_use(runtime, COMMAND_LINE)
    finally:
        runtime.close()
    table = Table("tag", "documents")
    for name, count in counts.items():
        table.add_row(name, str(count))
    console.print(table)


@tags_app.command("merge")
def tags_merge(
    source: Annotated[str, typer.Argument(help="The tag to retire, e.g. aces")],
    target: Annotated[str, typer.Argument(help="The tag to keep, e.g. trauma-informed")],
) -> None:
    """Replace one tag by another on every document (each change is in the audit log)."""
    runtime = _open()
    try:
        done = tags.merge(runtime, COMMAND_LINE, source, target)
    except MetadataError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    console.print(done.summary())


trash_app = typer.Typer(help="The trash: deleted documents, restorable for "
                        "COMMONS_TRASH_DAYS days.", no_args_is_help=True)
app.add_typer(trash_app, name="trash")


@trash_app.command("list")
def trash_list() -> None:
    """Deleted documents, most recently deleted first, with when they go for good."""
    runtime = _open()
    try:
        items = trash.in_trash(runtime, COMMAND_LINE)
        days = runtime.settings.trash_days
    finally:
        runtime.close()
    if not items:
        console.print("The trash is empty.")
        return
    table = Table("id", "title", "deleted", "by", "removed for good after", box=None)
    for t in items:
        until = datetime.fromisoformat(t.trashed_at) + timedelta(days=days)
        table.add_row(t.document.id, t.document.title, t.trashed_at[:16].replace("T", " "),
                      t.trashed_by, until.date().isoformat())
    console.print(table)


@trash_app.command("restore")
def trash_restore(doc_id: Annotated[str, typer.Argument(help="Its id, from 'commons trash "
                                                        "list'.")]) -> None:
    """Bring a document back from the trash, searchable again."""
    runtime = _open()
    try:
        doc = trash.restore(runtime, COMMAND_LINE, doc_id)
    except (IngestError, DocumentNotFoundError) as exc:
        reason = f"no document '{doc_id}' is in the trash (see 'commons trash list')" \
            if isinstance(exc, DocumentNotFoundError) else str(exc)
        err.print(f"[red]error:[/red] {reason}")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    console.print(f"Restored '{doc.title}' ({doc.source}); it can be found in search again.")


@trash_app.command("empty")
def trash_empty(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove every document in the trash for good, with its original."""
    runtime = _open()
    try:
        count = len(runtime.index.catalog.trashed())
        if count and not yes and not typer.confirm(
                f"Remove {count} document{'s' if count != 1 else ''} for good?"):
            raise typer.Exit(1)
        gone = trash.empty(runtime, COMMAND_LINE)
    finally:
        runtime.close()
    console.print(f"Removed {len(gone)} document{'s' if len(gone) != 1 else ''} for good.")


@users_app.command("remove")
def users_remove(user_id: Annotated[str, typer.Argument()]) -> None:
    """Remove a user; their token stops working at once."""
    runtime = _open()
    try:
        removed = users.remove(runtime, COMMAND_LINE, user_id)
    finally:
        runtime.close()
    if not removed:
        err.print(f"[red]error:[/red] no user '{user_id}'")
        raise typer.Exit(2)
    console.print(f"Removed {user_id}")


@app.command()
def audit(limit: Annotated[int, typer.Option(min=1)] = 50,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Who uploaded, changed, deleted, downloaded or exported what, and when (newest first)."""
    runtime = _open()
    try:
        entries = users.audit_entries(runtime, COMMAND_LINE, limit)
    finally:
        runtime.close()
    if as_json:
        console.print_json(json.dumps([dataclasses.asdict(e) for e in entries]))
        return
    table = Table("when", "who", "action", "document", "detail")
    for e in entries:
        table.add_row(e.at, e.actor, e.action, e.doc_id or "", e.detail)
    console.print(table)


@app.command(name="insights")
def insights_command(
    community: Annotated[str | None, typer.Option(help="One community only.")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                   help="Searches from this day on.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    csv_table: Annotated[InsightsTable | None, typer.Option(
        "--csv", help="Print one table as CSV instead.")] = None,
) -> None:
    """What the communities asked and did not find, what serves them, and their value stories
    (the facilitators' view, /insights; docs/insights.md)."""
    runtime = _open()
    try:
        report = insights.report(runtime, COMMAND_LINE, insights.InsightsRequest(
            community, since.date() if since else None))
    finally:
        runtime.close()
    if csv_table is not None:
        print(insights_table(report, csv_table).csv(), end="")
        return
    if as_json:
        console.print_json(json.dumps(insights_json(report)))
        return
    console.print(f"{report.searches} searches kept since {report.since}.")
    for name in InsightsTable:
        rows = insights_table(report, name)
        table = Table(*rows.header, title=name.value)
        for row in rows.rows[:15]:
            table.add_row(*(str(v) for v in row))
        console.print(table)


@app.command(name="export")
def export_backup(
    target: Annotated[Path, typer.Argument(help="Archive to write, e.g. commons.tar.gz")],
) -> None:
    """Write every original and the catalog into one archive (a backup)."""
    runtime = _open()
    try:
        count = documents.export_all(runtime, COMMAND_LINE, target)
    finally:
        runtime.close()
    console.print(f"Exported {count} documents to {target}")


@app.command(name="import")
def import_backup(
    source: Annotated[Path, typer.Argument(help="Archive written by `commons export`.")],
) -> None:
    """Restore a backup into an empty data folder and index every document."""
    from ingest.errors import IngestError

    runtime = _open()
    try:
        with _progress() as bar:
            task = bar.add_task("Importing", total=None, current="")
            results = documents.import_all(
                runtime, COMMAND_LINE, source,
                progress=lambda r: bar.update(task, advance=1, current=r.source),
            )
    except IngestError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()
    _summary(results, as_json=False)
    if any(r.outcome is Outcome.FAILED for r in results):
        raise typer.Exit(1)


@app.command()
def check(
    do_repair: Annotated[bool, typer.Option("--repair", help="Fix what is found.")] = False,
) -> None:
    """Report disagreements between catalog, lexical index, vectors and originals."""
    from ingest.consistency import check as run_check
    from ingest.consistency import repair

    runtime = _open()
    if do_repair:
        report, results = repair(runtime.pipeline)
        after = run_check(runtime.pipeline)
    else:
        report, results, after = run_check(runtime.pipeline), [], None
    runtime.close()
    for line in report.lines():
        console.print(line)
    console.print(f"disagreements: {report.disagreements}")
    if after is not None:
        rebuilt = sum(1 for r in results if r.outcome is not Outcome.FAILED)
        console.print(f"repaired: {rebuilt} documents rebuilt from their originals; "
                      f"disagreements now: {after.disagreements}")
        for r in results:
            if r.outcome is Outcome.FAILED:
                err.print(f"[red]could not repair[/red] {r.source}: {r.reason}")
        raise typer.Exit(1 if after.disagreements else 0)
    raise typer.Exit(1 if report.disagreements else 0)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    access_log: Annotated[bool, typer.Option(
        help="Log every request line. Off by default: search URLs carry what practitioners "
        "type, names of children included.")] = False,
    workers: Annotated[int, typer.Option(
        min=1, max=64, help="Processes sharing the store (each loads the model); more than "
        "one puts the vectors in a Chroma server (started here unless COMMONS_CHROMA_URL "
        "names one).")] = 1,
) -> None:
    """Serve the web page and the JSON API with uvicorn (the model loads once per process)."""
    import uvicorn

    from service.app import create_app
    from service.ready import ReadyServer, ready_message

    settings = Settings()
    say = lambda text: console.print(text, highlight=False, markup=False)  # noqa: E731
    if workers > 1:
        from service.workers import serve_workers

        def prepare(shared: Settings) -> None:
            with _preparing(shared):  # once, here, not in every worker at the same time
                open_runtime(shared).close()

        try:
            serve_workers(settings, host, port, workers, access_log, ready_message(host, port),
                          say, prepare)
        except (SearchError, RuntimeError) as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
        return
    try:
        with _preparing(settings):
            application = create_app(settings, host=host)
    except (SearchError, RuntimeError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    config = uvicorn.Config(application, host=host, port=port, log_level="info",
                            access_log=access_log)
    ReadyServer(config, ready_message(host, port), say).run()


@app.command(name="migrate-store")
def migrate_store_command(
    to: Annotated[str, typer.Option("--to", help="The PostgreSQL database to move into "
                                    "(postgresql://user@host:port/db); it must be empty.")],
    chroma_url: Annotated[str | None, typer.Option(
        help="The Chroma server for the vectors (default: COMMONS_CHROMA_URL).")] = None,
    collection: Annotated[str, typer.Option(help="Its collection.")] = "chunks",
) -> None:
    """Move this data folder's hub into PostgreSQL and a Chroma server, and count both sides.

    Stop `commons serve` first. The data folder is left as it was; afterwards, set
    COMMONS_DATABASE_URL and COMMONS_CHROMA_URL for every `commons serve`.
    """
    from service.migration import migrate_store

    settings = Settings()
    target_chroma = chroma_url or settings.chroma_url
    if not to.startswith(("postgresql://", "postgres://")):
        raise typer.BadParameter("--to is a postgresql:// URL")
    if not target_chroma:
        raise typer.BadParameter("name the Chroma server: --chroma-url http://host:port "
                                 "(start one with `chroma run --path FOLDER`)")
    moved_so_far: dict[str, int] = {}

    def progress(what: str, n: int) -> None:
        moved_so_far[what] = moved_so_far.get(what, 0) + n
        err.print(f"  {what}: {moved_so_far[what]}", end="\r")

    try:
        moved = migrate_store(settings, to, target_chroma, collection, progress)
    except (ValueError, SearchError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    err.print()  # past the progress line
    table = Table("what", "this folder", "PostgreSQL + Chroma")
    for name, n in moved.source.tables.items():
        table.add_row(name, str(n), str(moved.target.tables.get(name)))
    table.add_row("originals", str(moved.source.originals), str(moved.target.originals))
    table.add_row("vectors", str(moved.vectors[0]), str(moved.vectors[1]))
    console.print(table)
    if moved.differences:
        err.print("[red]the counts differ:[/red] " + "; ".join(moved.differences))
        raise typer.Exit(1)
    console.print("Every count agrees. Now set, for every `commons serve`:\n"
                  "  COMMONS_DATABASE_URL=<the --to URL>\n"
                  f"  COMMONS_CHROMA_URL={target_chroma}"
                  + (f"\n  COMMONS_CHROMA_COLLECTION={collection}"
                     if collection != "chunks" else ""))


@app.command(name="eval")
def evaluate(
    dataset: Annotated[Path, typer.Argument(help="A BEIR-layout folder.")],
    method: Annotated[list[Method] | None, typer.Option(help="Repeat for several.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Measure retrieval on a BEIR dataset in a temporary data folder (with
    COMMONS_DATABASE_URL, in that empty PostgreSQL database)."""
    from ingest.beir import load_dataset
    from service.evaluation import evaluate as run_eval

    try:
        n_docs = len(load_dataset(dataset).corpus)
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    settings = Settings()
    runtime_options = search_options(settings)
    embedder = make_embedder(settings)
    reranker = None
    methods = method or [Method.DENSE]
    if Method.RERANK in methods:
        from search.rerank import load_reranker

        reranker = load_reranker(settings.reranker_path)
    with _progress() as bar:
        task = bar.add_task(f"Indexing {dataset.name}", total=n_docs, current="")
        try:
            reports = run_eval(
                dataset,
                embedder,
                methods,
                runtime_options,
                reranker,
                progress=lambda r: bar.update(task, advance=1),
                database_url=settings.database_url,
            )
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from exc
    if as_json:
        payload = [r.as_json() for r in reports]
        print(json.dumps(payload[0] if len(payload) == 1 else payload))
        return
    table = Table(
        "dataset", "method", "nDCG@10", "Recall@100", "MRR@10", "chunks/s", "p50 ms", "p95 ms"
    )
    for r in reports:
        j = r.as_json()
        table.add_row(
            *(
                str(j[c])
                for c in (
                    "dataset",
                    "method",
                    "ndcg@10",
                    "recall@100",
                    "mrr@10",
                    "chunks_per_s",
                    "query_ms_p50",
                    "query_ms_p95",
                )
            )
        )
    console.print(table)
