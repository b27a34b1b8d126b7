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
from store.embedder import Embedder
from store.index import Index
from store.originals import OriginalStore

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real bundled all-MiniLM-L6-v2, loaded once per test session."""
    return Embedder()


@pytest.fixture
def index(tmp_path: Path, embedder: Embedder) -> Iterator[Index]:
    idx = Index(tmp_path / "data", embedder)
    yield idx
    idx.close()


@pytest.fixture
def pipeline(index: Index, tmp_path: Path) -> Pipeline:
    return Pipeline(index, OriginalStore(tmp_path / "data" / "originals"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One throwaway PostgreSQL server on loopback for the whole session, stopped at its end."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database of its own for each test."""
    return fresh_database(postgres_server)
