"""Cases, their teams and their timelines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from storage.connection import Connection
from storage.models import (
    CaseEventRecord,
    CaseLinkRecord,
    CaseNoteRecord,
    CaseRecord,
    CaseStatus,
    TransferRecord,
)
from storage.rows import Reader
from storage.timeconv import from_ts, to_ts

_case = Reader(CaseRecord)
_COLUMNS = _case.columns


class CaseRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def create(
        self, board_id: int, code: str, raised_by: int, draft: dict[str, Any], now: datetime
    ) -> CaseRecord:
        row = await self._conn.fetch_one(
            "INSERT INTO cases (board_id, code, label, criteria, factors, lead_sector,"
            " other_sectors, urgency, legal_basis, summary, raised_by, created_at,"
            f" last_activity_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" RETURNING {_COLUMNS}",
            (
                board_id,
                code,
                draft["label"],
                ",".join(draft["criteria"]),
                ",".join(draft["factors"]),
                draft["lead_sector"],
                ",".join(draft.get("other_sectors", [])),
                draft["urgency"],
                draft["legal_basis"],
                draft["summary"],
                raised_by,
                to_ts(now),
                to_ts(now),
            ),
        )
        assert row is not None
        return _case(row)

    async def get(self, case_id: int) -> CaseRecord | None:
        row = await self._conn.point_one(
            f"SELECT {_COLUMNS} FROM cases WHERE id = ? AND status != 'erased'", (case_id,)
        )
        return None if row is None else _case(row)

    async def by_code(self, code: str) -> CaseRecord | None:
        row = await self._conn.point_one(f"SELECT {_COLUMNS} FROM cases WHERE code = ?", (code,))
        return None if row is None else _case(row)

    async def for_board(self, board_id: int, statuses: Sequence[str]) -> list[CaseRecord]:
        marks = ", ".join("?" for _ in statuses)
        return [
            _case(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM cases WHERE board_id = ? AND status IN ({marks})"
                " ORDER BY last_activity_at, id",
                (board_id, *statuses),
            )
        ]

    async def page_for_board(
        self,
        board_id: int,
        statuses: Sequence[str],
        lead_sector: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[CaseRecord], int]:
        """One page of a board's cases (the quietest first) and how many there are in all:
        the page is read, not the whole board, so a press costs the same at 10 or 10,000 cases."""
        marks = ", ".join("?" for _ in statuses)
        where = f"board_id = ? AND status IN ({marks})"
        params: list[object] = [board_id, *statuses]
        if lead_sector is not None:
            where += " AND lead_sector = ?"
            params.append(lead_sector)
        total = await self._conn.point_one(
            f"SELECT COALESCE(SUM(count), 0) FROM case_counts WHERE {where}", params
        )
        rows = await self._conn.execute_fetchall(
            f"SELECT {_COLUMNS} FROM cases WHERE {where}"
            " ORDER BY last_activity_at, id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_case(row) for row in rows], 0 if total is None else int(total[0])

    async def on_agenda(self, meeting_id: int) -> list[CaseRecord]:
        """A meeting's agenda, in the order the cases were added (the order it takes them)."""
        columns = ", ".join(f"c.{name.strip()}" for name in _COLUMNS.split(","))
        return [
            _case(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT {columns} FROM agenda_items a JOIN cases c ON c.id = a.case_id"
                " WHERE a.meeting_id = ? AND c.status != 'erased' ORDER BY a.added_at, c.id",
                (meeting_id,),
            )
        ]

    async def codes_of(self, case_ids: Sequence[int]) -> dict[int, str]:
        if not case_ids:
            return {}
        marks = ", ".join("?" for _ in case_ids)
        return {
            row[0]: row[1]
            for row in await self._conn.execute_fetchall(
                f"SELECT id, code FROM cases WHERE id IN ({marks})", tuple(case_ids)
            )
        }

    async def add_team(self, case_id: int, members: Sequence[tuple[int, str]]) -> None:
        await self._conn.executemany(
            "INSERT INTO case_team (case_id, user_id, role) VALUES (?, ?, ?)"
            " ON CONFLICT (case_id, user_id, role) DO NOTHING",
            [(case_id, user_id, role) for user_id, role in members],
        )

    async def team(self, case_id: int) -> list[tuple[int, str]]:
        return [
            (row["user_id"], row["role"])
            for row in await self._conn.point(
                "SELECT user_id, role FROM case_team WHERE case_id = ? ORDER BY role, user_id",
                (case_id,),
            )
        ]

    async def team_roles(self, case_id: int, user_id: int) -> set[str]:
        rows = await self._conn.point(
            "SELECT role FROM case_team WHERE case_id = ? AND user_id = ?", (case_id, user_id)
        )
        return {row["role"] for row in rows}

    async def add_event(
        self,
        case_id: int,
        at: datetime,
        actor_id: int | None,
        kind: str,
        detail: dict[str, Any],
        *,
        activity: bool = True,
    ) -> None:
        """``activity`` False: on the timeline, but not work on the case (a worry about a stalled
        case must not make it look active)."""
        await self._conn.execute(
            "INSERT INTO case_events (case_id, at, actor_id, kind, detail) VALUES (?, ?, ?, ?, ?)",
            (case_id, to_ts(at), actor_id, kind, json.dumps(detail)),
        )
        if activity:
            await self._conn.execute(
                "UPDATE cases SET last_activity_at = ? WHERE id = ?", (to_ts(at), case_id)
            )

    async def set_status(self, case_id: int, status: CaseStatus) -> None:
        await self._conn.execute("UPDATE cases SET status = ? WHERE id = ?", (status, case_id))

    async def mark_carousel(self, case_id: int, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE cases SET carousel_at = ? WHERE id = ?", (to_ts(at), case_id)
        )

    async def for_user(self, user_id: int, statuses: Sequence[str]) -> list[CaseRecord]:
        """Cases where the person is on the team, on boards where they are still active."""
        marks = ", ".join("?" for _ in statuses)
        columns = ", ".join(f"c.{column.strip()}" for column in _COLUMNS.split(","))
        return [
            _case(row)
            for row in await self._conn.execute_fetchall(
                f"SELECT DISTINCT {columns} FROM cases c"
                " JOIN case_team t ON t.case_id = c.id"
                " JOIN memberships m ON m.board_id = c.board_id AND m.user_id = t.user_id"
                f" WHERE t.user_id = ? AND m.status = 'active' AND c.status IN ({marks})"
                " ORDER BY c.last_activity_at, c.id",
                (user_id, *statuses),
            )
        ]

    async def changes_since(
        self, board_id: int, since: datetime, not_by: int, team_of: int | None = None
    ) -> list[tuple[int, str, str, int]]:
        """(case, its code, event kind, how many) on the board's cases, in any status (a case
        closed meanwhile is the change that matters most), since ``since``, by others than
        ``not_by``; with ``team_of``, only the cases that person is on the team of. The most
        recently changed case first."""
        team = (
            " AND c.id IN (SELECT case_id FROM case_team WHERE user_id = ?)"
            if team_of is not None
            else ""
        )
        params: list[object] = [board_id, to_ts(since), not_by]
        if team_of is not None:
            params.append(team_of)
        return [
            (row[0], row[1], row[2], row[3])
            for row in await self._conn.execute_fetchall(
                "SELECT e.case_id, c.code, e.kind, COUNT(*), MAX(e.at) AS latest"
                " FROM case_events e JOIN cases c ON c.id = e.case_id"
                " WHERE c.board_id = ? AND e.at > ? AND (e.actor_id IS NULL OR e.actor_id <> ?)"
                f"{team} GROUP BY e.case_id, c.code, e.kind"
                " ORDER BY latest DESC, e.case_id, e.kind",
                params,
            )
        ]

    async def add_note(
        self, case_id: int, at: datetime, author_id: int, kind: str, body: str
    ) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO case_notes (case_id, at, author_id, kind, body) VALUES (?, ?, ?, ?, ?)"
            " RETURNING id",
            (case_id, to_ts(at), author_id, kind, body),
        )
        assert row is not None
        return int(row[0])

    async def notes(self, note_ids: Sequence[int]) -> dict[int, CaseNoteRecord]:
        if not note_ids:
            return {}
        marks = ", ".join("?" for _ in note_ids)
        rows = list(
            await self._conn.execute_fetchall(
                f"SELECT id, at, author_id, kind, body FROM case_notes WHERE id IN ({marks})",
                tuple(note_ids),
            )
        )
        return {
            row["id"]: CaseNoteRecord(
                row["id"], from_ts(row["at"]), row["author_id"], row["kind"], row["body"]
            )
            for row in rows
        }

    async def events(self, case_id: int, offset: int, limit: int) -> list[CaseEventRecord]:
        rows = list(
            await self._conn.execute_fetchall(
                "SELECT id, case_id, at, actor_id, kind, detail FROM case_events WHERE case_id = ?"
                " ORDER BY id LIMIT ? OFFSET ?",
                (case_id, limit, offset),
            )
        )
        return [
            CaseEventRecord(
                row["id"],
                row["case_id"],
                from_ts(row["at"]),
                row["actor_id"],
                row["kind"],
                json.loads(row["detail"]),
            )
            for row in rows
        ]

    async def count_events(self, case_id: int) -> int:
        row = await self._conn.fetch_one(
            "SELECT COUNT(*) FROM case_events WHERE case_id = ?", (case_id,)
        )
        return 0 if row is None else int(row[0])

    async def add_transfer(
        self,
        case_id: int,
        at: datetime,
        actor_id: int,
        moved_on: date,
        from_service: str,
        to_service: str,
        reason: str,
    ) -> int:
        row = await self._conn.fetch_one(
            "INSERT INTO case_transfers (case_id, recorded_at, recorded_by, moved_on,"
            " from_service, to_service, reason) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (
                case_id,
                to_ts(at),
                actor_id,
                moved_on.isoformat(),
                from_service,
                to_service,
                reason,
            ),
        )
        assert row is not None
        return int(row[0])

    async def transfers_between(self, case_id: int, start: date, end: date) -> int:
        row = await self._conn.fetch_one(
            "SELECT COUNT(*) FROM case_transfers WHERE case_id = ? AND moved_on BETWEEN ? AND ?",
            (case_id, start.isoformat(), end.isoformat()),
        )
        return 0 if row is None else int(row[0])

    async def transfer(self, transfer_id: int) -> TransferRecord | None:
        row = await self._conn.point_one(
            "SELECT id, moved_on, from_service, to_service, reason FROM case_transfers"
            " WHERE id = ?",
            (transfer_id,),
        )
        if row is None:
            return None
        return TransferRecord(
            row["id"],
            date.fromisoformat(row["moved_on"]),
            row["from_service"],
            row["to_service"],
            row["reason"],
        )

    _EDITABLE = frozenset({"label", "criteria", "factors", "other_sectors", "urgency", "summary"})

    async def update_field(self, case_id: int, field: str, value: str) -> None:
        if field not in self._EDITABLE:
            raise ValueError(f"not an editable case field: {field}")
        await self._conn.execute(f"UPDATE cases SET {field} = ? WHERE id = ?", (value, case_id))

    async def set_learning(
        self,
        case_id: int,
        *,
        strengths: Sequence[str],
        needs: Sequence[str],
        child_view: str,
        child_view_on: date | None,
        interventions: Sequence[tuple[str, str]],
    ) -> None:
        """What the board learns from the case (keys only, never free text)."""
        await self._conn.execute(
            "UPDATE cases SET strengths = ?, needs = ?, child_view = ?, child_view_on = ?,"
            " interventions = ? WHERE id = ?",
            (
                ",".join(strengths),
                ",".join(needs),
                child_view,
                None if child_view_on is None else child_view_on.isoformat(),
                ",".join(f"{key}={result}" for key, result in interventions),
                case_id,
            ),
        )

    async def links(self, case_id: int) -> list[CaseLinkRecord]:
        """The cases related to this one, with their codes (either side of the pair)."""
        rows = await self._conn.execute_fetchall(
            "SELECT c.id, l.kind, c.code FROM case_links l"
            " JOIN cases c ON c.id = CASE WHEN l.case_id = ? THEN l.other_id ELSE l.case_id END"
            " WHERE (l.case_id = ? OR l.other_id = ?) AND c.status <> 'erased'"
            " ORDER BY c.code",
            (case_id, case_id, case_id),
        )
        return [CaseLinkRecord(case_id, row[0], row[1], row[2]) for row in rows]

    async def set_link(
        self, case_id: int, other_id: int, kind: str | None, by_user: int, at: datetime
    ) -> None:
        """Link two cases (``kind``), or unlink them (None); stored once per pair."""
        low, high = min(case_id, other_id), max(case_id, other_id)
        if kind is None:
            await self._conn.execute(
                "DELETE FROM case_links WHERE case_id = ? AND other_id = ?", (low, high)
            )
            return
        await self._conn.execute(
            "INSERT INTO case_links (case_id, other_id, kind, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id, other_id) DO UPDATE SET"
            " kind = excluded.kind",
            (low, high, kind, by_user, to_ts(at)),
        )

    async def set_team_role(self, case_id: int, role: str, user_ids: Sequence[int]) -> None:
        """Replace who holds ``role`` (the keyworker) on the team."""
        await self._conn.execute(
            "DELETE FROM case_team WHERE case_id = ? AND role = ?", (case_id, role)
        )
        await self.add_team(case_id, [(user_id, role) for user_id in user_ids])

    async def remove_from_team(self, case_id: int, user_id: int, role: str) -> bool:
        cur = await self._conn.execute(
            "DELETE FROM case_team WHERE case_id = ? AND user_id = ? AND role = ?",
            (case_id, user_id, role),
        )
        return cur.rowcount > 0
