from __future__ import annotations

import asyncio
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Database, SqliteDatabase, open_database
from tests.kit.databases import ON_POSTGRES, fresh_empty_database

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "private.sqlite3")
    await database.migrate()
    await database.close()
    mode = stat.S_IMODE((tmp_path / "private.sqlite3").stat().st_mode)
    assert mode == 0o600


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's pragmas")
async def test_pragmas_give_wal_foreign_keys_and_a_busy_timeout(db: Database) -> None:
    async with db.read() as session:
        values = {}
        for pragma in ("journal_mode", "foreign_keys", "busy_timeout", "secure_delete"):
            rows = list(await session.conn.execute_fetchall(f"PRAGMA {pragma}"))
            values[pragma] = rows[0][0]
    assert values == {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "secure_delete": 1,
    }


async def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    database = await SqliteDatabase.open(tmp_path / "m.sqlite3")
    first = await database.migrate()
    second = await database.migrate()
    await database.close()
    assert first and first[0].startswith("0001_")
    assert second == []


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL's advisory lock")
async def test_two_instances_starting_at_once_migrate_once(tmp_path: Path) -> None:
    """Both open the same empty database and migrate at the same moment: one applies every
    file, the other waits on the advisory lock and then finds nothing left to do."""
    async with fresh_empty_database() as url:
        first, second = await open_database(url), await open_database(url)
        try:
            applied = await asyncio.gather(first.migrate(), second.migrate())
        finally:
            await first.close()
            await second.close()
    assert sorted(len(names) for names in applied) == [0, len(applied[0] or applied[1])]
    assert (applied[0] or applied[1])[0].startswith("0001_")


async def test_a_failing_transaction_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await session.users.set_language(1, "en", NOW)
            raise RuntimeError("boom")
    async with db.read() as session:
        assert await session.users.get(1) is None


async def test_audit_rows_cannot_be_rewritten(db: Database) -> None:
    async with db.transaction() as session:
        await session.audit.record(at=NOW, actor_id=1, action="user.language_changed")
    with pytest.raises(Exception, match="append-only"):
        async with db.transaction() as session:
            await session.conn.execute("UPDATE audit_log SET action = 'x'")
    async with db.read() as session:
        assert [row.action for row in await session.audit.recent()] == ["user.language_changed"]


async def test_a_board_keeps_its_members_and_roles(db: Database) -> None:
    async with db.transaction() as session:
        board = await session.boards.create(-100123, "Борд", NOW)
        await session.boards.add_member(board.id, 7, "coordinator", "social", "active", NOW)
        await session.boards.add_member(board.id, 8, "member", "health", "pending", NOW)
    async with db.read() as session:
        active = await session.boards.memberships_of(7)
        pending = await session.boards.memberships_of(8)
        assert await session.boards.by_chat(-100123) == board
    assert [(m.role, m.sector) for m in active] == [("coordinator", "social")]
    assert pending == []


async def test_a_dialogue_is_one_per_person_and_replaced_on_reopen(db: Database) -> None:
    async with db.transaction() as session:
        await session.dialogs.open(5, "newcase", "label", NOW, draft={"a": 1})
        await session.dialogs.open(5, "escalate", "kind", NOW)
    async with db.read() as session:
        dialog = await session.dialogs.get(5)
    assert dialog is not None
    assert (dialog.kind, dialog.step, dialog.draft) == ("escalate", "kind", {})
