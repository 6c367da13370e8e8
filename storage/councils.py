"""Councils (a group that receives the figures of the boards that share with it) and which
board shares with which."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.connection import Connection
from storage.rows import Reader
from storage.timeconv import to_ts


@dataclass(frozen=True, slots=True)
class CouncilRecord:
    id: int
    chat_id: int
    title: str
    join_code: str
    language: str


_council = Reader(CouncilRecord)
_COLUMNS = _council.columns


class CouncilRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def create(
        self, chat_id: int, title: str, join_code: str, language: str, by: int, at: datetime
    ) -> CouncilRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO councils (chat_id, title, join_code, language, created_by,"
            f" created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (chat_id, title, join_code, language, by, to_ts(at)),
        )
        assert row is not None
        return _council(row)

    async def get(self, council_id: int) -> CouncilRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM councils WHERE id = ?", (council_id,)
        )
        return None if row is None else _council(row)

    async def by_chat(self, chat_id: int) -> CouncilRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM councils WHERE chat_id = ?", (chat_id,)
        )
        return None if row is None else _council(row)

    async def by_code(self, join_code: str) -> CouncilRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM councils WHERE join_code = ?", (join_code,)
        )
        return None if row is None else _council(row)

    async def share(self, board_id: int, council_id: int, by: int, at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO board_councils (board_id, council_id, shared_by, shared_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (board_id) DO UPDATE SET"
            " council_id = excluded.council_id, shared_by = excluded.shared_by,"
            " shared_at = excluded.shared_at",
            (board_id, council_id, by, to_ts(at)),
        )

    async def unshare(self, board_id: int) -> bool:
        cur = await self._conn.execute("DELETE FROM board_councils WHERE board_id = ?", (board_id,))
        return cur.rowcount > 0

    async def council_of(self, board_id: int) -> CouncilRecord | None:
        row = await self._conn.fetch_one(
            "SELECT c.id, c.chat_id, c.title, c.join_code, c.language FROM councils c"
            " JOIN board_councils s ON s.council_id = c.id WHERE s.board_id = ?",
            (board_id,),
        )
        return None if row is None else _council(row)

    async def boards_of(self, council_id: int) -> list[int]:
        """The ids of the active boards sharing with the council, in id order."""
        rows = await self._conn.execute_fetchall(
            "SELECT s.board_id FROM board_councils s JOIN boards b ON b.id = s.board_id"
            " WHERE s.council_id = ? AND b.status = 'active' ORDER BY s.board_id",
            (council_id,),
        )
        return [int(row[0]) for row in rows]
