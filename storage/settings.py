"""Board settings stored as key/text pairs; types and defaults live in ``bot.settings``."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.timeconv import to_ts


class BoardSettingsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def raw(self, board_id: int) -> dict[str, str]:
        rows = list(
            await self._conn.point(
                "SELECT key, value FROM board_settings WHERE board_id = ?", (board_id,)
            )
        )
        return {row["key"]: row["value"] for row in rows}

    async def put(
        self, board_id: int, key: str, value: str, now: datetime, actor_id: int | None
    ) -> None:
        await self._conn.execute(
            "INSERT INTO board_settings (board_id, key, value, updated_at, updated_by)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (board_id, key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            (board_id, key, value, to_ts(now), actor_id),
        )
