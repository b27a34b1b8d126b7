"""The FastAPI application: JSON API (and, later, the web page) over one runtime."""

from __future__ import annotations

import gc
import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from ingest.consistency import finish_interrupted, repair
from search.spelling import speller_for
from service import errors, security, web
from service.jobs import JobQueue
from service.operations import trash
from service.operations.insights import purge_expired as purge_searches
from service.operations.jobs import run_upload
from service.routes import documents, insights, search, system, tags
from service.routes import trash as trash_routes
from service.runtime import open_runtime
from service.schemas import API_VERSION
from service.settings import Settings
from store.embedder import Embedder

log = logging.getLogger("commons")


def is_loopback(host: str) -> bool:
    if host in {"localhost"}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def settle_memory() -> None:
    """Leave what start-up loaded out of Python's full garbage collections.

    Model, tokenizer and store clients are about half a million objects that live as long as
    the server. A full collection walks them all with the GIL held: about a third of a second
    in which no request moves, which set the slowest searches under load.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings, host: str = "127.0.0.1", embedder: Embedder | None = None
) -> FastAPI:
    """Build the app; the model and index open once, here, not per request."""
    if not settings.tokens and not is_loopback(host):
        raise RuntimeError(
            f"refusing to serve on {host} without API tokens: set COMMONS_API_TOKENS "
            "(comma-separated) so that only people holding a token can change documents"
        )
    runtime = open_runtime(settings, embedder=embedder)
    # finish writes a crash interrupted; those younger than a lease may be another
    # process's (a replica's) writes in progress, and the job worker's upkeep finishes them
    repair(runtime.pipeline, settle_seconds=settings.lease_seconds)
    trash.purge_expired(runtime)  # documents past their days in the trash go for good
    purge_searches(runtime)  # searches past COMMONS_INSIGHTS_RETENTION_DAYS (all when off)

    def upkeep() -> None:
        finish_interrupted(runtime.pipeline, settings.lease_seconds)
        purge_searches(runtime)

    jobs = JobQueue(runtime.job_table, partial(run_upload, runtime),
                    lease_seconds=settings.lease_seconds, maintain=upkeep)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not settings.tokens:
            log.warning("No COMMONS_API_TOKENS set: anyone on this machine may upload and delete")
        speller_for(runtime.index.catalog).warm()  # before the freeze: its words are kept
        settle_memory()
        yield
        gc.unfreeze()
        jobs.close()
        runtime.close()

    app = FastAPIOffline(  # serves Swagger UI and ReDoc assets locally: no CDN
        title="Practice Commons",
        version=API_VERSION,
        description="Search best practices, session notes and readings of Communities of Practice.",
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    app.state.jobs = jobs
    for module in (search, documents, tags, trash_routes, system, insights):
        app.include_router(module.router, prefix="/api")
    web.install(app)
    errors.install(app)
    security.install(app)
    return app
