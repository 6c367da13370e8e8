"""Active and standby on one database: the lead (storage/leadership.py), and the outbox rows
each instance claims. On SQLite and, in the second pass, on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Database, open_database
from storage.models import NewOutboxItem
from tests.kit.databases import ON_POSTGRES, fresh_database

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
ALIVE, GONE = 10**12 + 1, 10**12 + 2

postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's own locks")


@pytest.fixture
async def where(tmp_path: Path) -> AsyncIterator[Path | str]:
    async with fresh_database(tmp_path / "lead.sqlite3") as location:
        yield location


async def opened(where: Path | str) -> Database:
    db = await open_database(where)
    await db.migrate()
    return db


async def test_one_instance_leads_and_the_standby_takes_over_once_it_is_gone(
    where: Path | str,
) -> None:
    first, second = await opened(where), await opened(where)
    try:
        active, standby = await first.lead(), await second.lead()
        assert await active.try_take()
        assert not await standby.try_take()
        assert not await standby.try_take()  # asking again changes nothing
        await first.close()  # the process ends: its lead goes with it
        assert await standby.try_take()
        assert active.instance != standby.instance
    finally:
        await second.close()


@postgres_only
async def test_a_standby_is_live_and_an_instance_gone_is_not(where: Path | str) -> None:
    first, second = await opened(where), await opened(where)
    try:
        active, standby = await first.lead(), await second.lead()
        await active.try_take()
        await standby.try_take()
        assert {active.instance, standby.instance} <= await active.live_instances()
        await second.close()
        assert standby.instance not in await active.live_instances()
    finally:
        await first.close()


@postgres_only
async def test_a_lead_whose_connection_is_cut_is_lost_at_once(where: Path | str) -> None:
    import asyncpg

    from tests.kit.databases import POSTGRES_ADMIN_URL

    db = await opened(where)
    try:
        lead = await db.lead()
        assert await lead.try_take()
        admin = await asyncpg.connect(POSTGRES_ADMIN_URL)
        try:  # the lock's connection, ended from outside (a network cut, an operator)
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks"
                " WHERE locktype = 'advisory' AND objid = $1 AND granted",
                0x6C656164,
            )
        finally:
            await admin.close()
        await asyncio.wait_for(lead.keep(), timeout=30)
        assert lead.lost.is_set()
        other = await opened(where)
        try:
            assert await (await other.lead()).try_take()  # and another may lead now
        finally:
            await other.close()
    finally:
        await db.close()


def notice(chat_id: int) -> NewOutboxItem:
    return NewOutboxItem(
        chat_id=chat_id,
        kind="notice",
        due_at=NOW,
        payload={"key": "demo.reminder"},
        dedupe_key=f"lead-{chat_id}",
    )


async def test_on_start_only_rows_of_instances_gone_are_sent_again(db: Database) -> None:
    async with db.transaction() as session:
        await session.outbox.enqueue([notice(1), notice(2)], NOW)
    async with db.transaction() as session:
        [alive] = await session.outbox.claim_due(NOW, 1, by=ALIVE)
    async with db.transaction() as session:
        [gone] = await session.outbox.claim_due(NOW, 1, by=GONE)
    async with db.transaction() as session:
        assert await session.outbox.recover_in_flight(NOW, {ALIVE}) == 1
    async with db.transaction() as session:
        # the row of the instance gone is claimed again, by the one taking over
        [again] = await session.outbox.claim_due(NOW + timedelta(seconds=1), 5, by=ALIVE + 5)
    assert again.id == gone.id
    async with db.transaction() as session:
        # a late word of the instance gone changes nothing: the row is another's now
        await session.outbox.mark_sent(gone.id, 77, NOW, by=GONE)
        await session.outbox.mark_sent(alive.id, 78, NOW, by=ALIVE)
    async with db.read() as session:
        rows = await session.conn.execute_fetchall(
            "SELECT id, state, message_id FROM outbox ORDER BY id"
        )
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (alive.id, "sent", 78),
        (gone.id, "sending", None),
    ]


@postgres_only
async def test_two_claims_at_once_never_take_the_same_row(where: Path | str) -> None:
    first, second = await opened(where), await opened(where)
    try:
        async with first.transaction() as session:
            await session.outbox.enqueue([notice(chat) for chat in range(1, 11)], NOW)
        async with first.transaction() as one:
            taken = await one.outbox.claim_due(NOW, 4, by=ALIVE)
            async with second.transaction() as other:  # while the first still holds its rows
                beside = await asyncio.wait_for(
                    other.outbox.claim_due(NOW, 10, by=GONE), timeout=10
                )
        assert len(taken) == 4 and len(beside) == 6
        assert not {item.id for item in taken} & {item.id for item in beside}
    finally:
        await first.close()
        await second.close()


@postgres_only
async def test_copy_to_moves_a_sqlite_board_into_postgresql_row_by_row(tmp_path: Path) -> None:
    """``boardbot copy-to``: a board with a case, a vote and a meeting, moved and compared; the
    copy works as the bot's database, and a second copy into it is refused."""
    from storage import SqliteDatabase
    from storage.copy import CopyError, copy_database
    from tests.kit import Harness
    from tests.kit.databases import fresh_empty_database
    from tests.kit.meetings import a_board, fixed_meeting
    from tests.kit.votes import board_with_case, open_vote

    sqlite_path = tmp_path / "before.sqlite3"
    async with Harness.running(sqlite_path) as h:
        board = await board_with_case(h)
        await open_vote(h, board)
        await fixed_meeting(h, await a_board(h))
        await h.dispatch()
        code = board.code
    async with fresh_empty_database() as url:
        source, target = await SqliteDatabase.open(sqlite_path), await open_database(url)
        try:
            report = await copy_database(source, target)
            assert report.rows["cases"] == 1 and report.rows["votes"] == 0
            assert report.rows["meetings"] == 1 and report.rows["case_counts"] == 1
            with pytest.raises(CopyError, match="not empty"):  # nothing is overwritten
                await copy_database(source, target)
        finally:
            await source.close()
            await target.close()
        async with Harness.running(url) as moved:
            async with moved.db.transaction() as session:  # new rows get new ids
                [row] = await session.conn.execute_fetchall(
                    "SELECT code FROM cases WHERE code = ?", (code,)
                )
                assert row[0] == code
                await session.outbox.enqueue([notice(5)], NOW)
            async with moved.db.read() as session:
                ids = [r[0] for r in await session.conn.execute_fetchall("SELECT id FROM outbox")]
            assert len(ids) == len(set(ids)) and max(ids) > report.rows["outbox"]
