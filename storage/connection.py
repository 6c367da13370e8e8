"""What a repository talks to: aiosqlite for writes and for any read whose cost may grow, and
the bot's reader connection, on the event loop, for indexed point reads.

Each aiosqlite await is a hand-off to its thread and back (about 0.1 ms), while reading one row
by its key costs about 10 µs in SQLite itself. So the reads every update makes (the person, the
board, a membership, the item pressed) are :meth:`Connection.point` reads, served at once from a
second, read-only connection in WAL mode. It sees what is committed; within a transaction that
has not written yet, that is exactly what the transaction sees too (every write goes through the
one connection, under one lock). Once the transaction has written, a point read goes through
aiosqlite like any other, so a transaction always reads its own writes.

The transaction itself begins with its first write (``isolation_level="IMMEDIATE"``: sqlite3
opens it together with the statement, in the same hand-off). Writes whose result nobody reads
(:meth:`Connection.write`: an audit row, a vote, queued messages) wait and go with the session's
next statement or its commit, several in one hand-off. A vote press is then two: the live
message's outbox row (with the vote and the audit row before it) and the commit.

The one hand-off for several statements uses aiosqlite's ``_execute`` (run a function on its
thread), the primitive its own public methods are built on; ``tests/test_point_reads.py``
counts the hand-offs, so a change there shows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

import aiosqlite

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")
Queued = tuple[str, Any, bool]
"""A statement waiting to go: its SQL, its parameters (a list of them when ``many``), many."""

_IMPLICIT_BEGIN = ("INSERT", "UPDATE", "DELETE", "REPLACE")
"""The statements before which sqlite3 opens the transaction itself."""


_READS = ("SELECT", "PRAGMA")


def _first_word(sql: str) -> str:
    return sql.lstrip(" \n\t(").split(None, 1)[0].upper() if sql.strip() else ""


def _needs_begin(word: str, in_transaction: bool) -> bool:
    """A write sqlite3 would not open the transaction for (one starting with WITH)."""
    return not in_transaction and word not in (*_READS, *_IMPLICIT_BEGIN)


Row = Any
"""One result row: read by position, by slice or by column name (``sqlite3.Row`` here,
``asyncpg.Record`` on PostgreSQL)."""


class Executed(Protocol):
    """What a statement run for its effect tells: how many rows it changed."""

    @property
    def rowcount(self) -> int: ...


class Connection(Protocol):
    """What a repository talks to, on either database (see :class:`SqliteConnection` and
    :class:`storage.postgres.PostgresConnection`). Parameters are written ``?``."""

    wrote: bool
    skip_locked: str
    """What a claim adds to its ``SELECT`` so that two transactions never take the same rows:
    ``FOR UPDATE SKIP LOCKED`` on PostgreSQL; nothing on SQLite, where a writing transaction
    excludes every other."""

    async def execute(self, sql: str, parameters: Params = ()) -> Executed: ...

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[Row]: ...

    async def finish_with(self, sql: str, parameters: Params = ()) -> list[Row]: ...

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> Executed: ...

    async def write(self, sql: str, parameters: Params = ()) -> None: ...

    async def write_many(self, sql: str, parameters: Iterable[Params]) -> None: ...

    async def point(self, sql: str, parameters: Params = ()) -> list[Row]: ...

    async def point_one(self, sql: str, parameters: Params = ()) -> Row | None: ...

    async def fetch_one(self, sql: str, parameters: Params = ()) -> Row | None: ...


class SqliteConnection:
    skip_locked = ""

    def __init__(
        self,
        conn: aiosqlite.Connection,
        reader: sqlite3.Connection | None,
        *,
        transaction: bool = False,
    ) -> None:
        self.raw = conn
        """The aiosqlite connection itself (tests, benchmarks and the database's own work)."""
        self._reader = reader
        self._transaction = transaction
        self.wrote = False
        """This session has changed something: its point reads must see its own writes."""
        self._queued: list[Queued] = []
        self._finished = False

    async def execute(self, sql: str, parameters: Params = ()) -> aiosqlite.Cursor:
        await self._flush()
        await self._before(sql)
        return await self.raw.execute(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[sqlite3.Row]:
        if self._queued:  # the waiting writes and this statement in one hand-off
            self._mark(sql)
            queued, self._queued = self._queued, []
            return await self._on_thread(
                lambda conn: _run(conn, [*queued, (sql, parameters, False)])
            )
        await self._before(sql)
        return await self.raw.execute_fetchall(sql, parameters)

    async def finish_with(self, sql: str, parameters: Params = ()) -> list[sqlite3.Row]:
        """The transaction's last statement, sent with the waiting writes and the commit in
        one hand-off (an outbox claim: the rows it returns are claimed once it returns). The
        session writes nothing after it."""
        if not self._transaction:  # a read session (a benchmark rolling the claim back)
            return list(await self.execute_fetchall(sql, parameters))
        self._mark(sql)
        queued, self._queued = [*self._queued, (sql, parameters, False)], []
        self._finished = True
        rows: list[sqlite3.Row] = await self._on_thread(
            lambda conn: _run(conn, queued, commit=True)
        )
        return rows

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> aiosqlite.Cursor:
        await self._flush()
        await self._before(sql)
        return await self.raw.executemany(sql, parameters)

    async def write(self, sql: str, parameters: Params = ()) -> None:
        """A write whose result nobody reads: in a transaction it goes with the next statement
        or the commit. Only for statements that fail only on a bug (an audit row, an upsert):
        a failure surfaces there, inside the same transaction, which is then rolled back."""
        if not self._transaction:
            await self.execute(sql, parameters)
            return
        self._mark(sql)
        self._queued.append((sql, parameters, False))

    async def write_many(self, sql: str, parameters: Iterable[Params]) -> None:
        """:meth:`write` for many rows of one statement."""
        if not self._transaction:
            await self.executemany(sql, parameters)
            return
        self._mark(sql)
        self._queued.append((sql, list(parameters), True))

    async def commit(self) -> None:
        """The waiting writes and the commit in one hand-off; nothing written, no hand-off."""
        if self._queued:
            queued, self._queued = self._queued, []
            await self._on_thread(lambda conn: _run(conn, queued, commit=True))
        elif self.raw.in_transaction:
            await self.raw.commit()

    def discard(self) -> None:
        """The block failed: the writes still waiting are never sent."""
        self._queued = []

    async def point(self, sql: str, parameters: Params = ()) -> list[sqlite3.Row]:
        """An indexed read of a few rows: on the event loop while this session has not written
        (what is committed is then what it would see), through aiosqlite once it has. Only for
        reads whose cost does not grow with the board's history."""
        if self.wrote or self._reader is None:
            return list(await self.execute_fetchall(sql, parameters))
        return self._reader.execute(sql, parameters).fetchall()

    async def point_one(self, sql: str, parameters: Params = ()) -> sqlite3.Row | None:
        """:meth:`point` for one row (or none)."""
        return next(iter(await self.point(sql, parameters)), None)

    async def fetch_one(self, sql: str, parameters: Params = ()) -> sqlite3.Row | None:
        """One row (or none) of any statement, in one hand-off (an ``INSERT … RETURNING``, a
        count); instead of execute, fetch and close."""
        return next(iter(await self.execute_fetchall(sql, parameters)), None)

    async def _flush(self) -> None:
        if self._queued:
            queued, self._queued = self._queued, []
            await self._on_thread(lambda conn: _run(conn, queued))

    def _mark(self, sql: str) -> str:
        """A write marks the session (and is refused after :meth:`finish_with`)."""
        word = _first_word(sql)
        if word not in _READS:
            self._still_open()
            self.wrote = True
        return word

    def _still_open(self) -> None:
        if self._finished:
            raise RuntimeError("the transaction was finished by finish_with")

    async def _before(self, sql: str) -> None:
        """Mark a write, and open the transaction first where sqlite3 would not, so that every
        write is in it."""
        word = self._mark(sql)
        if self._transaction and _needs_begin(word, self.raw.in_transaction):
            await self.raw.execute("BEGIN IMMEDIATE")

    async def _on_thread(self, work: Callable[[sqlite3.Connection], T]) -> T:
        run: Callable[[Callable[[], T]], Awaitable[T]] = self.raw._execute
        conn: sqlite3.Connection = self.raw._conn
        return await run(lambda: work(conn))


def _run(conn: sqlite3.Connection, statements: list[Queued], *, commit: bool = False) -> Any:
    """On aiosqlite's thread: the statements in order (the last one's rows returned), inside
    the transaction (opened by the first write, or here for one sqlite3 would not open it for),
    then the commit if asked."""
    rows: Any = None
    for sql, parameters, many in statements:
        if _needs_begin(_first_word(sql), conn.in_transaction):
            conn.execute("BEGIN IMMEDIATE")
        if many:
            conn.executemany(sql, parameters)
            rows = None
        else:
            rows = conn.execute(sql, parameters).fetchall()
    if commit:
        conn.commit()
    return rows
