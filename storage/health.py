"""The health check's one row: a write that must commit for the database to count as well."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.timeconv import to_ts


class HealthRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def touch(self, now: datetime) -> None:
        """Goes with the commit, in one hand-off: a database that refuses writes fails there."""
        await self._conn.write("UPDATE health SET checked_at = ? WHERE id = 1", (to_ts(now),))
