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
opens it together with the statement, in the same hand-off), so a vote press is four hand-offs:
the vote, the audit row, the live message's outbox row, the commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

Params = Sequence[Any] | dict[str, Any]

_IMPLICIT_BEGIN = ("INSERT", "UPDATE", "DELETE", "REPLACE")
"""The statements before which sqlite3 opens the transaction itself."""


def _first_word(sql: str) -> str:
    return sql.lstrip(" \n\t(").split(None, 1)[0].upper() if sql.strip() else ""


class Connection:
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
        self.round_trips = 0
        """Hand-offs to aiosqlite's thread in this session (the benchmark prints them)."""

    async def execute(self, sql: str, parameters: Params = ()) -> aiosqlite.Cursor:
        await self._before(sql)
        self.round_trips += 1
        return await self.raw.execute(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> Iterable[sqlite3.Row]:
        await self._before(sql)
        self.round_trips += 1
        return await self.raw.execute_fetchall(sql, parameters)

    async def executemany(self, sql: str, parameters: Iterable[Params]) -> aiosqlite.Cursor:
        await self._before(sql)
        self.round_trips += 1
        return await self.raw.executemany(sql, parameters)

    async def point(self, sql: str, parameters: Params = ()) -> list[sqlite3.Row]:
        """An indexed read of a few rows: on the event loop while this session has not written
        (what is committed is then what it would see), through aiosqlite once it has. Only for
        reads whose cost does not grow with the board's history."""
        if self.wrote or self._reader is None:
            return list(await self.execute_fetchall(sql, parameters))
        return self._reader.execute(sql, parameters).fetchall()

    async def _before(self, sql: str) -> None:
        """A write marks the session; one that sqlite3 would not open the transaction for (a
        statement starting with WITH) opens it first, so that every write is in it."""
        word = _first_word(sql)
        if word == "SELECT" or word == "PRAGMA":
            return
        self.wrote = True
        if self._transaction and word not in _IMPLICIT_BEGIN and not self.raw.in_transaction:
            self.round_trips += 1
            await self.raw.execute("BEGIN IMMEDIATE")
