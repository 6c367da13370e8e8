"""One open dialogue per person, saved at every answer so a restart resumes it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from storage.connection import Connection
from storage.models import DialogRecord
from storage.rows import Forgetting
from storage.timeconv import from_ts, to_ts


class DialogRepository:
    def __init__(self, conn: Connection, forgetting: Forgetting) -> None:
        self._conn = conn
        self._forgetting = forgetting

    async def get(self, user_id: int) -> DialogRecord | None:
        row = await self._conn.point_one(
            "SELECT user_id, kind, step, board_id, draft, started_at, updated_at"
            " FROM dialogs WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return DialogRecord(
            row["user_id"],
            row["kind"],
            row["step"],
            row["board_id"],
            json.loads(row["draft"]),
            from_ts(row["started_at"]),
            from_ts(row["updated_at"]),
        )

    async def open(
        self,
        user_id: int,
        kind: str,
        step: str,
        now: datetime,
        *,
        board_id: int | None = None,
        draft: dict[str, Any] | None = None,
    ) -> None:
        """Start a dialogue, replacing whatever was open (one per person)."""
        ts = to_ts(now)
        await self._conn.execute(
            "INSERT INTO dialogs (user_id, kind, step, board_id, draft, started_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET kind = excluded.kind, step = excluded.step,"
            " board_id = excluded.board_id, draft = excluded.draft,"
            " started_at = excluded.started_at, updated_at = excluded.updated_at",
            (user_id, kind, step, board_id, json.dumps(draft or {}), ts, ts),
        )

    async def advance(self, user_id: int, step: str, draft: dict[str, Any], now: datetime) -> None:
        await self._conn.write(
            "UPDATE dialogs SET step = ?, draft = ?, updated_at = ? WHERE user_id = ?",
            (step, json.dumps(draft), to_ts(now), user_id),
        )

    async def close(self, user_id: int) -> bool:
        """The dialogue is done: its draft was saved where it belongs."""
        cur = await self._conn.execute("DELETE FROM dialogs WHERE user_id = ?", (user_id,))
        return cur.rowcount > 0

    async def discard(self, user_id: int) -> bool:
        """The dialogue was cancelled: its draft's text is forgotten, in every file."""
        self._forgetting.mark()
        return await self.close(user_id)

    async def delete_older_than(self, cutoff: datetime) -> int:
        """Abandoned drafts: forgotten, in every file."""
        cur = await self._conn.execute("DELETE FROM dialogs WHERE updated_at < ?", (to_ts(cutoff),))
        if cur.rowcount:
            self._forgetting.mark()
        return cur.rowcount
