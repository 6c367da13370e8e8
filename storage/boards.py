"""Boards (one per group chat) and who sits on them."""

from __future__ import annotations

from datetime import datetime

import aiosqlite

from storage.models import BoardRecord, MembershipRecord
from storage.timeconv import to_ts

_BOARD_COLUMNS = "id, chat_id, thread_id, title, status"
_MEMBER_COLUMNS = "board_id, user_id, role, sector, status"


def _board(row: aiosqlite.Row) -> BoardRecord:
    return BoardRecord(row["id"], row["chat_id"], row["thread_id"], row["title"], row["status"])


def _member(row: aiosqlite.Row) -> MembershipRecord:
    return MembershipRecord(
        row["board_id"], row["user_id"], row["role"], row["sector"], row["status"]
    )


class BoardRepository:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def create(
        self, chat_id: int, title: str, now: datetime, thread_id: int | None = None
    ) -> BoardRecord:
        async with self._conn.execute(
            "INSERT INTO boards (chat_id, thread_id, title, created_at) VALUES (?, ?, ?, ?)"
            f" RETURNING {_BOARD_COLUMNS}",
            (chat_id, thread_id, title, to_ts(now)),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return _board(row)

    async def get(self, board_id: int) -> BoardRecord | None:
        async with self._conn.execute(
            f"SELECT {_BOARD_COLUMNS} FROM boards WHERE id = ?", (board_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _board(row)

    async def by_chat(self, chat_id: int) -> BoardRecord | None:
        async with self._conn.execute(
            f"SELECT {_BOARD_COLUMNS} FROM boards WHERE chat_id = ?", (chat_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _board(row)

    async def add_member(
        self,
        board_id: int,
        user_id: int,
        role: str,
        sector: str,
        status: str,
        now: datetime,
    ) -> None:
        ts = to_ts(now)
        await self._conn.execute(
            "INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO NOTHING",
            (user_id, ts, ts),
        )
        await self._conn.execute(
            "INSERT INTO memberships"
            " (board_id, user_id, role, sector, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role,"
            " sector = excluded.sector, status = excluded.status,"
            " updated_at = excluded.updated_at",
            (board_id, user_id, role, sector, status, ts, ts),
        )

    async def membership(self, board_id: int, user_id: int) -> MembershipRecord | None:
        async with self._conn.execute(
            f"SELECT {_MEMBER_COLUMNS} FROM memberships WHERE board_id = ? AND user_id = ?",
            (board_id, user_id),
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _member(row)

    async def memberships_of(self, user_id: int) -> list[MembershipRecord]:
        """Active memberships of one person, on every board that is not archived."""
        async with self._conn.execute(
            "SELECT m.board_id, m.user_id, m.role, m.sector, m.status FROM memberships m"
            " JOIN boards b ON b.id = m.board_id"
            " WHERE m.user_id = ? AND m.status = 'active' AND b.status = 'active'"
            " ORDER BY m.board_id",
            (user_id,),
        ) as cur:
            rows = await cur.fetchall()
        return [_member(row) for row in rows]
