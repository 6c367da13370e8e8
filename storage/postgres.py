"""PostgreSQL behind the same repositories, through asyncpg.

The repositories write one SQL text for both databases with ``?`` parameters; here each ``?`` is
numbered (``$1``, ``$2``…) once per statement text and cached. A session is one transaction on
one connection, as on SQLite: one at a time in this process (the lock), so the outbox, the
nudges and the handlers see the same order of events as on SQLite. The migrations are SQLite's,
made PostgreSQL's as they are applied (:func:`postgresql_form`, with the triggers of
``storage/migrations/postgresql``), under an advisory lock, so two instances starting at once
migrate once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sys
from collections.abc import AsyncIterator, Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg
from asyncpg.pool import PoolConnectionProxy

from storage.connection import Params, Row
from storage.db import Session
from storage.leadership import PostgresLead

log = logging.getLogger(__name__)

MIGRATION_LOCK = 0x626F617264
"""The advisory lock's key while migrating ("board" in ASCII)."""
READERS = 4
"""Connections for reads beside the one that writes (and one more for the lead, if taken)."""


@lru_cache(maxsize=4096)
def numbered(sql: str) -> str:
    """SQLite's ``?`` placeholders as PostgreSQL's ``$1, $2…``, never inside a quoted string or
    name."""
    out: list[str] = []
    count = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            count += 1
            out.append(f"${count}")
            continue
        out.append(char)
    return "".join(out)


def _values(parameters: Params) -> tuple[Any, ...]:
    if isinstance(parameters, dict):
        raise TypeError("named parameters are not used: write ? and pass a sequence")
    return tuple(parameters)


class Done:
    """What a statement run for its effect tells (``UPDATE 3`` → 3 rows)."""

    def __init__(self, status: str) -> None:
        last = status.rsplit(" ", 1)[-1]
        self.rowcount = int(last) if last.isdigit() else -1


class PostgresConnection:
    """:class:`storage.connection.Connection` on one asyncpg connection, inside the session's
    transaction (or, for a read session, outside any)."""

    skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, conn: asyncpg.Connection | PoolConnectionProxy[Any]) -> None:
        self.raw = conn
        self.wrote = False

    async def _run(self, call: Any, sql: str, *values: Any) -> Any:
        try:
            return await call(self._mark(sql), *values)
        except asyncpg.PostgresError as exc:
            if os.environ.get("BOARDBOT_DEBUG_SQL"):
                # the statement and the error's class only: a message may quote a value
                print(f"statement failed ({type(exc).__name__}): {sql}", file=sys.stderr)
            raise

    def _mark(self, sql: str) -> str:
        if not sql.lstrip(" \n\t(").upper().startswith(("SELECT", "WITH")):
            self.wrote = True
        return numbered(sql)

    async def execute(self, sql: str, parameters: Params = ()) -> Done:
        return Done(await self._run(self.raw.execute, sql, *_values(parameters)))

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> list[Row]:
        return list(await self._run(self.raw.fetch, sql, *_values(parameters)))

    async def finish_with(self, sql: str, parameters: Params = ()) -> list[Row]:
        return await self.execute_fetchall(sql, parameters)

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> Done:
        rows = [_values(p) for p in parameters]
        if rows:
            await self._run(self.raw.executemany, sql, rows)
        return Done("MANY")  # asyncpg does not count them: -1, as "unknown"

    async def write(self, sql: str, parameters: Params = ()) -> None:
        await self.execute(sql, parameters)

    async def write_many(self, sql: str, parameters: Iterable[Params]) -> None:
        await self.executemany(sql, parameters)

    async def point(self, sql: str, parameters: Params = ()) -> list[Row]:
        return await self.execute_fetchall(sql, parameters)

    async def point_one(self, sql: str, parameters: Params = ()) -> Row | None:
        return await self._run(self.raw.fetchrow, sql, *_values(parameters))

    async def fetch_one(self, sql: str, parameters: Params = ()) -> Row | None:
        return await self.point_one(sql, parameters)


class PostgresDatabase:
    """The same sessions, migrations and backups as :class:`storage.db.SqliteDatabase`, on a
    PostgreSQL database named by its URL. Transactions take turns on one connection; reads go
    to a small pool beside it, so a long list does not hold every press up."""

    def __init__(self, conn: asyncpg.Connection, readers: asyncpg.Pool) -> None:
        self._conn = conn
        self._readers = readers
        self._lock = asyncio.Lock()
        self._leads: list[tuple[PostgresLead, PoolConnectionProxy[Any]]] = []

    @classmethod
    async def open(cls, url: str) -> PostgresDatabase:
        conn = await asyncpg.connect(url)
        try:
            readers = await asyncpg.create_pool(url, min_size=0, max_size=READERS + 1)
        except BaseException:
            await conn.close()
            raise
        return cls(conn, readers)

    async def close(self) -> None:
        for lead, conn in self._leads:
            await lead.release()
            with contextlib.suppress(Exception):  # a lost connection is released all the same
                await self._readers.release(conn)
        self._leads.clear()
        await self._readers.close()
        async with self._lock:
            await self._conn.close()

    async def lead(self) -> PostgresLead:
        """This instance's lead, on a connection of its own (closed with the database)."""
        conn = await self._readers.acquire()
        self._leads.append((lead := PostgresLead(conn), conn))
        return lead

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        """One atomic unit of work; rolled back if the block raises."""
        async with self._lock:
            transaction = self._conn.transaction()
            await transaction.start()
            try:
                session = Session(PostgresConnection(self._conn))
                yield session
            except BaseException:
                await transaction.rollback()
                raise
            await transaction.commit()

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[Session]:
        """Reads only, on a pooled connection, beside whatever transaction is under way: they
        see what was committed (PostgreSQL's read committed), as SQLite's reads do."""
        async with self._readers.acquire() as conn:
            connection = PostgresConnection(conn)
            yield Session(connection)
            if connection.wrote:
                log.error("a write in a read session (autocommitted on PostgreSQL)")

    async def migrate(self) -> list[str]:
        """The numbered files not yet applied, each in its own transaction, under an advisory
        lock: a second instance starting at the same moment waits, then finds them applied."""
        async with self._lock:
            await self._conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                await self._conn.execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    " name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                done = {r[0] for r in await self._conn.fetch("SELECT name FROM schema_migrations")}
                applied: list[str] = []
                for name, sql in _migration_files():
                    if name in done:
                        continue
                    async with self._conn.transaction():
                        await self._conn.execute(sql)
                        await self._conn.execute(
                            "INSERT INTO schema_migrations (name) VALUES ($1)", name
                        )
                    log.info("applied migration %s", name)
                    applied.append(name)
                return applied
            finally:
                await self._conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    async def backup_to(self, target: Path) -> None:
        raise NotImplementedError(
            "a PostgreSQL database is backed up with pg_dump (docs/operations.md)"
        )

    async def checkpoint(self) -> None:
        """Nothing to fold in: PostgreSQL's own WAL and dead rows are its (see
        docs/data-protection.md)."""


def _migration_files() -> list[tuple[str, str]]:
    """Each shared migration in PostgreSQL's words: :func:`postgresql_form` of the SQLite file,
    with the triggers of ``migrations/postgresql/<the same name>``."""
    folder = resources.files("storage") / "migrations"
    own = folder / "postgresql"
    return sorted(
        (
            entry.name,
            postgresql_form(
                entry.read_text(encoding="utf-8"),
                (own / entry.name).read_text(encoding="utf-8")
                if (own / entry.name).is_file()
                else "",
            ),
        )
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )


def postgresql_form(sqlite_sql: str, triggers: str) -> str:
    """One schema for both databases, written once: a migration as SQLite takes it, made
    PostgreSQL's. Numbered rows get an identity, every integer is 64-bit (ids, times, Telegram's
    ids), ``char(n)`` is ``chr(n)``, and SQLite's triggers (``CREATE TRIGGER … END;``) give way
    to PostgreSQL's, written apart in ``triggers``."""
    text = re.sub(r"CREATE TRIGGER .*?\nEND;\n?", "", sqlite_sql, flags=re.S)
    text = re.sub(
        r"\bid INTEGER PRIMARY KEY(?=,|\n)",
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
        text,
    )
    text = re.sub(r"\bINTEGER\b", "BIGINT", text)
    text = re.sub(r"\bchar\(", "chr(", text)
    return text + "\n" + triggers
