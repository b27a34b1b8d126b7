"""A PostgreSQL database for the store: a connection pool, transactions, and the schema's
numbered migrations, applied once under a lock by whichever process opens it first.

The store's SQL is shared with SQLite and written with '?' parameters; `Connection` turns them
into psycopg's '%s' (the shared SQL has no '%' and no '?' inside a literal: checked).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

import psycopg
from psycopg.sql import SQL, Identifier, Literal
from psycopg_pool import ConnectionPool

from store.errors import AlreadyExistsError

MIGRATION_LOCK = 727_001  # the advisory lock that serialises migrations across replicas


class Row(dict[str, Any]):
    """A result row by column name, hashable as sqlite3.Row is (the catalog caches the records
    it decodes from rows); rows are never changed."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


def row_factory(cursor: psycopg.Cursor[Any]) -> Any:
    """psycopg's rows as `Row`s."""
    names = [c.name for c in cursor.description or ()]
    return lambda values: Row(zip(names, values, strict=True))


@lru_cache(maxsize=1024)
def to_psycopg(sql: str) -> str:
    """SQL with '?' parameters as psycopg's '%s' ones."""
    if "%" in sql or "'?'" in sql:
        raise ValueError(f"SQL shared with SQLite may hold no '%' nor a quoted '?': {sql}")
    return sql.replace("?", "%s")


class Connection:
    """One connection inside a transaction, answering the shared SQL."""

    def __init__(self, conn: psycopg.Connection[dict[str, Any]]) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[dict[str, Any]]:
        return self.raw.execute(to_psycopg(sql), params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        with self.raw.cursor() as cursor:
            cursor.executemany(to_psycopg(sql), list(rows))


def migrations() -> list[tuple[int, str]]:
    """(number, SQL) of every migration shipped with the package, in order."""
    folder = resources.files("store.postgres") / "migrations"
    found = [(int(f.name.split("_", 1)[0]), f.read_text(encoding="utf-8"))
             for f in folder.iterdir() if f.name.endswith(".sql")]
    return sorted(found)


# Per connection. A BM25 query over 100,000 chunks groups its postings by chunk in a hash
# table of about 10 MB: at the default 4 MB it spilled to disk in five batches. JIT compiling
# costs more than these short queries take.
SESSION_SETTINGS = {"work_mem": "64MB", "jit": "off"}


def _configure(conn: psycopg.Connection[Any]) -> None:
    for name, value in SESSION_SETTINGS.items():
        conn.execute(SQL("SET {} = {}").format(Identifier(name), Literal(value)))


class Database:
    """A pool of connections to one database; `transaction()` and `read()` for the store."""

    def __init__(self, url: str, max_size: int = 10) -> None:
        self.url = url
        self._pool: ConnectionPool[psycopg.Connection[dict[str, Any]]] = ConnectionPool(
            url, min_size=1, max_size=max_size, open=True, timeout=30,
            kwargs={"row_factory": row_factory, "autocommit": True}, configure=_configure,
        )
        self._local = threading.local()
        self.migrate()

    def close(self) -> None:
        self._pool.close()

    def migrate(self) -> list[int]:
        """Apply the migrations this database lacks, under a lock; returns those applied."""
        applied = []
        with self._pool.connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                         "version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL "
                         "DEFAULT now())")
            done = {r["version"] for r in conn.execute("SELECT version FROM schema_migrations")}
            for version, sql in migrations():
                if version not in done:
                    conn.execute(sql.encode())  # bytes: several statements, no parameters
                    conn.execute("INSERT INTO schema_migrations(version) VALUES (%s)",
                                 (version,))
                    applied.append(version)
        return applied

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        current = getattr(self._local, "conn", None)
        if current is not None:  # nested: part of the transaction already open
            yield current
            return
        with self._pool.connection() as conn:
            try:
                with conn.transaction():
                    self._local.conn = Connection(conn)
                    yield self._local.conn
            except psycopg.errors.UniqueViolation as exc:
                raise AlreadyExistsError(str(exc).splitlines()[0]) from exc
            finally:
                self._local.conn = None

    @contextmanager
    def locked(self, key: int) -> Iterator[None]:
        """Hold a session-level advisory lock (on a connection of its own) for the block: one
        process at a time, across every process on this database."""
        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))

    def vacuum(self) -> None:
        """VACUUM ANALYZE the database: after a bulk load, so BM25 reads the postings' index
        alone (its visibility map current) and the planner knows the tables' sizes, without
        waiting for autovacuum."""
        with self._pool.connection() as conn:
            conn.execute("VACUUM ANALYZE")

    def read(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        current = getattr(self._local, "conn", None)
        if current is not None:  # inside a transaction: see its own writes
            return list(current.execute(sql, params).fetchall())
        with self._pool.connection() as conn:
            return list(conn.execute(to_psycopg(sql), params).fetchall())
