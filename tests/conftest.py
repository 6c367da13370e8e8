from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage import Database, open_database
from tests.kit import Harness
from tests.kit.databases import fresh_database, live_database
from tests.kit.live import LiveBot, live_bot


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with (
        fresh_database(tmp_path / "bot.sqlite3") as where,
        Harness.running(where) as running,
    ):
        yield running
        await assert_case_counts_exact(running.db)


async def assert_case_counts_exact(db: Database) -> None:
    """After every flow test: the counts /cases shows (kept by triggers) are the cases there
    are, whatever the test did to them (raised, moved, closed, erased, deleted)."""
    async with db.read() as session:
        kept = await session.conn.execute_fetchall(
            "SELECT board_id, status, lead_sector, count FROM case_counts WHERE count != 0"
            " ORDER BY 1, 2, 3"
        )
        counted = await session.conn.execute_fetchall(
            "SELECT board_id, status, lead_sector, COUNT(*) FROM cases GROUP BY 1, 2, 3"
            " ORDER BY 1, 2, 3"
        )
    assert [tuple(row) for row in kept] == [tuple(row) for row in counted]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with fresh_database(tmp_path / "unit.sqlite3") as where:
        database = await open_database(where)
        await database.migrate()
        yield database
        await database.close()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[LiveBot, subprocess.Popen[str]]]:
    """The bot as a real process over HTTP against the fake Bot API (tests/kit/live.py)."""
    with live_database(tmp_path / "live.sqlite3") as where:
        yield from live_bot(tmp_path, where)


@pytest.fixture
def live_db(tmp_path: Path) -> Iterator[Path | str]:
    """Where a bot process of the test's keeps its data: a SQLite file, or a fresh PostgreSQL
    database."""
    with live_database(tmp_path / "live.sqlite3") as where:
        yield where


@pytest.fixture
async def bot_db(tmp_path: Path) -> AsyncIterator[Path | str]:
    """Where a test that stops and starts the bot keeps its database across the restart."""
    async with fresh_database(tmp_path / "bot.sqlite3") as where:
        yield where
