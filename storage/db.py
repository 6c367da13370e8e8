"""One aiosqlite connection, one write lock, versioned migrations, and a reader for point reads.

Every user action is one ``Session`` opened with :meth:`Database.transaction`: it takes the lock;
its first write opens the transaction (``BEGIN IMMEDIATE``, in the same hand-off to aiosqlite's
thread) and it commits before the caller replies to Telegram. Reads take the same lock so that
they never see another coroutine's half-finished transaction on the shared connection. Indexed
point reads go to a second, read-only connection on the event loop (:mod:`storage.connection`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Protocol

import aiosqlite

from storage.actions import ActionRepository
from storage.audit import AuditRepository
from storage.blanked import BlankedInputRepository
from storage.boards import BoardRepository
from storage.cases import CaseRepository
from storage.connection import Connection, SqliteConnection
from storage.councils import CouncilRepository
from storage.dialogs import DialogRepository
from storage.escalations import EscalationRepository
from storage.health import HealthRepository
from storage.leadership import FileLead, Lead
from storage.meetings import MeetingRepository
from storage.minutes import AgendaRepository, MinutesRepository
from storage.outbox import OutboxRepository
from storage.overview import OverviewRepository
from storage.prefs import PrefsRepository
from storage.privacy import PrivacyRepository
from storage.proposals import ProposalRepository
from storage.rows import Forgetting
from storage.settings import BoardSettingsRepository
from storage.stats import StatsRepository
from storage.users import UserRepository

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
READER_BUSY_TIMEOUT_MS = 200
"""A WAL reader waits only in rare moments (recovery after a crash); on the event loop, briefly."""


class Session:
    """The repositories bound to one connection for the span of one transaction or read; each
    made on first use (an update uses two or three of them)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.forgetting = Forgetting()

    @cached_property
    def users(self) -> UserRepository:
        return UserRepository(self.conn)

    @cached_property
    def boards(self) -> BoardRepository:
        return BoardRepository(self.conn)

    @cached_property
    def settings(self) -> BoardSettingsRepository:
        return BoardSettingsRepository(self.conn)

    @cached_property
    def audit(self) -> AuditRepository:
        return AuditRepository(self.conn)

    @cached_property
    def health(self) -> HealthRepository:
        return HealthRepository(self.conn)

    @cached_property
    def outbox(self) -> OutboxRepository:
        return OutboxRepository(self.conn)

    @cached_property
    def dialogs(self) -> DialogRepository:
        return DialogRepository(self.conn, self.forgetting)

    @cached_property
    def cases(self) -> CaseRepository:
        return CaseRepository(self.conn)

    @cached_property
    def proposals(self) -> ProposalRepository:
        return ProposalRepository(self.conn, self.forgetting)

    @cached_property
    def actions(self) -> ActionRepository:
        return ActionRepository(self.conn)

    @cached_property
    def meetings(self) -> MeetingRepository:
        return MeetingRepository(self.conn)

    @cached_property
    def prefs(self) -> PrefsRepository:
        return PrefsRepository(self.conn)

    @cached_property
    def escalations(self) -> EscalationRepository:
        return EscalationRepository(self.conn)

    @cached_property
    def privacy(self) -> PrivacyRepository:
        return PrivacyRepository(self.conn, self.forgetting)

    @cached_property
    def agenda(self) -> AgendaRepository:
        return AgendaRepository(self.conn)

    @cached_property
    def minutes(self) -> MinutesRepository:
        return MinutesRepository(self.conn)

    @cached_property
    def blanked(self) -> BlankedInputRepository:
        return BlankedInputRepository(self.conn, self.forgetting)

    @cached_property
    def overview(self) -> OverviewRepository:
        return OverviewRepository(self.conn)

    @cached_property
    def stats(self) -> StatsRepository:
        return StatsRepository(self.conn)

    @cached_property
    def councils(self) -> CouncilRepository:
        return CouncilRepository(self.conn)


class Database(Protocol):
    """Where everything is kept: SQLite (:class:`SqliteDatabase`, the embedded default) or
    PostgreSQL (:class:`storage.postgres.PostgresDatabase`), chosen by :func:`open_database`."""

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Session]: ...

    def read(self) -> contextlib.AbstractAsyncContextManager[Session]: ...

    async def migrate(self) -> list[str]: ...

    async def close(self) -> None: ...

    async def backup_to(self, target: Path) -> None: ...

    async def checkpoint(self) -> None: ...

    async def lead(self) -> Lead:
        """Whether this instance may be the active one (:mod:`storage.leadership`)."""
        ...


async def open_database(location: str | Path) -> Database:
    """``postgresql://…`` (or ``postgres://…``) opens PostgreSQL; ``sqlite:///path`` or a plain
    path opens (creating it) that SQLite file."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        from storage.postgres import PostgresDatabase  # asyncpg only where it is used

        return await PostgresDatabase.open(text)
    return await SqliteDatabase.open(Path(text.removeprefix("sqlite://")))


class SqliteDatabase:
    def __init__(self, conn: aiosqlite.Connection, reader: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._reader = reader
        self._lock = asyncio.Lock()
        self.path = path
        self._leads: list[FileLead] = []

    @classmethod
    async def open(cls, path: Path) -> SqliteDatabase:
        """Open (creating with mode 0600) the database file and set the pragmas we rely on."""
        await asyncio.to_thread(_create_private_file, path)
        conn = await aiosqlite.connect(path, isolation_level="IMMEDIATE")
        conn.row_factory = sqlite3.Row
        await conn.executescript(
            f"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA foreign_keys = ON;
            PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};
            PRAGMA secure_delete = ON;
            """
        )
        return cls(conn, _open_reader(path), path)

    async def close(self) -> None:
        for lead in self._leads:
            await lead.release()
        async with self._lock:
            self._reader.close()
            await self._conn.close()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Session]:
        """One atomic unit of work; rolled back if the block raises."""
        async with self._lock:
            committed = False
            try:
                conn = SqliteConnection(self._conn, self._reader, transaction=True)
                session = Session(conn)
                try:
                    yield session
                except BaseException:
                    conn.discard()
                    raise
                await conn.commit()
                committed = True
                if session.forgetting.needed:
                    await self._leave_no_trace()
            finally:
                # Whatever went wrong (the block, COMMIT itself, a cancellation), the shared
                # connection must not stay inside a transaction for the next caller. The
                # rollback is queued on aiosqlite's thread even when it is not in a transaction
                # yet as seen from here: a cancelled hand-off still runs there (and may open
                # it), and the rollback, queued after it, undoes it before anyone else's work.
                if not committed:
                    await _rollback(self._conn)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[Session]:
        """Reads only: a write here would open a transaction nobody commits, so one that
        slipped in (a bug) is rolled back and logged."""
        async with self._lock:
            try:
                yield Session(SqliteConnection(self._conn, self._reader))
            finally:
                if self._conn.in_transaction:
                    log.error("a write in a read session was rolled back")
                    await _rollback(self._conn)

    async def migrate(self) -> list[str]:
        """Apply the numbered SQL files not yet applied, each in its own transaction."""
        async with self._lock:
            await self._conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " name TEXT PRIMARY KEY, applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
            )
            async with self._conn.execute("SELECT name FROM schema_migrations") as cur:
                done = {row[0] for row in await cur.fetchall()}
            applied: list[str] = []
            for name, sql in _migration_files():
                if name in done:
                    continue
                escaped = name.replace("'", "''")
                script = (
                    f"BEGIN IMMEDIATE;\n{sql}\n"
                    f"INSERT INTO schema_migrations (name) VALUES ('{escaped}');\nCOMMIT;"
                )
                try:
                    await self._conn.executescript(script)
                except Exception:
                    if self._conn.in_transaction:
                        await self._conn.rollback()
                    raise
                log.info("applied migration %s", name)
                applied.append(name)
            return applied

    async def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole database in one new file (``VACUUM INTO``): taken
        while the bot runs, compacted, and with no freed page in it, so what was erased stays
        erased in the copy too. The file is made readable by the bot's user only, and an
        existing file is never overwritten."""
        await asyncio.to_thread(_create_new_private_file, target)
        async with self._lock:
            await self._conn.execute("VACUUM INTO ?", (str(target),))

    async def lead(self) -> FileLead:
        """This instance's lead: a lock on ``<file>.lead`` (let go with the database)."""
        lead = FileLead(self.path.with_name(self.path.name + ".lead"))
        self._leads.append(lead)
        return lead

    async def checkpoint(self) -> None:
        """Fold the WAL into the main file (used before looking at the file's bytes)."""
        async with self._lock:
            await self._leave_no_trace()

    async def _leave_no_trace(self) -> None:
        """After personal data was deleted or sealed: with ``secure_delete`` the main file's
        freed space is already zeroes, but the WAL still holds the pages as they were before;
        folding it in and truncating it to nothing leaves no byte of the old text in
        ``.sqlite3``, ``-wal`` or ``-shm`` (which holds only page numbers). Every path that
        forgets goes through here, marked by its repository (:class:`Forgetting`)."""
        async with self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cursor:
            row = await cursor.fetchone()
        if row is not None and row[0]:  # busy: a reader held an older snapshot
            log.error("the WAL could not be folded in after an erasure; retrying at the next")


async def _rollback(conn: aiosqlite.Connection) -> None:
    """Queued behind whatever the thread still has to run; a no-op outside a transaction."""
    with contextlib.suppress(sqlite3.Error, ValueError):  # ValueError: already closed
        await asyncio.shield(conn.rollback())


def _open_reader(path: Path) -> sqlite3.Connection:
    """The connection for point reads, on the event loop: it can only read, and it answers
    from the last committed state (WAL), never from a transaction in progress."""
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.row_factory = sqlite3.Row
    reader.execute("PRAGMA query_only = ON")
    reader.execute(f"PRAGMA busy_timeout = {READER_BUSY_TIMEOUT_MS}")
    return reader


def _create_new_private_file(path: Path) -> None:
    """An empty file only the bot's user may read; FileExistsError if there is one already."""
    _create_private_file(path, exclusive=True)


def _create_private_file(path: Path, *, exclusive: bool = False) -> None:
    """The database holds children's case data: only the bot's own user may read it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_CREAT | os.O_WRONLY | (os.O_EXCL if exclusive else 0)
    os.close(os.open(path, flags, 0o600))
    os.chmod(path, 0o600)
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            os.chmod(sidecar, 0o600)


def _migration_files() -> list[tuple[str, str]]:
    folder = resources.files("storage") / "migrations"
    return sorted(
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".sql")
    )
