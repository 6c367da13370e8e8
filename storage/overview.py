"""When each person last looked at their overview on each board (``/today``)."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.timeconv import from_ts, to_ts


class OverviewRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def seen_at(self, board_id: int, user_id: int) -> datetime | None:
        row = await self._conn.point_one(
            "SELECT seen_at FROM overview_seen WHERE board_id = ? AND user_id = ?",
            (board_id, user_id),
        )
        return None if row is None else from_ts(row[0])

    async def mark_seen(self, board_ids: list[int], user_id: int, now: datetime) -> None:
        await self._conn.executemany(
            "INSERT INTO overview_seen (board_id, user_id, seen_at) VALUES (?, ?, ?)"
            " ON CONFLICT (board_id, user_id) DO UPDATE SET seen_at = excluded.seen_at",
            [(board_id, user_id, to_ts(now)) for board_id in board_ids],
        )
