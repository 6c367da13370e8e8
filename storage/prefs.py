"""Each person's follow-up preferences."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.models import PrefsRecord
from storage.timeconv import to_ts

_FIELDS = ("quiet_start", "quiet_end", "quiet_weekends", "muted")


class PrefsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, user_id: int) -> PrefsRecord:
        row = await self._conn.point_one(
            "SELECT quiet_start, quiet_end, quiet_weekends, muted FROM member_prefs"
            " WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return PrefsRecord(user_id, None, None, None, ())
        return PrefsRecord(
            user_id,
            row[0],
            row[1],
            None if row[2] is None else bool(row[2]),
            tuple(kind for kind in str(row[3]).split(",") if kind),
        )

    async def put(self, user_id: int, field: str, value: str | int | None, now: datetime) -> None:
        if field not in _FIELDS:
            raise ValueError(f"unknown preference {field}")
        await self._conn.execute(
            f"INSERT INTO member_prefs (user_id, {field}, updated_at) VALUES (?, ?, ?)"
            f" ON CONFLICT (user_id) DO UPDATE SET {field} = excluded.{field},"
            " updated_at = excluded.updated_at",
            (user_id, value, to_ts(now)),
        )
