"""Fixtures: the real model, a real index in a temporary folder and the pipeline over it
(real files to feed them are made by harness/files.py), and a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from harness.postgres_server import PostgresServer, fresh_database, running_postgres
from ingest.pipeline import Pipeline
from store.embedded import Store, open_store
from store.embedder import Embedder
from store.index import Index

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test session."""
    return Embedder()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test module that sets `BOTH_STORES = True` runs each of its tests twice: on the
    embedded store and on PostgreSQL (through the `store_url` its fixtures take)."""
    if getattr(metafunc.module, "BOTH_STORES", False) and "store_url" in metafunc.fixturenames:
        metafunc.parametrize("store_url", ["embedded", "postgresql"], indirect=True)


@pytest.fixture
def store_url(request: pytest.FixtureRequest) -> str | None:
    """None for the embedded store (the default), or the URL of a new PostgreSQL database."""
    if getattr(request, "param", "embedded") == "postgresql":
        return str(request.getfixturevalue("postgres_url"))
    return None


@pytest.fixture
def store(tmp_path: Path, embedder: Embedder, store_url: str | None) -> Iterator[Store]:
    opened = open_store(tmp_path / "data", embedder, database_url=store_url)
    yield opened
    opened.index.close()


@pytest.fixture
def index(store: Store) -> Index:
    return store.index


@pytest.fixture
def pipeline(store: Store) -> Pipeline:
    return Pipeline(store.index, store.originals)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server on loopback for the whole session, stopped at its end."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database of its own for each test."""
    return fresh_database(postgres_server)
