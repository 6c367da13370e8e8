"""The append-only audit trail: ids and action names, never free text."""

from __future__ import annotations

from datetime import datetime

from storage.connection import Connection
from storage.models import AuditRecord
from storage.timeconv import from_ts, to_ts


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def record(
        self,
        *,
        at: datetime,
        actor_id: int | None,
        action: str,
        board_id: int | None = None,
        subject_type: str | None = None,
        subject_id: str | int | None = None,
        chat_id: int | None = None,
    ) -> None:
        await self._conn.write(
            "INSERT INTO audit_log"
            " (at, actor_id, action, board_id, subject_type, subject_id, chat_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                to_ts(at),
                actor_id,
                action,
                board_id,
                subject_type,
                None if subject_id is None else str(subject_id),
                chat_id,
            ),
        )

    async def recent(self, limit: int = 100) -> list[AuditRecord]:
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT id, at, actor_id, action, board_id, subject_type, subject_id, chat_id"
                " FROM audit_log ORDER BY id DESC LIMIT ?",
                (limit,),
            )
        )
        return [
            AuditRecord(
                row["id"],
                from_ts(row["at"]),
                row["actor_id"],
                row["action"],
                row["board_id"],
                row["subject_type"],
                row["subject_id"],
                row["chat_id"],
            )
            for row in rows
        ]
