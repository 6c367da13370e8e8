"""Which instance is active: one at a time answers Telegram, runs the reminders and sends.

Two instances may share one database (an active one and a standby). The active one holds the
lead; a standby tries again every few seconds and takes over once the lead is free: when the
active one stops, or dies (the operating system or PostgreSQL lets go of a dead process's lock).
Every instance also marks itself live, so that the rows it is sending are never sent again by
another that starts up (:meth:`Lead.live_instances`).

- SQLite: an exclusive ``flock`` on ``<database>.lead`` beside the file (one machine).
- PostgreSQL: session advisory locks on a connection of their own, one for the lead and one
  per instance; the connection is checked every few seconds, and if it is lost the lead is
  lost with it (:attr:`Lead.lost`): the instance must stop, since another may now lead.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import secrets
from pathlib import Path
from typing import Any, Protocol

LEAD_KEY = 0x6C656164
"""The lead's advisory lock key on PostgreSQL ("lead" in ASCII); per database."""
CHECK_EVERY = 5.0
"""Seconds between two checks that the lock's connection still answers."""


def new_instance_id() -> int:
    """A random id for this process, far from the fixed lock keys (62 bits)."""
    return (1 << 40) + secrets.randbelow((1 << 62) - (1 << 40))


class Lead(Protocol):
    instance: int
    """This process's id; the outbox rows it claims carry it."""
    lost: asyncio.Event
    """Set when the lead can no longer be known to be held: stop at once."""

    async def try_take(self) -> bool:
        """Take the lead if it is free (True), or say that another instance has it."""
        ...

    async def live_instances(self) -> set[int]:
        """The instances alive now (this one among them)."""
        ...

    async def keep(self) -> None:
        """Return when the lead is lost (never, on a lead that cannot be lost)."""
        ...

    async def release(self) -> None: ...


class FileLead:
    """SQLite's lead: an exclusive lock on a file beside the database, which the kernel frees
    when the process ends in any way. Only instances on one machine share a SQLite file, and
    only the one holding the lead sends, so every other id is of a process gone."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None
        self.instance = new_instance_id()
        self.lost = asyncio.Event()

    async def try_take(self) -> bool:
        if self._fd is None:
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    async def live_instances(self) -> set[int]:
        return {self.instance}

    async def keep(self) -> None:
        await self.lost.wait()

    async def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing it lets go of the lock
            self._fd = None


class PostgresLead:
    """PostgreSQL's lead, on one connection of its own (given, and released by the caller)."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.instance = new_instance_id()
        self.lost = asyncio.Event()
        self._marked = False
        self._busy = asyncio.Lock()  # one statement at a time on the connection
        conn.add_termination_listener(lambda _conn: self.lost.set())

    async def try_take(self) -> bool:
        async with self._busy:
            if not self._marked:
                await self._conn.execute("SELECT pg_advisory_lock($1)", self.instance)
                self._marked = True
            return bool(await self._conn.fetchval("SELECT pg_try_advisory_lock($1)", LEAD_KEY))

    async def live_instances(self) -> set[int]:
        """Every instance id whose advisory lock is held in this database now."""
        async with self._busy:
            rows = await self._conn.fetch(
                "SELECT (classid::bigint << 32) | objid::bigint FROM pg_locks"
                " WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND database ="
                " (SELECT oid FROM pg_database WHERE datname = current_database())"
            )
        return {int(row[0]) for row in rows} | {self.instance}

    async def keep(self) -> None:
        """A connection can die without a word (a network cut): ask it every few seconds."""
        while not self.lost.is_set():
            try:
                async with self._busy:
                    await asyncio.wait_for(self._conn.fetchval("SELECT 1"), timeout=CHECK_EVERY)
            except Exception:
                self.lost.set()
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.lost.wait(), timeout=CHECK_EVERY)

    async def release(self) -> None:
        with contextlib.suppress(Exception):
            async with self._busy:
                await self._conn.execute("SELECT pg_advisory_unlock_all()")
