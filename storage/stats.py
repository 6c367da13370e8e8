"""What the statistics read of a board: counts and dates only, never a label, summary or name.

Five reads per /stats, each one statement: the cases' structured fields, the timeline events the
figures need (status changes, moves, closed votes, small successes), the actions with their
owner's sector, the concerns' kinds, and who came to supervisions by sector.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from storage.connection import Connection
from storage.rows import keys, marked_keys
from storage.timeconv import from_ts, from_ts_opt


@dataclass(frozen=True, slots=True)
class StatsCaseRow:
    id: int
    criteria: tuple[str, ...]
    factors: tuple[str, ...]
    lead_sector: str
    status: str
    created_at: datetime
    last_activity_at: datetime
    carousel: bool
    strengths: tuple[str, ...]
    needs: tuple[str, ...]
    child_view: str
    interventions: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class StatsEventRow:
    case_id: int
    at: datetime
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StatsActionRow:
    owner_sector: str | None
    due_on: date | None
    status: str
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class StatsSupervisionRow:
    """A supervision whose attendance was taken, and the sectors of those who came."""

    starts_at: datetime
    sectors: frozenset[str]


@dataclass(frozen=True, slots=True)
class StatsConcernRow:
    kind: str
    created_at: datetime


STATS_EVENT_KINDS = ("status", "transfer", "proposal_closed", "success")


class StatsRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def cases(self, board_id: int) -> list[StatsCaseRow]:
        rows = await self._conn.execute_fetchall(
            "SELECT id, criteria, factors, lead_sector, status, created_at, last_activity_at,"
            " carousel_at, strengths, needs, child_view, interventions FROM cases"
            " WHERE board_id = ? AND status <> 'erased' ORDER BY id",
            (board_id,),
        )
        return [
            StatsCaseRow(
                id=row[0],
                criteria=keys(row[1]),
                factors=keys(row[2]),
                lead_sector=row[3],
                status=row[4],
                created_at=from_ts(row[5]),
                last_activity_at=from_ts(row[6]),
                carousel=row[7] is not None,
                strengths=keys(row[8]),
                needs=keys(row[9]),
                child_view=row[10],
                interventions=marked_keys(row[11]),
            )
            for row in rows
        ]

    async def events(self, board_id: int) -> list[StatsEventRow]:
        marks = ", ".join("?" for _ in STATS_EVENT_KINDS)
        rows = await self._conn.execute_fetchall(
            "SELECT e.case_id, e.at, e.kind, e.detail FROM case_events e"
            " JOIN cases c ON c.id = e.case_id"
            f" WHERE c.board_id = ? AND e.kind IN ({marks}) ORDER BY e.id",
            (board_id, *STATS_EVENT_KINDS),
        )
        return [StatsEventRow(row[0], from_ts(row[1]), row[2], json.loads(row[3])) for row in rows]

    async def actions(self, board_id: int) -> list[StatsActionRow]:
        rows = await self._conn.execute_fetchall(
            "SELECT m.sector, a.due_on, a.status, a.closed_at FROM actions a"
            " LEFT JOIN memberships m ON m.board_id = a.board_id AND m.user_id = a.owner_id"
            " WHERE a.board_id = ? AND a.status <> 'cancelled' ORDER BY a.id",
            (board_id,),
        )
        return [
            StatsActionRow(
                owner_sector=row[0],
                due_on=date.fromisoformat(row[1]) if row[1] else None,
                status=row[2],
                closed_at=from_ts_opt(row[3]),
            )
            for row in rows
        ]

    async def concerns(self, board_id: int) -> list[StatsConcernRow]:
        rows = await self._conn.execute_fetchall(
            "SELECT kind, created_at FROM escalations WHERE board_id = ? AND status <> 'withdrawn'"
            " ORDER BY id",
            (board_id,),
        )
        return [StatsConcernRow(row[0], from_ts(row[1])) for row in rows]

    async def supervisions(self, board_id: int) -> list[StatsSupervisionRow]:
        """Supervisions with attendance taken, each with the sectors present (one statement)."""
        rows = await self._conn.execute_fetchall(
            "SELECT m.id, m.starts_at, a.sector FROM meetings m"
            " LEFT JOIN meeting_attendance a ON a.meeting_id = m.id"
            " WHERE m.board_id = ? AND m.kind = 'supervision' AND m.attendance_taken = 1"
            " AND m.starts_at IS NOT NULL ORDER BY m.id",
            (board_id,),
        )
        meetings: dict[int, tuple[int, set[str]]] = {}
        for meeting_id, starts_at, sector in rows:
            entry = meetings.setdefault(meeting_id, (starts_at, set()))
            if sector is not None:
                entry[1].add(sector)
        return [
            StatsSupervisionRow(from_ts(starts_at), frozenset(sectors))
            for starts_at, sectors in meetings.values()
        ]
