"""Texts the personal-data guard blanked, waiting for their author's choice."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.connection import Connection
from storage.models import BlankedInputRecord
from storage.rows import Forgetting
from storage.timeconv import from_ts, to_ts


class BlankedInputRepository:
    def __init__(self, conn: Connection, forgetting: Forgetting) -> None:
        self._conn = conn
        self._forgetting = forgetting

    async def hold(
        self,
        user_id: int,
        chat_id: int,
        origin: str,
        payload: dict[str, Any],
        body: str,
        now: datetime,
    ) -> None:
        """One per person: a newer blanked text replaces the one held before."""
        await self._conn.execute(
            "INSERT INTO blanked_inputs (user_id, chat_id, origin, payload, body, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
            " chat_id = excluded.chat_id, origin = excluded.origin, payload = excluded.payload,"
            " body = excluded.body, created_at = excluded.created_at",
            (user_id, chat_id, origin, json.dumps(payload), body, to_ts(now)),
        )

    async def get(self, user_id: int) -> BlankedInputRecord | None:
        row = await self._conn.point_one(
            "SELECT user_id, chat_id, origin, payload, body, created_at"
            " FROM blanked_inputs WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return BlankedInputRecord(
            row[0], row[1], row[2], json.loads(row[3]), row[4], from_ts(row[5])
        )

    async def drop(self, user_id: int) -> None:
        """Used or abandoned: forgotten, in every file."""
        cur = await self._conn.execute("DELETE FROM blanked_inputs WHERE user_id = ?", (user_id,))
        if cur.rowcount:
            self._forgetting.mark()

    async def drop_older_than(self, cutoff: datetime) -> int:
        cur = await self._conn.execute(
            "DELETE FROM blanked_inputs WHERE created_at < ?", (to_ts(cutoff),)
        )
        if cur.rowcount:
            self._forgetting.mark()
        return cur.rowcount
