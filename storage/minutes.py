"""The agenda of a meeting, written updates, and the minutes with their views, actions and
amendments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import aiosqlite

from storage.connection import Connection
from storage.models import (
    AgendaUpdateRecord,
    AmendmentRecord,
    MinutesActionRecord,
    MinutesRecord,
    SectorView,
)
from storage.rows import Reader
from storage.timeconv import from_ts, to_ts

MINUTES_FIELDS = ("question", "summary", "clash", "decision")
VIEW_FIELDS = ("problem", "todo", "who")
_minutes = Reader(MinutesRecord)
_COLUMNS = _minutes.columns


def _update(row: aiosqlite.Row) -> AgendaUpdateRecord:
    return AgendaUpdateRecord(row[0], row[1], row[2], row[3], row[4], from_ts(row[5]))


class AgendaRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, meeting_id: int, case_id: int, user_id: int, now: datetime) -> bool:
        """False when the case was already on this agenda."""
        cur = await self._conn.execute(
            "INSERT INTO agenda_items (meeting_id, case_id, added_by, added_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (meeting_id, case_id) DO NOTHING",
            (meeting_id, case_id, user_id, to_ts(now)),
        )
        return cur.rowcount == 1

    async def remove(self, meeting_id: int, case_id: int) -> bool:
        cur = await self._conn.execute(
            "DELETE FROM agenda_items WHERE meeting_id = ? AND case_id = ?", (meeting_id, case_id)
        )
        return cur.rowcount == 1

    async def case_ids(self, meeting_id: int) -> list[int]:
        """In the order they were added: the order the meeting takes them."""
        return [
            row[0]
            for row in await self._conn.execute_fetchall(
                "SELECT case_id FROM agenda_items WHERE meeting_id = ? ORDER BY added_at, case_id",
                (meeting_id,),
            )
        ]

    async def add_update(
        self, meeting_id: int, case_id: int, author_id: int, body: str, now: datetime
    ) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO agenda_updates (meeting_id, case_id, author_id, body, at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (meeting_id, case_id, author_id, body, to_ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def update(self, update_id: int) -> AgendaUpdateRecord | None:
        row = await self._conn.point_one(
            "SELECT id, meeting_id, case_id, author_id, body, at FROM agenda_updates WHERE id = ?",
            (update_id,),
        )
        return None if row is None else _update(row)

    async def updates(self, meeting_id: int, case_id: int) -> list[AgendaUpdateRecord]:
        return [
            _update(row)
            for row in await self._conn.execute_fetchall(
                "SELECT id, meeting_id, case_id, author_id, body, at FROM agenda_updates"
                " WHERE meeting_id = ? AND case_id = ? ORDER BY at, id",
                (meeting_id, case_id),
            )
        ]


class MinutesRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, minutes_id: int) -> MinutesRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM minutes WHERE id = ?", (minutes_id,)
        )
        return None if row is None else _minutes(row)

    async def of(self, meeting_id: int, case_id: int) -> MinutesRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM minutes WHERE meeting_id = ? AND case_id = ?",
            (meeting_id, case_id),
        )
        return None if row is None else _minutes(row)

    async def for_meeting(self, meeting_id: int) -> list[MinutesRecord]:
        return [
            _minutes(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM minutes WHERE meeting_id = ? ORDER BY id", (meeting_id,)
            )
        ]

    async def for_case(self, case_id: int) -> list[MinutesRecord]:
        """Drafts too, oldest first (the export)."""
        return [
            _minutes(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM minutes WHERE case_id = ? ORDER BY id", (case_id,)
            )
        ]

    async def latest_approved(self, case_id: int) -> MinutesRecord | None:
        """The next meeting picks up from the last one."""
        row = await self._conn.fetch_one(
            f"SELECT {_COLUMNS} FROM minutes WHERE case_id = ? AND status = 'approved'"
            " ORDER BY approved_at DESC, id DESC LIMIT 1",
            (case_id,),
        )
        return None if row is None else _minutes(row)

    async def start(self, meeting_id: int, case_id: int, user_id: int, now: datetime) -> int:
        """The draft for this case at this meeting, created on first use."""
        await self._conn.execute(
            "INSERT INTO minutes (meeting_id, case_id, status, written_by, updated_at)"
            " VALUES (?, ?, 'draft', ?, ?) ON CONFLICT (meeting_id, case_id) DO NOTHING",
            (meeting_id, case_id, user_id, to_ts(now)),
        )
        row = await self._conn.point_one(
            "SELECT id FROM minutes WHERE meeting_id = ? AND case_id = ?", (meeting_id, case_id)
        )
        assert row is not None
        return int(row[0])

    async def set_field(
        self, minutes_id: int, field: str, value: str, user_id: int, now: datetime
    ) -> bool:
        """Only a draft changes: False for approved minutes (they take amendments)."""
        if field not in MINUTES_FIELDS:
            raise ValueError(field)
        cur = await self._conn.execute(
            f"UPDATE minutes SET {field} = ?, written_by = ?, updated_at = ?"
            " WHERE id = ? AND status = 'draft'",
            (value, user_id, to_ts(now), minutes_id),
        )
        return cur.rowcount == 1

    async def set_review(
        self, minutes_id: int, day: date | None, user_id: int, now: datetime
    ) -> bool:
        cur = await self._conn.execute(
            "UPDATE minutes SET next_review = ?, written_by = ?, updated_at = ?"
            " WHERE id = ? AND status = 'draft'",
            (None if day is None else day.isoformat(), user_id, to_ts(now), minutes_id),
        )
        return cur.rowcount == 1

    async def set_view(self, minutes_id: int, sector: str, field: str, value: str) -> None:
        if field not in VIEW_FIELDS:
            raise ValueError(field)
        await self._conn.execute(
            f"INSERT INTO minutes_views (minutes_id, sector, {field}) VALUES (?, ?, ?)"
            f" ON CONFLICT (minutes_id, sector) DO UPDATE SET {field} = excluded.{field}",
            (minutes_id, sector, value),
        )

    async def views(self, minutes_id: int) -> list[SectorView]:
        return [
            SectorView(*row)
            for row in await self._conn.execute_fetchall(
                "SELECT sector, problem, todo, who FROM minutes_views WHERE minutes_id = ?",
                (minutes_id,),
            )
        ]

    async def add_action(
        self, minutes_id: int, title: str, owner_id: int | None, due_on: date | None
    ) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO minutes_actions (minutes_id, title, owner_id, due_on)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (minutes_id, title, owner_id, None if due_on is None else due_on.isoformat()),
        )
        assert row is not None
        return int(row[0])

    async def remove_action(self, minutes_id: int, entry_id: int) -> bool:
        cur = await self._conn.execute(
            "DELETE FROM minutes_actions WHERE minutes_id = ? AND id = ? AND action_id IS NULL",
            (minutes_id, entry_id),
        )
        return cur.rowcount == 1

    async def actions(self, minutes_id: int) -> list[MinutesActionRecord]:
        return [
            MinutesActionRecord(
                row[0],
                row[1],
                row[2],
                None if row[3] is None else date.fromisoformat(row[3]),
                row[4],
            )
            for row in await self._conn.execute_fetchall(
                "SELECT id, title, owner_id, due_on, action_id FROM minutes_actions"
                " WHERE minutes_id = ? ORDER BY id",
                (minutes_id,),
            )
        ]

    async def link_actions(self, links: Sequence[tuple[int, int]]) -> None:
        """(minutes entry id, action id) for each action made on approval, in one batch."""
        await self._conn.executemany(
            "UPDATE minutes_actions SET action_id = ? WHERE id = ?",
            [(action_id, entry_id) for entry_id, action_id in links],
        )

    async def approve(self, minutes_id: int, user_id: int, now: datetime) -> bool:
        cur = await self._conn.execute(
            "UPDATE minutes SET status = 'approved', approved_by = ?, approved_at = ?,"
            " updated_at = ? WHERE id = ? AND status = 'draft'",
            (user_id, to_ts(now), to_ts(now), minutes_id),
        )
        return cur.rowcount == 1

    async def amend(self, minutes_id: int, user_id: int, body: str, now: datetime) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO minutes_amendments (minutes_id, author_id, body, at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (minutes_id, user_id, body, to_ts(now)),
        )
        assert row is not None
        return int(row[0])

    async def amendments(self, minutes_id: int) -> list[AmendmentRecord]:
        return [
            AmendmentRecord(row[0], row[1], row[2], from_ts(row[3]))
            for row in await self._conn.execute_fetchall(
                "SELECT id, author_id, body, at FROM minutes_amendments WHERE minutes_id = ?"
                " ORDER BY at, id",
                (minutes_id,),
            )
        ]
