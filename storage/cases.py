"""Cases, their teams and their timelines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage.models import CaseRecord
from storage.timeconv import from_ts, to_ts

_COLUMNS = (
    "id, board_id, code, label, criteria, factors, lead_sector, urgency, legal_basis, summary,"
    " status, raised_by, created_at, last_activity_at"
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split(",") if part)


def _case(row: aiosqlite.Row) -> CaseRecord:
    return CaseRecord(
        id=row["id"],
        board_id=row["board_id"],
        code=row["code"],
        label=row["label"],
        criteria=_split(row["criteria"]),
        factors=_split(row["factors"]),
        lead_sector=row["lead_sector"],
        urgency=row["urgency"],
        legal_basis=row["legal_basis"],
        summary=row["summary"],
        status=row["status"],
        raised_by=row["raised_by"],
        created_at=from_ts(row["created_at"]),
        last_activity_at=from_ts(row["last_activity_at"]),
    )


class CaseRepository:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def create(
        self, board_id: int, code: str, raised_by: int, draft: dict[str, Any], now: datetime
    ) -> CaseRecord:
        async with self._conn.execute(
            "INSERT INTO cases (board_id, code, label, criteria, factors, lead_sector, urgency,"
            " legal_basis, summary, raised_by, created_at, last_activity_at)"
            f" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING {_COLUMNS}",
            (
                board_id,
                code,
                draft["label"],
                ",".join(draft["criteria"]),
                ",".join(draft["factors"]),
                draft["lead_sector"],
                draft["urgency"],
                draft["legal_basis"],
                draft["summary"],
                raised_by,
                to_ts(now),
                to_ts(now),
            ),
        ) as cur:
            row = await cur.fetchone()
        assert row is not None
        return _case(row)

    async def get(self, case_id: int) -> CaseRecord | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM cases WHERE id = ?", (case_id,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _case(row)

    async def by_code(self, code: str) -> CaseRecord | None:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM cases WHERE code = ?", (code,)
        ) as cur:
            row = await cur.fetchone()
        return None if row is None else _case(row)

    async def for_board(self, board_id: int, statuses: Sequence[str]) -> list[CaseRecord]:
        marks = ", ".join("?" for _ in statuses)
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM cases WHERE board_id = ? AND status IN ({marks})"
            " ORDER BY last_activity_at, id",
            (board_id, *statuses),
        ) as cur:
            return [_case(row) for row in await cur.fetchall()]

    async def add_team(self, case_id: int, members: Sequence[tuple[int, str]]) -> None:
        await self._conn.executemany(
            "INSERT INTO case_team (case_id, user_id, role) VALUES (?, ?, ?)"
            " ON CONFLICT (case_id, user_id, role) DO NOTHING",
            [(case_id, user_id, role) for user_id, role in members],
        )

    async def team(self, case_id: int) -> list[tuple[int, str]]:
        async with self._conn.execute(
            "SELECT user_id, role FROM case_team WHERE case_id = ? ORDER BY role, user_id",
            (case_id,),
        ) as cur:
            return [(row["user_id"], row["role"]) for row in await cur.fetchall()]

    async def team_roles(self, case_id: int, user_id: int) -> set[str]:
        async with self._conn.execute(
            "SELECT role FROM case_team WHERE case_id = ? AND user_id = ?", (case_id, user_id)
        ) as cur:
            return {row["role"] for row in await cur.fetchall()}

    async def add_event(
        self, case_id: int, at: datetime, actor_id: int | None, kind: str, detail: dict[str, Any]
    ) -> None:
        await self._conn.execute(
            "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
            (case_id, to_ts(at), actor_id, kind, json.dumps(detail)),
        )
        await self._conn.execute(
            "UPDATE cases SET last_activity_at = ? WHERE id = ?", (to_ts(at), case_id)
        )
