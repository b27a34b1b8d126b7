"""The throwaway PostgreSQL server the store's tests run against: real, isolated, cleaned up."""

from __future__ import annotations

import psycopg
import pytest

from harness.postgres_server import PostgresServer, fresh_database, running_postgres


def test_a_database_url_connects_to_postgresql_15(postgres_url: str) -> None:
    with psycopg.connect(postgres_url) as conn:
        row = conn.execute("SELECT version(), current_user").fetchone()
    assert row is not None
    version, user = row
    assert version.startswith("PostgreSQL 15.")
    assert user == "commons"


def test_the_base_url_connects_too(postgres_server: PostgresServer) -> None:
    with psycopg.connect(postgres_server.url) as conn:
        row = conn.execute("SELECT current_database()").fetchone()
    assert row == ("commons",)


def test_each_test_database_is_its_own(postgres_server: PostgresServer, postgres_url: str) -> None:
    other_url = fresh_database(postgres_server)
    assert other_url != postgres_url
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE documents (id text PRIMARY KEY)")
        conn.execute("INSERT INTO documents VALUES ('3f2a9c')")
    with psycopg.connect(other_url) as conn:
        row = conn.execute("SELECT to_regclass('documents')").fetchone()
    assert row == (None,)
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT id FROM documents").fetchall() == [("3f2a9c",)]


def test_the_server_is_stopped_and_its_folder_gone_after_a_failure() -> None:
    with pytest.raises(RuntimeError, match="the test failed"), running_postgres() as server:
        url = fresh_database(server, "doomed")
        raise RuntimeError("the test failed")
    assert not server.data_dir.parent.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
