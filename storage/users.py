"""People the bot has met: their chosen language and whether they opened the private chat."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.models import UserRecord
from storage.timeconv import to_ts


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, user_id: int) -> UserRecord | None:
        row = await self._conn.point_one(
            "SELECT id, language, private_chat_open, last_board_id, telegram_language"
            " FROM users WHERE id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return UserRecord(
            row["id"],
            row["language"],
            bool(row["private_chat_open"]),
            row["last_board_id"],
            row["telegram_language"],
        )

    async def remember(
        self, user_id: int, telegram_language: str | None, private_chat_open: bool, now: datetime
    ) -> None:
        """What Telegram tells us about a person: their app's language, an opened private chat."""
        await self._conn.write(
            "INSERT INTO users (id, telegram_language, private_chat_open, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET telegram_language = excluded.telegram_language,"
            " private_chat_open = CASE WHEN users.private_chat_open > excluded.private_chat_open"
            " THEN users.private_chat_open ELSE excluded.private_chat_open END,"
            " updated_at = excluded.updated_at",
            (user_id, telegram_language, int(private_chat_open), to_ts(now), to_ts(now)),
        )

    async def set_last_board(self, user_id: int, board_id: int, now: datetime) -> None:
        """Remember the board last chosen in private, for people on several boards."""
        await self._conn.write(
            "INSERT INTO users (id, last_board_id, created_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET last_board_id = excluded.last_board_id,"
            " updated_at = excluded.updated_at",
            (user_id, board_id, to_ts(now), to_ts(now)),
        )

    async def mark_private_chat_closed(self, user_id: int, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE users SET private_chat_open = 0, updated_at = ? WHERE id = ?",
            (to_ts(now), user_id),
        )

    async def set_language(self, user_id: int, language: str, now: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO users (id, language, created_at, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET language = excluded.language,"
            " updated_at = excluded.updated_at",
            (user_id, language, to_ts(now), to_ts(now)),
        )
