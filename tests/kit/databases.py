"""Which database a test runs on: a fresh SQLite file, or, with ``BOARDBOT_TEST_POSTGRES`` set
(an administrator's URL, as ``.ci/run`` sets it), a fresh PostgreSQL database made from a
migrated template, so that the same tests prove the same behaviour on both."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg

from storage import open_database

POSTGRES_ADMIN_URL = os.environ.get("BOARDBOT_TEST_POSTGRES", "")
ON_POSTGRES = bool(POSTGRES_ADMIN_URL)
_TEMPLATE = f"boardbot_template_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
_template_ready = False


def _url_of(name: str) -> str:
    base, _, _ = POSTGRES_ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


async def _ensure_template(admin: asyncpg.Connection) -> None:
    """The migrated database every test's own is copied from (one per test worker)."""
    global _template_ready
    if _template_ready:
        return
    await admin.execute(f'DROP DATABASE IF EXISTS "{_TEMPLATE}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "{_TEMPLATE}"')
    db = await open_database(_url_of(_TEMPLATE))
    try:
        await db.migrate()
    finally:
        await db.close()
    _template_ready = True


@contextlib.asynccontextmanager
async def fresh_database(sqlite_path: Path) -> AsyncIterator[str | Path]:
    """Where a test keeps its data: ``sqlite_path``, or a new PostgreSQL database, migrated
    (dropped after the test)."""
    if not ON_POSTGRES:
        yield sqlite_path
        return
    async with _new_database(migrated=True) as url:
        yield url


@contextlib.asynccontextmanager
async def fresh_empty_database() -> AsyncIterator[str]:
    """A new PostgreSQL database with no table in it yet (dropped after the test)."""
    async with _new_database(migrated=False) as url:
        yield url


@contextlib.asynccontextmanager
async def _new_database(*, migrated: bool) -> AsyncIterator[str]:
    name = await _create(migrated=migrated)
    try:
        yield _url_of(name)
    finally:
        await _drop(name)


async def _create(*, migrated: bool) -> str:
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        name = f"t_{uuid.uuid4().hex[:16]}"
        if migrated:
            await _ensure_template(admin)
        template = f' TEMPLATE "{_TEMPLATE}"' if migrated else ""
        await admin.execute(f'CREATE DATABASE "{name}"{template}')
        return name
    finally:
        await admin.close()


async def _drop(name: str) -> None:
    admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        with contextlib.suppress(asyncpg.PostgresError):
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@contextlib.contextmanager
def live_database(sqlite_path: Path) -> Iterator[str | Path]:
    """:func:`fresh_database` for a test without an event loop of its own (one that starts the
    bot as a process): made and dropped in short loops of their own."""
    if not ON_POSTGRES:
        yield sqlite_path
        return
    name = asyncio.run(_create(migrated=True))
    try:
        yield _url_of(name)
    finally:
        asyncio.run(_drop(name))
