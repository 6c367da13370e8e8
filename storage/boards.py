"""Boards (one per group chat) and who sits on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.connection import Connection
from storage.models import BoardRecord, BoardStatus, MembershipRecord, MembershipStatus
from storage.rows import Reader
from storage.timeconv import to_ts

_board = Reader(BoardRecord)
_BOARD_COLUMNS = _board.columns
_member = Reader(MembershipRecord)
_MEMBER_COLUMNS = _member.columns
_IN_CHAT = (
    f"SELECT {_board.prefixed('b')}, {_member.prefixed('m')}"
    " FROM boards b LEFT JOIN memberships m ON m.board_id = b.id AND m.user_id = ?"
    " WHERE b.chat_id = ?"
)
"""The group's board and one person's membership on it (built once: it is on every update)."""


class BoardRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    # boards -------------------------------------------------------------------------------------
    async def create(
        self,
        chat_id: int,
        title: str,
        now: datetime,
        *,
        thread_id: int | None = None,
        join_code: str | None = None,
        created_by: int = 0,
        code_prefix: str = "BD",
    ) -> BoardRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO boards"
            " (chat_id, thread_id, title, join_code, created_by, created_at, code_prefix)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING {_BOARD_COLUMNS}",
            (
                chat_id,
                thread_id,
                title,
                join_code or f"c{chat_id}",
                created_by,
                to_ts(now),
                code_prefix,
            ),
        )
        assert row is not None
        return _board(row)

    async def get(self, board_id: int) -> BoardRecord | None:
        return await self._one(f"SELECT {_BOARD_COLUMNS} FROM boards WHERE id = ?", board_id)

    async def by_chat(self, chat_id: int) -> BoardRecord | None:
        return await self._one(f"SELECT {_BOARD_COLUMNS} FROM boards WHERE chat_id = ?", chat_id)

    async def in_chat(
        self, chat_id: int, user_id: int
    ) -> tuple[BoardRecord | None, MembershipRecord | None]:
        """The group's board and the person's membership on it, in one read (the hot path)."""
        row = await self._conn.point_one(_IN_CHAT, (user_id, chat_id))
        if row is None:
            return None, None
        board = _board(row)
        member = None if row["user_id"] is None else _member(row, start=_board.width)
        return board, member

    async def by_join_code(self, code: str) -> BoardRecord | None:
        return await self._one(f"SELECT {_BOARD_COLUMNS} FROM boards WHERE join_code = ?", code)

    async def many(self, board_ids: Sequence[int]) -> list[BoardRecord]:
        if not board_ids:
            return []
        marks = ", ".join("?" for _ in board_ids)
        return [
            _board(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_BOARD_COLUMNS} FROM boards WHERE id IN ({marks}) ORDER BY title, id",
                tuple(board_ids),
            )
        ]

    async def active(self) -> list[BoardRecord]:
        return [
            _board(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_BOARD_COLUMNS} FROM boards WHERE status = 'active' ORDER BY id"
            )
        ]

    async def _one(self, sql: str, value: object) -> BoardRecord | None:
        row = await self._conn.point_one(sql, (value,))
        return None if row is None else _board(row)

    async def set_status(self, board_id: int, status: BoardStatus, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE boards SET status = ?,"
            " archived_at = CASE WHEN ? = 'archived' THEN CAST(? AS BIGINT) ELSE NULL END"
            " WHERE id = ?",
            (status, status, to_ts(now), board_id),
        )

    async def update_place(self, board_id: int, *, title: str, thread_id: int | None) -> None:
        await self._conn.execute(
            "UPDATE boards SET title = ?, thread_id = ? WHERE id = ?",
            (title, thread_id, board_id),
        )

    async def move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        cur = await self._conn.execute(
            "UPDATE boards SET chat_id = ? WHERE chat_id = ?", (new_chat_id, old_chat_id)
        )
        return cur.rowcount

    async def set_handover(self, board_id: int, user_id: int | None) -> None:
        await self._conn.execute(
            "UPDATE boards SET handover_to = ? WHERE id = ?", (user_id, board_id)
        )

    # memberships --------------------------------------------------------------------------------
    async def add_member(
        self,
        board_id: int,
        user_id: int,
        role: str,
        sector: str,
        status: MembershipStatus,
        now: datetime,
        *,
        display_name: str = "",
        conduct_version: int | None = None,
    ) -> None:
        """Insert or replace one person's membership (a re-join starts over)."""
        ts = to_ts(now)
        await self._conn.execute(
            "INSERT INTO users (id, created_at, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO NOTHING",
            (user_id, ts, ts),
        )
        await self._conn.execute(
            "INSERT INTO memberships (board_id, user_id, role, sector, status, display_name,"
            " conduct_version, conduct_accepted_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (board_id, user_id) DO UPDATE SET role = excluded.role,"
            " sector = excluded.sector, status = excluded.status,"
            " display_name = excluded.display_name, conduct_version = excluded.conduct_version,"
            " conduct_accepted_at = excluded.conduct_accepted_at, decided_by = NULL,"
            " updated_at = excluded.updated_at",
            (
                board_id,
                user_id,
                role,
                sector,
                status,
                display_name,
                conduct_version,
                None if conduct_version is None else ts,
                ts,
                ts,
            ),
        )

    async def membership(self, board_id: int, user_id: int) -> MembershipRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_MEMBER_COLUMNS} FROM memberships WHERE board_id = ? AND user_id = ?",
            (board_id, user_id),
        )
        return None if row is None else _member(row)

    async def set_member_status(
        self,
        board_id: int,
        user_id: int,
        status: MembershipStatus,
        now: datetime,
        *,
        decided_by: int | None = None,
        expected: Sequence[MembershipStatus] = (),
    ) -> bool:
        """Change a membership's status; with ``expected``, only from one of those states."""
        sql = (
            "UPDATE memberships SET status = ?, decided_by = COALESCE(?, decided_by),"
            " updated_at = ? WHERE board_id = ? AND user_id = ?"
        )
        params: list[object] = [status, decided_by, to_ts(now), board_id, user_id]
        if expected:
            sql += f" AND status IN ({', '.join('?' for _ in expected)})"
            params.extend(expected)
        cur = await self._conn.execute(sql, tuple(params))
        return cur.rowcount > 0

    async def set_member_role(self, board_id: int, user_id: int, role: str, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE memberships SET role = ?, updated_at = ? WHERE board_id = ? AND user_id = ?",
            (role, to_ts(now), board_id, user_id),
        )

    async def set_member_sector(
        self, board_id: int, user_id: int, sector: str, now: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE memberships SET sector = ?, updated_at = ? WHERE board_id = ? AND user_id = ?",
            (sector, to_ts(now), board_id, user_id),
        )

    async def members(
        self, board_id: int, statuses: Sequence[str] = (MembershipStatus.ACTIVE,)
    ) -> list[MembershipRecord]:
        marks = ", ".join("?" for _ in statuses)
        return [
            _member(row)
            for row in await self._conn.point(
                f"SELECT {_MEMBER_COLUMNS} FROM memberships WHERE board_id = ?"
                f" AND status IN ({marks}) ORDER BY sector, display_name, user_id",
                (board_id, *statuses),
            )
        ]

    async def member_ids(self, board_id: int, roles: Sequence[str]) -> list[int]:
        """Active members in ``roles``, in that order of roles (the coordinators: one query)."""
        marks = ", ".join("?" for _ in roles)
        rows = await self._conn.execute_fetchall(
            f"SELECT user_id, role FROM memberships WHERE board_id = ? AND status = 'active'"
            f" AND role IN ({marks}) ORDER BY sector, display_name, user_id",
            (board_id, *roles),
        )
        return [row[0] for row in sorted(rows, key=lambda row: list(roles).index(row[1]))]

    async def senior_deputy(self, board_id: int) -> MembershipRecord | None:
        """The active deputy who has been on the board longest."""
        row = await self._conn.fetch_one(
            f"SELECT {_MEMBER_COLUMNS} FROM memberships WHERE board_id = ? AND role = 'deputy'"
            " AND status = 'active' ORDER BY created_at, user_id LIMIT 1",
            (board_id,),
        )
        return None if row is None else _member(row)

    async def has_pending_join(self, user_id: int) -> bool:
        """A request to join an active board, waiting for its coordinator."""
        rows = await self._conn.execute_fetchall(
            "SELECT 1 FROM memberships m JOIN boards b ON b.id = m.board_id"
            " WHERE m.user_id = ? AND m.status = 'pending' AND b.status = 'active' LIMIT 1",
            (user_id,),
        )
        return bool(rows)

    async def memberships_of(self, user_id: int) -> list[MembershipRecord]:
        """Active memberships of one person, on every board that is not archived."""
        rows = list(
            await self._conn.point(
                "SELECT m.board_id, m.user_id, m.role, m.sector, m.status, m.display_name,"
                " m.conduct_version FROM memberships m JOIN boards b ON b.id = m.board_id"
                " WHERE m.user_id = ? AND m.status = 'active' AND b.status = 'active'"
                " ORDER BY m.board_id",
                (user_id,),
            )
        )
        return [_member(row) for row in rows]
