"""Actions: what the board agreed to do, its owner, its due date and its state."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from storage.connection import Connection
from storage.models import ActionRecord, ActionStatus
from storage.rows import Reader
from storage.timeconv import to_ts

_action = Reader(ActionRecord)
_COLUMNS = _action.columns


class ActionRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def create(
        self,
        *,
        board_id: int,
        case_id: int,
        proposal_id: int | None,
        title: str,
        owner_id: int | None,
        due_on: date | None,
        now: datetime,
    ) -> ActionRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO actions (board_id, case_id, proposal_id, title, owner_id, due_on,"
            f" created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (
                board_id,
                case_id,
                proposal_id,
                title,
                owner_id,
                None if due_on is None else due_on.isoformat(),
                to_ts(now),
                to_ts(now),
            ),
        )
        assert row is not None
        return _action(row)

    async def get(self, action_id: int) -> ActionRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM actions WHERE id = ?", (action_id,)
        )
        return None if row is None else _action(row)

    async def set_status(self, action_id: int, status: ActionStatus, now: datetime) -> None:
        closed = to_ts(now) if status in (ActionStatus.DONE, ActionStatus.CANCELLED) else None
        await self._conn.execute(
            "UPDATE actions SET status = ?, updated_at = ?, closed_at = ? WHERE id = ?",
            (status, to_ts(now), closed, action_id),
        )

    async def assign(
        self, action_id: int, owner_id: int | None, due_on: date | None, now: datetime
    ) -> None:
        await self._conn.execute(
            "UPDATE actions SET owner_id = ?, due_on = ?, updated_at = ? WHERE id = ?",
            (owner_id, None if due_on is None else due_on.isoformat(), to_ts(now), action_id),
        )

    async def snooze(self, action_id: int, until: datetime, now: datetime) -> None:
        await self._conn.execute(
            "UPDATE actions SET snoozed_until = ?, updated_at = ? WHERE id = ?",
            (to_ts(until), to_ts(now), action_id),
        )

    async def for_board(self, board_id: int, statuses: Sequence[str]) -> list[ActionRecord]:
        """Undated actions last, then by due date."""
        marks = ", ".join("?" for _ in statuses)
        return [
            _action(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM actions WHERE board_id = ? AND status IN ({marks})"
                " ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id",
                (board_id, *statuses),
            )
        ]

    async def owned_by(self, user_id: int, statuses: Sequence[str]) -> list[ActionRecord]:
        marks = ", ".join("?" for _ in statuses)
        return [
            _action(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM actions WHERE owner_id = ? AND status IN ({marks})"
                " ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id",
                (user_id, *statuses),
            )
        ]

    async def unowned_for(self, user_id: int) -> list[ActionRecord]:
        """Open actions with no owner yet on boards this person coordinates or cases they lead:
        the ones waiting for them to name someone. Starts from the person (two small index
        searches), never from every unowned action in the database."""
        columns = ", ".join("a." + c.strip() for c in _COLUMNS.split(","))
        return [
            _action(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {columns} FROM actions a WHERE a.status = 'open' AND a.owner_id IS NULL"
                " AND a.board_id IN (SELECT m.board_id FROM memberships m WHERE m.user_id = ?"
                "   AND m.status = 'active' AND m.role IN ('coordinator', 'deputy'))"
                f" UNION SELECT {columns} FROM actions a WHERE a.status = 'open'"
                " AND a.owner_id IS NULL AND a.case_id IN (SELECT t.case_id FROM case_team t"
                "   WHERE t.user_id = ? AND t.role = 'lead')"
                " ORDER BY 1",
                (user_id, user_id),
            )
        ]

    async def for_case(self, case_id: int) -> list[ActionRecord]:
        return [
            _action(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM actions WHERE case_id = ? ORDER BY id", (case_id,)
            )
        ]
