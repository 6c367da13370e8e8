"""Escalations, their replies, and each board's external contact."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.connection import Connection
from storage.models import EscalationRecord, EscalationStatus
from storage.rows import Reader
from storage.timeconv import from_ts, to_ts

_escalation = Reader(EscalationRecord)
_COLUMNS = _escalation.columns


class EscalationRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def create(
        self,
        *,
        board_id: int,
        case_id: int | None,
        raised_by: int,
        kind: str,
        urgency: str,
        description: str,
        neutral_line: bool,
        level: int,
        now: datetime,
    ) -> EscalationRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO escalations (board_id, case_id, raised_by, kind, urgency, description,"
            " neutral_line, level, created_at, updated_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (
                board_id,
                case_id,
                raised_by,
                kind,
                urgency,
                description,
                int(neutral_line),
                level,
                to_ts(now),
                to_ts(now),
            ),
        )
        assert row is not None
        return _escalation(row)

    async def get(self, escalation_id: int) -> EscalationRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM escalations WHERE id = ?", (escalation_id,)
        )
        return None if row is None else _escalation(row)

    async def set_state(
        self,
        escalation_id: int,
        now: datetime,
        *,
        status: EscalationStatus | None = None,
        level: int | None = None,
        acknowledged_by: int | None = None,
        outcome: str | None = None,
    ) -> None:
        await self._conn.execute(
            "UPDATE escalations SET status = COALESCE(?, status), level = COALESCE(?, level),"
            " acknowledged_by = COALESCE(?, acknowledged_by),"
            " acknowledged_at"
            " = CASE WHEN CAST(? AS BIGINT) IS NULL THEN acknowledged_at ELSE ? END,"
            " outcome = COALESCE(?, outcome),"
            " closed_at = CASE WHEN ? IN ('resolved', 'withdrawn') THEN ? ELSE closed_at END,"
            " updated_at = ? WHERE id = ?",
            (
                status,
                level,
                acknowledged_by,
                acknowledged_by,
                to_ts(now),
                outcome,
                status,
                to_ts(now),
                to_ts(now),
                escalation_id,
            ),
        )

    async def open_on(self, board_ids: Sequence[int]) -> list[EscalationRecord]:
        if not board_ids:
            return []
        marks = ", ".join("?" for _ in board_ids)
        return [
            _escalation(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM escalations WHERE board_id IN ({marks})"
                " AND status IN ('open', 'acknowledged')"
                " ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END, level DESC, created_at, id",
                tuple(board_ids),
            )
        ]

    async def raised_by(self, user_id: int) -> list[EscalationRecord]:
        return [
            _escalation(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM escalations WHERE raised_by = ?"
                " AND status IN ('open', 'acknowledged') ORDER BY created_at, id",
                (user_id,),
            )
        ]

    async def add_reply(self, escalation_id: int, now: datetime, author_id: int, body: str) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO escalation_replies (escalation_id, at, author_id, body)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (escalation_id, to_ts(now), author_id, body),
        )
        assert row is not None
        return int(row[0])

    async def replies(self, escalation_id: int) -> list[tuple[datetime, int, str]]:
        return [
            (from_ts(row[0]), row[1], row[2])
            for row in await self._conn.execute_fetchall(
                "SELECT at, author_id, body FROM escalation_replies WHERE escalation_id = ?"
                " ORDER BY id",
                (escalation_id,),
            )
        ]

    async def reply(self, reply_id: int) -> tuple[datetime, int, str] | None:
        row = await self._conn.fetch_one(
            "SELECT at, author_id, body FROM escalation_replies WHERE id = ?", (reply_id,)
        )
        return None if row is None else (from_ts(row[0]), row[1], row[2])

    # the external contact -----------------------------------------------------------------------
    async def external_contact(self, board_id: int) -> int | None:
        row = await self._conn.fetch_one(
            "SELECT external_contact FROM boards WHERE id = ?", (board_id,)
        )
        return None if row is None or row[0] is None else int(row[0])

    async def set_invite(self, board_id: int, token: str | None) -> None:
        await self._conn.execute(
            "UPDATE boards SET external_invite = ? WHERE id = ?", (token, board_id)
        )

    async def accept_invite(self, token: str, user_id: int) -> int | None:
        """The board whose one-time invitation this was (now used), or None."""
        row = await self._conn.fetch_one(
            "UPDATE boards SET external_contact = ?, external_invite = NULL"
            " WHERE external_invite = ? RETURNING id",
            (user_id, token),
        )
        return None if row is None else int(row[0])

    async def for_case(self, case_id: int) -> list[EscalationRecord]:
        return [
            _escalation(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM escalations WHERE case_id = ? ORDER BY id", (case_id,)
            )
        ]
